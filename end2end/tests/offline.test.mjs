// Offline first, as a household meets it: one visit online, then everything with the
// network off; what was done survives closing the browser and reaches the server once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE, launch, phone, open, persistentPhone, installed, consent, statusSays, stored } from "./browser.mjs";

let dir;
before(() => { dir = mkdtempSync(join(tmpdir(), "hocso-phone-")); });
after(() => rmSync(dir, { recursive: true, force: true }));

const TRACKS = ["core", "household", "elderly", "trader", "student", "worker", "official"];

async function answerQuiz(page, answers) {
  const questions = page.locator("fieldset.question");
  for (const [i, a] of answers.entries()) await questions.nth(i).locator(`input[value='${a}']`).check();
  await page.click("form.quiz-form button[type='submit']");
}

async function statusText(page) {
  await page.waitForSelector("#sync-status:not([hidden])");
  return page.innerText("#sync-status");
}

test("after one visit the whole app works offline, survives a restart, and syncs exactly once", async () => {
  // First visit, online: the service worker keeps the app.
  let { context, problems } = await persistentPhone(dir);
  let page = await context.newPage();
  await page.goto(BASE + "/");
  await installed(page);
  // Grandmother names her profile on the shared phone.
  await page.goto(BASE + "/me");
  await page.waitForSelector("html[data-hydrated='1']");
  await page.fill("#profile-name", "Bà Lan");
  await Promise.all([page.waitForEvent("load"), page.click(".add-profile button")]);
  await page.waitForSelector(".profile:has-text('Bà Lan') .badge-current");
  // Someone asks a question online: the worker must not keep that answer as "the Hỏi
  // page" for whoever asks next with no signal (below).
  await page.goto(BASE + "/ask?q=mat+khau+manh");
  assert.equal(await page.getAttribute(".answers li:not([hidden]) a >> nth=0", "href"), "/lessons/passwords-otp");

  // Network off: every track and a lesson never opened, by full page loads.
  await context.setOffline(true);
  for (const track of TRACKS) {
    const res = await page.goto(`${BASE}/tracks/${track}`);
    assert.equal(res.status(), 200, track);
    assert.ok((await page.textContent("h1")).length > 0);
  }
  await page.goto(BASE + "/lessons/passwords-otp");
  await page.waitForSelector("html[data-hydrated='1']");
  assert.equal(await page.textContent("h1"), "Mật khẩu mạnh và mã OTP");
  await answerQuiz(page, [1, 2, 0]);
  assert.match(await page.textContent(".score"), /3\/3/);
  await stored(page, "lesson_completed");

  // In-app navigation (a tab link) and two checklist ticks.
  await page.click("nav.tabs a[href='/family']");
  await page.waitForURL(BASE + "/family");
  await page.waitForSelector("html[data-hydrated='1']");
  await page.check("input[data-item='phone-lock']");
  await page.check("input[data-item='scams']");
  await page.waitForFunction(() => document.querySelector(".count").textContent.startsWith("Đã xong 2"));
  await statusText(page);
  // Nothing leaves the phone before the person agrees.
  await page.waitForFunction(() => document.querySelector("#sync-status").textContent.startsWith("Chỉ lưu trên máy này"));

  // Switching language offline works too, from the kept pages.
  await page.click("form.lang-switch button[value='en']");
  await page.waitForURL(BASE + "/family");
  assert.equal(await page.textContent("h1"), "Digital family");
  await page.click("form.lang-switch button[value='vi']");
  await page.waitForURL(BASE + "/family");

  // A question typed without accents in the bar of any page, with no signal: the kept
  // Hỏi page answers it on the phone from the kept index; asked again, in English, from
  // its own box.
  await page.fill("#ask-bar-q", "lam sao cai vneid");
  await Promise.all([page.waitForURL(/\/ask\?q=lam/), page.press("#ask-bar-q", "Enter")]);
  await page.waitForSelector("html[data-hydrated='1']");
  await page.waitForSelector(".answers li:not([hidden]) a");
  assert.equal(await page.getAttribute(".answers li:not([hidden]) a >> nth=0", "href"), "/lessons/vneid-install");
  assert.match(await page.textContent(".ask-status"), /lam sao cai vneid/);
  await page.fill("#ask-q", "stop strangers finding me on zalo");
  await page.click(".ask-form button[type='submit']");
  await page.waitForFunction(() => document.querySelector(".ask-status").textContent.includes("zalo"));
  assert.equal(await page.getAttribute(".answers li:not([hidden]) a >> nth=0", "href"), "/lessons/zalo-safety");
  assert.equal(page.url(), BASE + "/ask?q=lam+sao+cai+vneid", "answered without leaving the page");

  // A page never kept shows the offline notice.
  await page.goto(BASE + "/lessons/not-kept-anywhere");
  assert.equal(await page.textContent("h1"), "Bạn đang không có mạng");
  assert.deepEqual(problems.filter((p) => !p.includes("ERR_INTERNET_DISCONNECTED")), []);
  await context.close();

  // The phone restarts, still offline: the progress is there.
  ({ context, problems } = await persistentPhone(dir, { offline: true }));
  page = await context.newPage();
  await page.goto(BASE + "/tracks/core");
  await page.waitForSelector("html[data-hydrated='1']");
  await page.locator(".lesson-card[data-lesson='passwords-otp'] .badge-done").waitFor();
  await page.goto(BASE + "/family");
  await page.waitForSelector("html[data-hydrated='1']");
  await page.waitForFunction(() => document.querySelector("input[data-item='phone-lock']").checked);
  assert.equal(await page.isChecked("input[data-item='scams']"), true);
  assert.equal(await page.isChecked("input[data-item='cashless']"), false);

  // Back online, Bà Lan reads what leaves the phone and agrees: sent once.
  await context.setOffline(false);
  await consent(page, "Điện thoại của bà Lan");
  await statusSays(page, "Đã đồng bộ");
  // A code for the family's other phones, made when she asks for one.
  await page.click("[data-act=code]");
  await page.waitForSelector("#household-code:not([hidden])");
  const code = (await page.textContent("#household-code")).match(/[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}/)[0];
  await context.close();

  // The server holds exactly those five events, once each: a phone that joins with the
  // code pulls them.
  const device = crypto.randomUUID();
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex");
  const version = (await (await fetch(BASE + "/sw.js")).text()).match(/"consent":"([^"]+)"/)[1];
  const reg = await fetch(BASE + "/api/v2/devices", {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ device_id: device, secret, consent: version, join_code: code }),
  });
  assert.equal(reg.status, 201);
  const pulled = await (await fetch(BASE + "/api/v2/sync", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${device}.${secret}` },
    body: JSON.stringify({ consent: version }),
  })).json();
  const kinds = pulled.events.map((e) => e.kind).sort();
  assert.deepEqual(kinds, ["checklist_ticked", "checklist_ticked", "lesson_completed", "profile_saved", "quiz_attempted"]);
  assert.equal(new Set(pulled.events.map((e) => e.event_id)).size, 5);

  // A second phone of the household joins with the code and sees the progress.
  const browser = await launch();
  const second = await phone(browser);
  const other = await open(second.context, "/me");
  await installed(other);
  await consent(other);
  await other.fill("#join-code", code);
  await other.click("#join-form button[type='submit']");
  await statusSays(other, "Đã đồng bộ");
  // Bà Lan's profile arrived with the sync; she picks it on this phone too.
  await other.reload();
  await other.waitForSelector(".profile:has-text('Bà Lan') button");
  await Promise.all([other.waitForEvent("load"), other.click(".profile:has-text('Bà Lan') button")]);
  await other.waitForSelector(".profile:has-text('Bà Lan') .badge-current");
  const track = await open(second.context, "/family");
  await track.waitForFunction(() => document.querySelector("input[data-item='phone-lock']").checked);

  // The digital family's list is the household's: her grandson, added on this phone,
  // sees what she ticked, and what he unticks is unticked for her too.
  await other.fill("#profile-name", "Cháu Hùng");
  await Promise.all([other.waitForEvent("load"), other.click(".add-profile button")]);
  await other.waitForSelector(".profile:has-text('Cháu Hùng') .badge-current");
  await track.reload();
  await track.waitForSelector("html[data-hydrated='1']");
  await track.waitForFunction(() => document.querySelector("input[data-item='phone-lock']").checked);
  assert.match(await track.textContent("section:has(#digital-family-h)"), /là của cả hộ/);
  await track.uncheck("input[data-item='phone-lock']");
  await track.waitForFunction(() => document.querySelector(".count").textContent.startsWith("Đã xong 1"));
  await track.waitForTimeout(500); // the tick is written to the phone's store
  await other.reload();
  await Promise.all([other.waitForEvent("load"), other.click(".profile:has-text('Bà Lan') button")]);
  await other.waitForSelector(".profile:has-text('Bà Lan') .badge-current");
  await track.reload();
  await track.waitForSelector("html[data-hydrated='1']");
  await track.waitForFunction(() => document.querySelector("input[data-item='scams']").checked);
  assert.equal(await track.isChecked("input[data-item='phone-lock']"), false, "unticked for the household");
  await browser.close();
});
