// A volunteer and a household, door to door: the volunteer (invited by the commune's
// official) makes a pairing code for the family's village; at the family's home there is
// no signal, so the household opens the code's address, reads what the volunteer will
// see and agrees offline; back in signal the agreement completes, the household sees the
// volunteer's name, and the volunteer sees the family's learner (with the age band and
// group she chose) and lessons. The volunteer signs off a skill she saw done and records
// the visit; after its next sync the family's phone shows the item confirmed in her
// name. With no signal the volunteer still opens her households, records a visit and a
// sign-off, and cannot sign out (it needs the server); back in signal both are sent once.
// The family ends it after a confirmation, and the volunteer sees nothing of it from
// then on. Signing out leaves nothing of hers on the phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { AxeBuilder } from "@axe-core/playwright";
import { BASE, launch, phone, open, installed, consent, statusSays } from "./browser.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
async function axe(page, name, found) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  for (const v of violations) found.push(`${name}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

function createAdmin(login, name, password) {
  const made = spawnSync(join(root, "target/release/server"), ["admin", "create", "--login", login, "--name", name], {
    cwd: root,
    input: `${password}\n`,
    env: { ...process.env, HOCSO_DATA_DIR: process.env.HOCSO_E2E_DATA_DIR, DATABASE_URL: "", HOCSO_LOG: "warn" },
  });
  assert.equal(made.status, 0, made.stderr.toString());
}

async function signIn(page, login, password) {
  await page.goto(BASE + "/sign-in");
  await page.fill("#login", login);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(/\/account/), page.click("form[action='/sign-in'] button")]);
}

/// `inviter` invites a `role` of xã Phong Thổ; the invited person opens the link on
/// their own phone and makes the account. Returns that phone's page, signed in.
async function invite(inviter, role, login, name) {
  await inviter.goto(BASE + "/invitations");
  await inviter.check(`input[name=role][value=${role}]`);
  if (await inviter.locator("#invite-area").count()) await inviter.selectOption("#invite-area", { label: "xã Phong Thổ" });
  await inviter.fill("#invite-note", name);
  await Promise.all([inviter.waitForURL(/m=issued/), inviter.click("form[action='/invitations'] button[type=submit]")]);
  const link = (await inviter.locator(".issued code").allTextContents())[0];
  const { context } = await phone(browser);
  const page = await context.newPage();
  await page.goto(link);
  await page.fill("#login", login);
  await page.fill("#password", `mật khẩu của ${login}`);
  await page.fill("#password2", `mật khẩu của ${login}`);
  await Promise.all([page.waitForURL(/\/account\?m=welcome/), page.click("form[action^='/invite/'] button")]);
  return page;
}

test("a household agrees offline to a volunteer's code; the volunteer sees it until it ends", async () => {
  const found = [];
  createAdmin("binh.admin", "Anh Bình", "mật khẩu của Bình");
  const { context: adminPhone } = await phone(browser);
  const admin = await adminPhone.newPage();
  await signIn(admin, "binh.admin", "mật khẩu của Bình");
  const official = await invite(admin, "official", "vu.official", "Anh Vũ");
  await Promise.all([official.waitForURL(/\/areas\/.+/), official.click("a[href='/areas']")]);
  await official.fill("#village-name", "Bản Pa So");
  await Promise.all([official.waitForURL(/m=added/), official.click("form[action$='/villages'] button")]);
  const volunteer = await invite(official, "volunteer", "hoa.volunteer", "Em Hoa");

  // The volunteer's households: none yet; a code for Bản Pa So, typed and as a QR code.
  await Promise.all([volunteer.waitForURL(/\/mentees/), volunteer.click("a[href='/mentees']")]);
  assert.match(await volunteer.textContent("main"), /Chưa có hộ nào/);
  await volunteer.selectOption("#code-village", { label: "bản Bản Pa So" });
  await Promise.all([volunteer.waitForURL(/m=code_made/), volunteer.click(`form[action='/mentees/code'] button`)]);
  const line = await volunteer.textContent(".pairing-code code");
  const code = line.match(/[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}/)[0];
  assert.match(line, /Bản Pa So/);
  assert.equal(await volunteer.locator(".qr svg path").count(), 1, "the QR code is drawn");
  await axe(volunteer, "mentees", found);

  // The household: the app installed, a learner named, sending agreed to.
  const { context: home, problems } = await phone(browser);
  const page = await open(home, "/me");
  await installed(page);
  await page.fill("#profile-name", "Bà Lò Thị Xuân");
  await Promise.all([page.waitForEvent("load"), page.click(".add-profile button")]);
  await consent(page, "Điện thoại nhà bà Xuân");
  await statusSays(page, "Đã đồng bộ");
  // She says her age band and group (both optional); the phone shows them after a reload.
  await page.selectOption("#age-band", "60_plus");
  await page.selectOption("#person-group", "farmer");
  await page.click("#details-form button");
  await page.waitForSelector("#household-message:not([hidden])");
  await page.reload();
  await page.waitForFunction(() => document.querySelector("#age-band").value === "60_plus");
  assert.equal(await page.inputValue("#person-group"), "farmer");

  // No signal at the house: the QR code's address opens the Tôi page from the phone.
  await home.setOffline(true);
  await page.goto(`${BASE}/me?pair=${code.replace("-", "")}`);
  await page.waitForSelector("html[data-hydrated='1']");
  assert.equal(await page.inputValue("#pair-code"), code, "the code is filled in");
  assert.match(await page.textContent("#pairing"), /tên \(hoặc tên gọi\) của những người học/);
  await axe(page, "me with pairing", found);
  await page.click("#pair-form button[type=submit]");
  await page.waitForFunction(() => /sẽ hoàn tất khi có mạng/.test(document.querySelector("#mentors").textContent));

  // Back in signal: the agreement goes with the next sync; the volunteer's name shows.
  await home.setOffline(false);
  await page.evaluate(() => navigator.serviceWorker.controller.postMessage({ type: "sync" }));
  await page.waitForFunction(() => /Em Hoa, tình nguyện viên/.test(document.querySelector("#mentors").textContent), null, { timeout: 30_000 });

  await volunteer.reload();
  assert.match(await volunteer.textContent("main"), /Bà Lò Thị Xuân: 0 bài đã xong/);
  assert.match(await volunteer.textContent("main"), /Từ 60 tuổi trở lên · Nông dân/);
  assert.match(await volunteer.textContent("main"), /Bản Pa So — ghép nối từ/);
  assert.match(await volunteer.textContent("main"), /Đang hướng dẫn 1 hộ/);

  // She saw Bà Xuân reach VNeID level 2: she signs it off, and records the visit.
  await volunteer.click(".mentee details.record summary");
  await volunteer.selectOption("#confirm-item-0", "digital-identity/level2");
  await Promise.all([volunteer.waitForURL(/m=confirmed/), volunteer.click("form[action$='/confirm'] button")]);
  assert.match(await volunteer.textContent("main"), /Bạn đã xác nhận: /);
  await volunteer.click("#visit-section details summary");
  await volunteer.fill("#visit-minutes", "45");
  await volunteer.selectOption("#visit-topic1", "vneid-level2");
  await volunteer.fill("#visit-note", "Bà muốn học chuyển tiền bằng mã QR");
  await Promise.all([volunteer.waitForURL(/m=visit_recorded/), volunteer.click("form[action$='/visit'] button")]);
  assert.match(await volunteer.textContent("main"), /Lần thăm gần nhất: .*, 45 phút \(đã thăm 1 lần\)/);
  await volunteer.click(".mentee details.record summary");
  await volunteer.click("#visit-section details summary");
  await axe(volunteer, "mentees with a household and its forms open", found);

  // The family's phone, after its next sync: the item is ticked, fixed, and says who saw it.
  await page.evaluate(() => navigator.serviceWorker.controller.postMessage({ type: "sync" }));
  const received = () => page.evaluate(async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open("hocso"); r.onsuccess = () => ok(r.result); });
    const all = await new Promise((ok) => { const r = db.transaction("events").objectStore("events").getAll(); r.onsuccess = () => ok(r.result); });
    db.close();
    return all.some((e) => e.kind === "skill_confirmed");
  });
  for (let tries = 0; !(await received()); tries++) {
    assert.ok(tries < 60, "the sign-off reaches the family's phone");
    await page.waitForTimeout(500);
  }
  await page.reload();
  await page.waitForFunction(() => !document.querySelector("#seen-digital-identity-level2").hidden);
  assert.equal(await page.textContent("#seen-digital-identity-level2"), "Em Hoa, tình nguyện viên, đã xác nhận");
  assert.ok(await page.isChecked("#tick-digital-identity-level2"));
  assert.ok(await page.isDisabled("#tick-digital-identity-level2"), "a sign-off is not hers to untick");
  await axe(page, "me with a confirmed item", found);

  // No signal at the next house: her households open from the phone; what she records waits.
  await installed(volunteer);
  const volunteerPhone = volunteer.context();
  // Both of her pages seen once with signal (the worker keeps them then).
  await volunteer.goto(BASE + "/account");
  await volunteer.goto(BASE + "/mentees");
  await volunteerPhone.setOffline(true);
  await volunteer.goto(BASE + "/mentees");
  assert.match(await volunteer.textContent("main"), /Bà Lò Thị Xuân/, "her households open with no signal");
  await volunteer.click("#visit-section details summary");
  await volunteer.fill("#visit-minutes", "20");
  await volunteer.selectOption("#visit-topic1", "vietqr-payment");
  await Promise.all([volunteer.waitForURL(/offline=queued/), volunteer.click("form[action$='/visit'] button")]);
  await volunteer.waitForSelector("[data-note=queued]:not([hidden])");
  await volunteer.click(".mentee details.record summary");
  await volunteer.selectOption("#confirm-item-0", "digital-identity/vneid-installed");
  await Promise.all([volunteer.waitForURL(/offline=queued/), volunteer.click("form[action$='/confirm'] button")]);
  // And the community session she runs in the village hall that evening.
  await volunteer.click("section[aria-labelledby=sessions-h] details summary");
  await volunteer.fill("#session-place", "Nhà văn hoá Bản Pa So");
  await volunteer.selectOption("#session-topic1", "scam-calls");
  await volunteer.fill("#session-attendees", "18");
  await Promise.all([volunteer.waitForURL(/offline=queued/), volunteer.click("form[action='/sessions'] button")]);
  await volunteer.waitForFunction(() => /^3 ghi chép đang chờ gửi/.test(document.querySelector("[data-records]").textContent));
  await axe(volunteer, "mentees offline with records waiting", found);
  // Signing out needs the server: refused with a reason, nothing lost.
  await volunteer.goto(BASE + "/account");
  await Promise.all([volunteer.waitForURL(/offline=sign_out/), volunteer.click("form[action='/sign-out'] button")]);
  await volunteer.waitForSelector("[data-note=sign_out]:not([hidden])");
  assert.match(await volunteer.textContent("[data-note=sign_out]"), /Cần có mạng để đăng xuất/);

  // Signal again: both are sent, once, and the page shows them.
  await volunteer.goto(BASE + "/mentees");
  await volunteerPhone.setOffline(false);
  await volunteer.waitForFunction(() => /đã thăm 2 lần/.test(document.querySelector("main").textContent), null, { timeout: 30_000 })
    .catch(async (err) => {
      console.log("the volunteer's page when signal returned:", volunteer.url(), (await volunteer.textContent("main")).slice(0, 600));
      throw err;
    });
  await volunteer.reload();
  assert.match(await volunteer.textContent("main"), /đã thăm 2 lần/, "each record stored once");
  assert.ok(await volunteer.locator("[data-records]").isHidden(), "nothing waits");
  assert.match(await volunteer.textContent("main"), /Nhà văn hoá Bản Pa So: 18 người đến/);

  // The commune official sees her counts on the team page.
  await official.goto(BASE + "/team");
  const hoaRow = await official.locator("tr", { has: official.locator("th", { hasText: "Em Hoa" }) }).innerText();
  assert.match(hoaRow.replace(/\s+/g, " "), /Em Hoa 1\/5 2 1/, "1 household of 5, 2 visits, 1 session");
  await axe(official, "team", found);

  // The family ends it, after a confirmation; the volunteer sees nothing of it after.
  await page.click("#mentors [data-act=end]");
  assert.match(await page.textContent("#end-confirm"), /Dừng cho Em Hoa xem tiến độ/);
  await page.click("[data-act=end-yes]");
  await page.waitForFunction(() => /Chưa có tình nguyện viên nào/.test(document.querySelector("#mentors-state").textContent), null, { timeout: 30_000 });
  await volunteer.reload();
  assert.doesNotMatch(await volunteer.textContent("main"), /Bà Lò Thị Xuân/);
  assert.match(await volunteer.textContent("main"), /Chưa có hộ nào/);

  // Signing out (with signal) leaves none of her pages or records on the phone.
  await volunteer.goto(BASE + "/account");
  await Promise.all([volunteer.waitForURL(/\/sign-in/), volunteer.click("form[action='/sign-out'] button")]);
  const kept = await volunteer.evaluate(async () => ({
    caches: (await caches.keys()).filter((k) => k.startsWith("hocso-account-")),
    databases: (await indexedDB.databases()).map((d) => d.name).filter((n) => n === "hocso-account"),
  }));
  assert.deepEqual(kept, { caches: [], databases: [] });
  await volunteerPhone.setOffline(true);
  await volunteer.goto(BASE + "/mentees");
  assert.doesNotMatch(await volunteer.textContent("body"), /Bà Lò Thị Xuân|Hộ gia đình của tôi/);
  await volunteerPhone.setOffline(false);

  assert.deepEqual(found, [], "WCAG 2.2 AA on the volunteer's page and the household's");
  assert.deepEqual(problems.filter((p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(p)), []);
  await home.close();
  await adminPhone.close();
});
