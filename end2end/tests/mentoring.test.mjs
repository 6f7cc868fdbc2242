// A volunteer's day, door to door: the volunteer (invited by the commune's official into
// a lead's team) makes a pairing code for the family's village; at the family's home there
// is no signal, so the household opens the code's address, reads what the volunteer will
// see and agrees offline; back in signal the agreement completes, the household sees the
// volunteer's name, and the volunteer sees the family's learner (with the age band and
// group she chose) and lessons. The volunteer signs off a skill she saw done and records
// the visit; after its next sync the family's phone shows the item confirmed in her
// name. With no signal the volunteer still opens her households, records a visit and a
// sign-off, runs a session, and cannot sign out (it needs the server); two more families
// agree with neither phone online and she records their visits and sign-offs by their
// household codes. Back in signal everything is sent once (the new families' records
// wait until their agreements have reached the server); each family sees her sign-off; the
// official and the lead see her counts. The first family ends it after a confirmation,
// and the volunteer sees nothing of it from then on. Signing out leaves nothing of hers
// on the phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { BASE, launch, phone, open, installed, consent, statusSays, stored } from "./browser.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
async function axe(page, name, found) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  for (const v of violations) found.push(`${name}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/// Rows of a CSV text (RFC 4180: quoted cells may hold commas, quotes and line breaks).
function parseCsv(text) {
  const rows = [[]];
  let cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { rows.at(-1).push(cell); cell = ""; }
    else if (c === "\r") continue;
    else if (c === "\n") { rows.at(-1).push(cell); cell = ""; rows.push([]); }
    else cell += c;
  }
  if (cell || rows.at(-1).length) rows.at(-1).push(cell);
  return rows.filter((r) => r.length);
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
async function invite(inviter, role, login, name, lead, commune = "xã Phong Thổ") {
  await inviter.goto(BASE + "/invitations");
  await inviter.check(`input[name=role][value=${role}]`);
  if (await inviter.locator("#invite-area").count()) await inviter.selectOption("#invite-area", { label: commune });
  if (lead) await inviter.selectOption("#invite-lead", { label: lead });
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

test("a volunteer's day: families agree with no signal, what she records is sent once, her team sees the counts", async () => {
  const found = [];
  createAdmin("binh.admin", "Anh Bình", "mật khẩu của Bình");
  const { context: adminPhone } = await phone(browser);
  const admin = await adminPhone.newPage();
  await signIn(admin, "binh.admin", "mật khẩu của Bình");
  const official = await invite(admin, "official", "vu.official", "Anh Vũ");
  await Promise.all([official.waitForURL(/\/areas\/.+/), official.click("a[href='/areas']")]);
  await official.fill("#village-name", "Bản Pa So");
  await Promise.all([official.waitForURL(/m=added/), official.click("form[action$='/villages'] button")]);
  const lead = await invite(official, "lead", "mai.lead", "Chị Mai");
  const volunteer = await invite(official, "volunteer", "hoa.volunteer", "Em Hoa", "Chị Mai");

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
  await stored(page, "skill_confirmed");
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

  // Two more families agree at their own houses, with no signal on either phone: the
  // volunteer's phone shows the code it kept, each family's phone shows its household
  // code, and she records the visit and a sign-off for the person who agreed by it.
  assert.match(await volunteer.textContent(".pairing-code code"), new RegExp(code), "the code is on her phone");
  async function agreesOffline(name, label) {
    const { context: home } = await phone(browser);
    const page = await open(home, "/me");
    await installed(page);
    await page.fill("#profile-name", name);
    await Promise.all([page.waitForEvent("load"), page.click(".add-profile button")]);
    await consent(page, label);
    await statusSays(page, "Đã đồng bộ");
    await home.setOffline(true);
    await page.goto(`${BASE}/me?pair=${code.replace("-", "")}`);
    await page.waitForSelector("html[data-hydrated='1']");
    await page.click("#pair-form button[type=submit]");
    await page.waitForSelector("#mentors .handoff");
    const handoff = (await page.textContent("#mentors .handoff")).match(/: ([A-HJ-NP-Z2-9]{5})/)[1];
    return { home, page, handoff };
  }
  async function recordByCode(handoff, minutes, topic, item) {
    await volunteer.click("#visit-section details summary");
    await volunteer.selectOption("#visit-household", "new");
    await volunteer.fill("#visit-handoff", handoff.toLowerCase());
    await volunteer.fill("#visit-minutes", minutes);
    await volunteer.selectOption("#visit-topic1", topic);
    await Promise.all([volunteer.waitForURL(/offline=queued/), volunteer.click("form[action$='/visit'] button")]);
    await volunteer.click("#new-household details summary");
    await volunteer.fill("#new-handoff", handoff);
    await volunteer.selectOption("#new-item", item);
    await Promise.all([volunteer.waitForURL(/offline=queued/), volunteer.click("form[action='/mentees/new/confirm'] button")]);
  }
  const paos = await agreesOffline("Ông Lò Văn Páo", "Điện thoại nhà ông Páo");
  await recordByCode(paos.handoff, "30", "vneid-install", "digital-identity/vneid-installed");
  const dungs = await agreesOffline("Chị Tẩn Thị Dung", "Điện thoại nhà chị Dung");
  await recordByCode(dungs.handoff, "25", "vietqr-payment", "digital-identity/level2");
  await volunteer.waitForFunction(() => /^7 ghi chép đang chờ gửi/.test(document.querySelector("[data-records]").textContent));
  await axe(volunteer, "mentees offline with records waiting", found);
  // Signing out needs the server: refused with a reason, nothing lost.
  await volunteer.goto(BASE + "/account");
  await Promise.all([volunteer.waitForURL(/offline=sign_out/), volunteer.click("form[action='/sign-out'] button")]);
  await volunteer.waitForSelector("[data-note=sign_out]:not([hidden])");
  assert.match(await volunteer.textContent("[data-note=sign_out]"), /Cần có mạng để đăng xuất/);

  // Signal again, on her phone first: the first family's records and the session are
  // sent; the other two families' agreements are not on the server yet, so their four wait.
  await volunteer.goto(BASE + "/mentees");
  await volunteerPhone.setOffline(false);
  await volunteer.waitForFunction(() => /^4 ghi chép đang chờ gửi/.test(document.querySelector("[data-records]").textContent), null, { timeout: 30_000 })
    .catch(async (err) => {
      console.log("the volunteer's page when signal returned:", volunteer.url(), (await volunteer.textContent("main")).slice(0, 600));
      throw err;
    });
  // Then the families' phones: their agreements go, and at her next sync so do hers.
  for (const family of [paos, dungs]) {
    await family.home.setOffline(false);
    await family.page.evaluate(() => navigator.serviceWorker.controller.postMessage({ type: "sync" }));
    await family.page.waitForFunction(() => /Em Hoa, tình nguyện viên/.test(document.querySelector("#mentors").textContent), null, { timeout: 30_000 });
  }
  await volunteer.evaluate(() => navigator.serviceWorker.controller.postMessage({ type: "sync" }));
  // Each new family's visit (its first, 30 and 25 minutes) shows once it is stored.
  const bothShown = (text) => /30 phút \(đã thăm 1 lần\)/.test(text) && /25 phút \(đã thăm 1 lần\)/.test(text);
  for (let tries = 0; !bothShown(await volunteer.textContent("main")); tries++) {
    assert.ok(tries < 30, "the new families' records reach the server");
    await volunteer.waitForTimeout(1000);
    await volunteer.goto(BASE + "/mentees");
  }
  await volunteer.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    const n = await new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = (e) => resolve(e.data.value);
      reg.active.postMessage({ type: "account-records" }, [ch.port2]);
    });
    return n === 0;
  }, null, { timeout: 30_000 });
  const main = await volunteer.textContent("main");
  assert.match(main, /Đang hướng dẫn 3 hộ/);
  assert.match(main, /đã thăm 2 lần/, "each record stored once");
  assert.match(main, /Ông Lò Văn Páo: 0 bài đã xong/);
  assert.match(main, /Chị Tẩn Thị Dung: 0 bài đã xong/);
  assert.match(main, /Nhà văn hoá Bản Pa So: 18 người đến/);
  // Each family's phone shows her sign-off of the person who agreed after its next sync.
  for (const [family, item] of [[paos, "digital-identity-vneid-installed"], [dungs, "digital-identity-level2"]]) {
    await family.page.evaluate(() => navigator.serviceWorker.controller.postMessage({ type: "sync" }));
    for (let tries = 0; ; tries++) {
      await family.page.reload();
      await family.page.waitForSelector("html[data-hydrated='1']");
      if (await family.page.locator(`#seen-${item}:not([hidden])`).count()) break;
      assert.ok(tries < 20, "the sign-off reaches the family's phone");
      await family.page.waitForTimeout(1000);
    }
    assert.equal(await family.page.textContent(`#seen-${item}`), "Em Hoa, tình nguyện viên, đã xác nhận");
  }

  // The commune official sees her counts on the team page.
  await official.goto(BASE + "/team");
  const hoaRow = await official.locator("tr", { has: official.locator("th", { hasText: "Em Hoa" }) }).innerText();
  assert.match(hoaRow.replace(/\s+/g, " "), /Em Hoa 3\/5 4 1/, "3 households of 5, 4 visits, 1 session");
  await axe(official, "team", found);
  // And so does the lead of her team.
  await lead.goto(BASE + "/team");
  const leadsRow = await lead.locator("tr", { has: lead.locator("th", { hasText: "Em Hoa" }) }).innerText();
  assert.match(leadsRow.replace(/\s+/g, " "), /Em Hoa 3\/5 4 1/);

  // The family ends it, after a confirmation; the volunteer sees nothing of it after.
  await page.click("#mentors [data-act=end]");
  assert.match(await page.textContent("#end-confirm"), /Dừng cho Em Hoa xem tiến độ/);
  await page.click("[data-act=end-yes]");
  await page.waitForFunction(() => /Chưa có tình nguyện viên nào/.test(document.querySelector("#mentors-state").textContent), null, { timeout: 30_000 });
  await volunteer.reload();
  assert.doesNotMatch(await volunteer.textContent("main"), /Bà Lò Thị Xuân/);
  assert.match(await volunteer.textContent("main"), /Đang hướng dẫn 2 hộ/);

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

// A volunteer leaves: the commune's official closes her account (after ticking that she
// left), and offers her household to another volunteer; the family is asked on its own
// phone and agrees; only then does the new volunteer see it. The one who left is signed
// out and cannot come back.
test("a household whose volunteer left agrees to the one the commune offers", async () => {
  const found = [];
  createAdmin("an.admin", "Anh An", "mật khẩu của An");
  const { context: adminPhone } = await phone(browser);
  const admin = await adminPhone.newPage();
  await signIn(admin, "an.admin", "mật khẩu của An");
  const official = await invite(admin, "official", "son.official", "Anh Sơn", null, "xã Sìn Hồ");
  await Promise.all([official.waitForURL(/\/areas\/.+/), official.click("a[href='/areas']")]);
  await official.fill("#village-name", "Bản Hồng Thu");
  await Promise.all([official.waitForURL(/m=added/), official.click("form[action$='/villages'] button")]);
  const ha = await invite(official, "volunteer", "ha.volunteer", "Em Hà", null, "xã Sìn Hồ");
  const lan = await invite(official, "volunteer", "lan.volunteer", "Em Lan", null, "xã Sìn Hồ");

  await Promise.all([ha.waitForURL(/\/mentees/), ha.click("a[href='/mentees']")]);
  await ha.selectOption("#code-village", { label: "bản Bản Hồng Thu" });
  await Promise.all([ha.waitForURL(/m=code_made/), ha.click(`form[action='/mentees/code'] button`)]);
  const code = (await ha.textContent(".pairing-code code")).match(/[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}/)[0];
  const { context: home } = await phone(browser);
  const page = await open(home, "/me");
  await installed(page);
  await page.fill("#profile-name", "Chị Tẩn Thị Mẩy");
  await Promise.all([page.waitForEvent("load"), page.click(".add-profile button")]);
  await consent(page, "Điện thoại nhà chị Mẩy");
  await statusSays(page, "Đã đồng bộ");
  await page.fill("#pair-code", code);
  await page.click("#pair-form button[type=submit]");
  await page.waitForFunction(() => /Em Hà, tình nguyện viên/.test(document.querySelector("#mentors").textContent), null, { timeout: 30_000 });

  // Em Hà leaves. Closing needs the box ticked; then her households can be offered.
  await official.goto(BASE + "/team");
  await official.click("#handover details summary");
  await official.selectOption("#close-account", { label: "Em Hà (Tình nguyện viên (đại sứ số))" });
  await official.check("#handover input[name=confirm]");
  await Promise.all([official.waitForURL(/m=left/), official.click("form[action='/team/left'] button")]);
  assert.match(await official.textContent("#handover"), /Em Hà đã nghỉ: 1 hộ vẫn chưa có người hướng dẫn mới \(0 hộ/);
  await official.selectOption("#offer-to-0", { label: "Em Lan" });
  await Promise.all([official.waitForURL(/m=offered/), official.click("form[action='/team/offer'] button")]);
  assert.match(await official.textContent("#handover"), /\(1 hộ đang được đề nghị\)/);
  await axe(official, "team with a volunteer who left", found);
  await Promise.all([lan.waitForURL(/\/mentees/), lan.goto(BASE + "/mentees")]);
  assert.doesNotMatch(await lan.textContent("main"), /Chị Tẩn Thị Mẩy/, "nothing before the family agrees");

  // The family's phone asks; the family agrees.
  await page.reload();
  await page.waitForSelector("#mentors .offer");
  assert.match(await page.textContent("#mentors .offer"), /Em Hà đã thôi làm tình nguyện viên\. Xã đề nghị Em Lan/);
  await axe(page, "me with an offer", found);
  await page.click("#mentors [data-act=offer-yes]");
  await page.evaluate(() => navigator.serviceWorker.controller.postMessage({ type: "sync" }));
  await page.waitForFunction(() => /Em Lan, tình nguyện viên/.test(document.querySelector("#mentors").textContent), null, { timeout: 30_000 });
  assert.match(await page.textContent("#mentors"), /Em Hà \(đã nghỉ\)/);
  await lan.reload();
  assert.match(await lan.textContent("main"), /Chị Tẩn Thị Mẩy: 0 bài đã xong/);

  // The official's coverage page: the commune's villages, counts only, and axe-clean.
  await official.goto(BASE + "/coverage");
  assert.match(await official.textContent("main"), /bản Bản Hồng Thu/);
  assert.doesNotMatch(await official.textContent("main"), /Tẩn Thị Mẩy/);
  await axe(official, "coverage", found);

  // Her report for the year, chosen on the page: the festival of 10 October is in it.
  const thisQuarter = await official.inputValue("#period");
  const year = thisQuarter.slice(0, 4);
  await official.selectOption("#period", year);
  await Promise.all([official.waitForURL(new RegExp(`period=${year}`)), official.click("form[action='/coverage'] button")]);
  assert.match(await official.textContent(".report-head"), new RegExp(`Năm ${year}[\\s\\S]*ngày 10/10, dịp Ngày hội học tập số`));
  assert.equal(await official.locator("svg.chart title").count() >= 1, true, "charts with titles");
  await axe(official, "coverage report for a year", found);
  // This quarter's report, printed to PDF by Chromium on A4: no navigation, the tables.
  await official.selectOption("#period", thisQuarter);
  await Promise.all([official.waitForURL(new RegExp(`period=${thisQuarter}`)), official.click("form[action='/coverage'] button")]);
  const [, q] = thisQuarter.split("-Q");
  assert.match(await official.textContent(".report-head"), new RegExp(`Quý ${q}/${year}`));
  await official.emulateMedia({ media: "print" });
  assert.equal(await official.isVisible(".tabs"), false, "no tabs on paper");
  assert.equal(await official.isVisible("#period"), false, "no form on paper");
  assert.equal(await official.isVisible("#places-h"), true);
  await official.emulateMedia({ media: "screen" });
  const pdf = await official.pdf({ format: "A4", printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  assert.ok(pdf.length > 10_000, `a real document (${pdf.length} bytes)`);
  // The same report as CSV: a byte-order mark, the period, the village, no names.
  const [download] = await Promise.all([official.waitForEvent("download"), official.click("a[href^='/coverage/report.csv']")]);
  const text = readFileSync(await download.path(), "utf8");
  assert.equal(text.charCodeAt(0), 0xfeff, "UTF-8 with a byte-order mark");
  const rows = parseCsv(text.slice(1));
  assert.deepEqual(rows[0].slice(0, 1), ["Báo cáo độ phủ"]);
  assert.equal(rows[0][2], `Quý ${q}/${year}`);
  const header = rows.find((r) => r[0] === "Nơi");
  assert.deepEqual([header[1], header.length], ["Hộ", 13], "the place and its 12 columns");
  const village = rows.find((r) => r[0] === "bản Bản Hồng Thu");
  assert.equal(village[1], "< 5", "one household shows as < 5");
  assert.doesNotMatch(text, /Tẩn Thị Mẩy|Em Hà|Em Lan/, "no names");

  // Em Hà's phone: her session ended; signing in again is refused.
  await ha.goto(BASE + "/mentees");
  assert.match(ha.url(), /\/sign-in/);
  await ha.fill("#login", "ha.volunteer");
  await ha.fill("#password", "mật khẩu của ha.volunteer");
  await Promise.all([ha.waitForURL(/\/sign-in\?e=wrong/), ha.click("form[action='/sign-in'] button")]);
  assert.deepEqual(found, []);
});
