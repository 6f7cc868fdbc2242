// The learning slice as a household member meets it on a phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE, launch, phone, open, persistentPhone, stored } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("home page greets in Vietnamese with tracks, continue card and bottom navigation", async () => {
  const { context, problems } = await phone(browser);
  const page = await open(context, "/");
  assert.equal(await page.getAttribute("html", "lang"), "vi");
  assert.equal(await page.textContent("h1"), "Bình dân học vụ số");
  const tabs = await page.locator("nav.tabs a").allInnerTexts();
  assert.deepEqual(tabs.map((t) => t.trim()), ["Học", "Gia đình", "Chợ số", "Tôi"]);
  const tracks = await page.locator(".track-card strong").allInnerTexts();
  for (const name of ["Hộ gia đình", "Người cao tuổi", "Tiểu thương 4T", "Học sinh, sinh viên", "Người lao động", "Cán bộ, công chức"]) {
    assert.ok(tracks.includes(name), `track ${name} missing from ${tracks}`);
  }
  assert.match(await page.innerText(".continue"), /Bắt đầu: Làm quen với điện thoại thông minh/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("switching to English survives a reload and reaches server-rendered pages", async () => {
  const { context, problems } = await phone(browser);
  const page = await open(context, "/tracks/core");
  await page.click("form.lang-switch button[value='en']");
  await page.waitForURL(BASE + "/tracks/core");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.textContent("h1"), "Common core");
  await page.reload();
  assert.equal(await page.textContent("h1"), "Common core");
  // The next page arrives from the server already in English: no flash of Vietnamese.
  const html = await (await context.request.get(BASE + "/")).text();
  assert.match(html, /<html lang="en"/);
  assert.match(html, /Digital literacy for all/);
  await page.click("form.lang-switch button[value='vi']");
  await page.waitForURL(BASE + "/tracks/core");
  assert.equal(await page.textContent("h1"), "Nền tảng cho mọi người");
  assert.deepEqual(problems, []);
  await context.close();
});

test("text size choice survives a reload", async () => {
  const { context } = await phone(browser);
  const page = await open(context, "/me");
  await page.check("input[name='size'][value='xlarge']");
  await page.click("form.prefs button[type='submit']");
  await page.waitForURL(BASE + "/me");
  await page.reload();
  assert.ok((await page.getAttribute("html", "class")).split(" ").includes("size-xlarge"));
  const fontSize = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  assert.equal(fontSize, "22px");
  await context.close();
});

test("a lesson is read step by step, its quiz answered, and it shows as done after reload", async () => {
  const { context, problems } = await phone(browser);
  const page = await open(context, "/lessons/smartphone-basics");
  assert.equal(await page.textContent("h1"), "Làm quen với điện thoại thông minh");
  assert.equal((await page.textContent(".counter")).trim(), "Bước 1/5");
  assert.equal(await page.locator(".steps li:visible").count(), 1);
  await page.click("text=Bước tiếp");
  assert.equal((await page.textContent(".counter")).trim(), "Bước 2/5");

  // One wrong answer: the quiz says which, and why.
  const questions = page.locator("fieldset.question");
  await questions.nth(0).locator("input[value='1']").check();
  await questions.nth(1).locator("input[value='0']").check();
  await questions.nth(2).locator("input[value='0']").check();
  await page.click("text=Kiểm tra đáp án");
  assert.match(await questions.nth(0).textContent(), /Đúng rồi/);
  assert.match(await questions.nth(1).textContent(), /Chưa đúng\..*Thanh trạng thái/);
  assert.match(await page.textContent(".score"), /2\/3/);

  await questions.nth(1).locator("input[value='2']").check();
  await page.click("text=Kiểm tra đáp án");
  assert.match(await page.textContent(".score"), /3\/3 câu\. Bài học đã được đánh dấu là đã học/);
  await stored(page, "lesson_completed");

  // Done in the track and on the home page, after a reload, with no account.
  const track = await open(context, "/tracks/core");
  await track.reload();
  await track.waitForSelector("html[data-hydrated='1']");
  const card = track.locator(".lesson-card", { hasText: "Làm quen với điện thoại thông minh" });
  await card.locator(".badge-done").waitFor();
  assert.equal(await track.locator(".badge-done:visible").count(), 1);
  const home = await open(context, "/");
  await home.waitForFunction(() => !document.querySelector(".continue").innerText.includes("Bắt đầu"));
  assert.match(await home.innerText(".continue"), /Học tiếp: Nhận biết cuộc gọi lừa đảo/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a quiz not passed comes back before new lessons, and the track marks it to try again", async () => {
  const { context, problems } = await phone(browser);
  // Two quizzes checked with nothing chosen (every answer wrong), then the first lesson passed.
  for (const [i, id] of ["passwords-otp", "vneid-install"].entries()) {
    const page = await open(context, `/lessons/${id}`);
    await page.click("text=Kiểm tra đáp án");
    await page.waitForSelector(".score:has-text('thử lại')");
    await stored(page, "quiz_attempted", i + 1);
    await page.close();
  }
  const first = await open(context, "/lessons/smartphone-basics");
  const questions = first.locator("fieldset.question");
  for (const [i, right] of [1, 2, 0].entries()) await questions.nth(i).locator(`input[value='${right}']`).check();
  await first.click("text=Kiểm tra đáp án");
  await first.waitForSelector(".score:has-text('3/3')");
  await stored(first, "lesson_completed");

  const track = await open(context, "/tracks/core");
  const card = (id) => track.locator(`.lesson-card[data-lesson='${id}']`);
  await card("passwords-otp").locator(".badge-next").waitFor();
  assert.ok(await card("vneid-install").locator(".badge-retry").isVisible(), "the other failed quiz is marked to try again");
  assert.ok(!(await card("scam-calls").locator(".badge").first().isVisible()), "a new lesson waits");
  assert.ok(await card("smartphone-basics").locator(".badge-done").isVisible());
  const home = await open(context, "/");
  await home.waitForFunction(() => document.querySelector(".continue").innerText.includes("Mật khẩu mạnh"));
  assert.deepEqual(problems, []);
  await context.close();
});

test("an unknown lesson or address gets a translated 404 page", async () => {
  const { context } = await phone(browser);
  const page = await context.newPage();
  const lesson = await page.goto(BASE + "/lessons/no-such-lesson");
  assert.equal(lesson.status(), 404);
  assert.equal(await page.textContent("h1"), "Không tìm thấy trang");
  const route = await page.goto(BASE + "/no/such/page");
  assert.equal(route.status(), 404);
  assert.equal(await page.textContent("h1"), "Không tìm thấy trang");
  await context.addCookies([{ name: "hocso_lang", value: "en", url: BASE }]);
  const english = await page.goto(BASE + "/tracks/nowhere");
  assert.equal(english.status(), 404);
  assert.equal(await page.textContent("h1"), "Page not found");
  await context.close();
});

test("with JavaScript off, a lesson is still readable HTML with every step and question", async () => {
  const { context } = await phone(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto(BASE + "/lessons/scam-calls");
  assert.equal(response.status(), 200);
  assert.equal(await page.textContent("h1"), "Nhận biết cuộc gọi lừa đảo");
  assert.equal(await page.locator(".steps li:visible").count(), 5);
  assert.equal(await page.locator("fieldset.question").count(), 3);
  await page.locator("fieldset.question details summary").first().click();
  assert.match(await page.locator("fieldset.question details").first().textContent(), /Cúp máy/);
  // The language switch is a plain form, so it works too.
  await page.click("form.lang-switch button[value='en']");
  assert.equal(await page.textContent("h1"), "Recognising scam calls");
  await context.close();
});

test("the install offer can be put off, and stays away after a reload", async () => {
  // Chromium offers installation only to a profile kept on disk, once the service
  // worker and the manifest qualify.
  const dir = mkdtempSync(join(tmpdir(), "hocso-install-"));
  const { context, problems } = await persistentPhone(dir);
  const page = await context.newPage();
  await page.goto(BASE + "/");
  await page.waitForSelector("#install-banner:not([hidden])", { timeout: 60_000 });
  await page.click("#install-banner [data-install='later']");
  assert.equal(await page.isHidden("#install-banner"), true);
  await page.reload();
  await page.waitForSelector("html[data-hydrated='1']");
  await page.waitForTimeout(3000);
  assert.equal(await page.isHidden("#install-banner"), true);
  assert.deepEqual(problems, []);
  await context.close();
  rmSync(dir, { recursive: true, force: true });
});
