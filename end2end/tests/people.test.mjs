// The people who work with households, as the province starts: the first administrator
// (made on the command line) signs in on a phone, invites a commune official; the official
// opens the invitation on their own phone, makes an account, and keeps their commune's
// villages — added, imported from a list, renamed. Every page meets WCAG 2.2 AA.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { AxeBuilder } from "@axe-core/playwright";
import { BASE, launch, phone } from "./browser.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
async function axe(page, name, found) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  for (const v of violations) found.push(`${name}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/// The first administrator, made as DEPLOY.md says: on the server's command line, the
/// password on standard input.
function createAdmin(login, name, password) {
  const dir = process.env.HOCSO_E2E_DATA_DIR;
  assert.ok(dir, "end2end/run names the server's data directory");
  const made = spawnSync(join(root, "target/release/server"), ["admin", "create", "--login", login, "--name", name], {
    cwd: root,
    input: `${password}\n`,
    env: { ...process.env, HOCSO_DATA_DIR: dir, DATABASE_URL: "", HOCSO_LOG: "warn" },
  });
  assert.equal(made.status, 0, made.stderr.toString());
}

async function signIn(page, login, password) {
  await page.goto(BASE + "/sign-in");
  await page.fill("#login", login);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(/\/account/), page.click("form[action='/sign-in'] button")]);
}

test("an administrator invites an official, who keeps the commune's villages", async () => {
  const found = [];
  createAdmin("lan.admin", "Chị Lan", "mật khẩu của Lan");
  const admin = await phone(browser);
  const page = await admin.context.newPage();

  // A wrong password says so, in Vietnamese, and signs nobody in.
  await page.goto(BASE + "/sign-in");
  await axe(page, "sign-in", found);
  await page.fill("#login", "lan.admin");
  await page.fill("#password", "not the password");
  await page.click("form[action='/sign-in'] button");
  await page.waitForSelector(".error.notice");
  assert.match(await page.textContent(".error.notice"), /mật khẩu không đúng/);

  await signIn(page, "LAN.ADMIN", "mật khẩu của Lan");
  assert.match(await page.textContent("main"), /Quản trị viên tỉnh/);
  await axe(page, "account", found);

  // The invitation: for an official of a commune, shown once.
  await page.click("a[href='/invitations']");
  await page.waitForSelector("form[action='/invitations']");
  await page.check("input[name=role][value=official]");
  await page.selectOption("#invite-area", { label: "xã Mường Kim" });
  await page.fill("#invite-note", "Anh Tuấn");
  await Promise.all([page.waitForURL(/m=issued/), page.click("form[action='/invitations'] button[type=submit]")]);
  const secrets = await page.locator(".issued code").allTextContents();
  assert.equal(secrets.length, 2);
  const code = secrets[1];
  assert.match(code, /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
  await axe(page, "invitations", found);
  await page.reload();
  assert.equal(await page.locator(".issued").count(), 0, "the link and code are shown once");
  assert.match(await page.textContent("main"), /Anh Tuấn/);

  // The official, on their own phone, types the code and makes the account.
  const official = await phone(browser);
  const op = await official.context.newPage();
  await op.goto(BASE + "/sign-in");
  await op.click("a[href='/invite']");
  await op.fill("#invite-code", code.toLowerCase());
  await Promise.all([op.waitForURL(/\/invite\/.+/), op.click("form[action='/invite'] button")]);
  assert.match(await op.textContent(".lead"), /Chị Lan mời bạn làm Cán bộ xã ở xã Mường Kim/);
  assert.equal(await op.inputValue("#display-name"), "Anh Tuấn");
  await axe(op, "accept", found);
  await op.fill("#login", "0912345678");
  await op.fill("#password", "mật khẩu của Tuấn");
  await op.fill("#password2", "mật khẩu của Tuấn");
  await Promise.all([op.waitForURL(/\/account\?m=welcome/), op.click("form[action^='/invite/'] button")]);
  assert.match(await op.textContent("main"), /Anh Tuấn/);

  // The villages of Mường Kim: one added, a list imported (again: nothing twice), one renamed.
  await Promise.all([op.waitForURL(/\/areas\/.+/), op.click("a[href='/areas']")]);
  assert.match(await op.textContent("h1"), /Mường Kim/);
  await op.fill("#village-name", "Nà Khum");
  await Promise.all([op.waitForURL(/m=added/), op.click("form[action$='/villages'] button")]);
  await op.fill("#village-csv", "kind,name\nbản,Nà Khum\nbản,Bản Hon\nthôn,\n");
  await Promise.all([op.waitForURL(/added=/), op.click("form[action$='/import'] button")]);
  assert.match(await op.textContent("main"), /Đã thêm 1; đã có sẵn 1; không nhận 1\./);
  assert.match(await op.textContent("main"), /Dòng 4: thiếu tên/);
  await axe(op, "area", found);
  const rename = op.locator("form[action$='/rename']").first();
  await rename.locator("input").fill("Bản Hon Mới");
  await Promise.all([op.waitForURL(/m=renamed/), rename.locator("button").click()]);
  assert.deepEqual(
    (await op.locator(".villages .area-name").allTextContents()).sort(),
    ["bản Bản Hon Mới", "bản Nà Khum"],
  );

  // Signing out: the account page is gone from this phone's reach.
  await op.goto(BASE + "/account");
  await Promise.all([op.waitForURL(/m=signed_out/), op.click("form[action='/sign-out'] button")]);
  await op.goto(BASE + "/account");
  await op.waitForURL(/\/sign-in\?next=/);

  assert.deepEqual(found, [], "WCAG 2.2 AA on every people page");
  await admin.context.close();
  await official.context.close();
});
