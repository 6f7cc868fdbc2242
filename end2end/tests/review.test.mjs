// Knowing what comes next (issue 12): the placement check marks what a person already
// knows, and a passed lesson comes back for review days later (the clock moved forward).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, phone, open, stored } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const DAY = 86_400_000;

test("the placement check marks the lessons answered right as known, and learning starts after them", async () => {
  const { context, problems } = await phone(browser);
  const home = await open(context, "/");
  const offer = home.locator(".placement-offer a");
  assert.match(await offer.textContent(), /Kiểm tra nhanh 10 câu/);
  await Promise.all([home.waitForURL(/\/placement$/), offer.click()]);
  await home.waitForSelector("html[data-hydrated='1']");
  const questions = home.locator("form.placement-form fieldset.question");
  assert.equal(await questions.count(), 10);
  // The first three answered right, one wrong, the rest left blank.
  const lessons = [];
  for (let i = 0; i < 4; i++) {
    const q = questions.nth(i);
    lessons.push(await q.getAttribute("data-lesson"));
    const right = Number(await q.getAttribute("data-answer"));
    await q.locator(`input[value='${i < 3 ? right : (right + 1) % 2}']`).check();
  }
  await home.click("text=Xem kết quả");
  await home.waitForSelector(".placement-result:not([hidden])");
  assert.match(await home.textContent(".placement-result [role=status]"), /Bạn đã biết 3\/10 bài/);
  assert.ok(await home.locator("form.placement-form").isHidden());
  await stored(home, "placement_checked");

  await Promise.all([home.waitForURL(/\/tracks\/core$/), home.click("text=Xem các bài nền tảng")]);
  await home.waitForSelector("html[data-hydrated='1']");
  const card = (id) => home.locator(`.lesson-card[data-lesson='${id}']`);
  await card(lessons[3]).locator(".badge-next").waitFor();
  for (const known of lessons.slice(0, 3)) {
    assert.ok(await card(known).locator(".badge-known").isVisible(), `${known} is marked known`);
  }
  // Home: the check is not offered again, and learning goes on from the fourth lesson.
  const again = await open(context, "/");
  await again.waitForSelector(".continue[data-started]");
  assert.ok(await again.locator(".placement-offer").isHidden());
  const next = again.locator(`.continue a[data-next='${lessons[3]}']`);
  assert.ok(await next.isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});

test("a passed lesson comes back for review after 3 days; a miss leads to the step that answers it", async () => {
  const { context, problems } = await phone(browser);
  const lesson = await open(context, "/lessons/smartphone-basics");
  const questions = lesson.locator("fieldset.question");
  for (const [i, right] of [1, 2, 0].entries()) await questions.nth(i).locator(`input[value='${right}']`).check();
  await lesson.click("text=Kiểm tra đáp án");
  await lesson.waitForSelector(".score:has-text('3/3')");
  await stored(lesson, "lesson_completed");
  await lesson.close();
  const passed = Date.now();

  // Two days later nothing is due; three days later the lesson is.
  await context.clock.setFixedTime(passed + 2 * DAY);
  let track = await open(context, "/tracks/core");
  const card = track.locator(".lesson-card[data-lesson='smartphone-basics']");
  await card.locator(".badge-done").waitFor();
  assert.ok(await card.locator(".badge-review").isHidden());
  await track.close();
  await context.clock.setFixedTime(passed + 3 * DAY + 60_000);
  track = await open(context, "/tracks/core");
  const due = track.locator(".lesson-card[data-lesson='smartphone-basics']");
  await due.locator(".badge-review").waitFor();
  assert.equal(await due.locator("a").getAttribute("href"), "/lessons/smartphone-basics#review");
  const home = await open(context, "/");
  await home.waitForFunction(() => document.querySelector(".continue").innerText.includes("Ôn tập: Làm quen"));

  // The review asks one question; missed, it points back to step 2 ("tap the icon once").
  await Promise.all([home.waitForURL(/#review$/), home.click(".continue a[data-due]")]);
  await home.waitForSelector("form.quiz-form[data-review]");
  const review = home.locator("form.quiz-form");
  assert.match(await review.locator(".score").textContent(), /Ôn tập: một câu hỏi/);
  assert.equal(await review.locator("fieldset.question:visible").count(), 1);
  assert.match(await review.locator("fieldset.question:visible legend").textContent(), /Muốn mở một ứng dụng/);
  await review.locator("fieldset.question:visible input[value='0']").check();
  await home.click("text=Kiểm tra đáp án");
  await home.waitForSelector(".review-step");
  // The check button hid as it was pressed: the focus is on the way back to the step.
  assert.ok(await home.evaluate(() => document.activeElement.matches(".review-step")));
  assert.match(await home.textContent(".score"), /Chưa đúng\. Hãy đọc lại bước 2/);
  assert.equal(await home.textContent(".review-step"), "Đọc lại bước 2");
  assert.match(await review.locator("fieldset.question:visible").textContent(), /Chưa đúng\./);
  await stored(home, "review_answered");
  await home.click(".review-step");
  assert.equal((await home.textContent(".counter")).trim(), "Bước 2/5");
  assert.match(await home.locator(".steps li:visible").textContent(), /Chạm nhẹ một lần/);

  // Missed: due again three days after the miss, with the next question; right, it waits.
  await context.clock.setFixedTime(passed + 5 * DAY);
  track = await open(context, "/tracks/core");
  await track.locator(".lesson-card[data-lesson='smartphone-basics'] .badge-done").waitFor();
  assert.ok(await track.locator(".lesson-card[data-lesson='smartphone-basics'] .badge-review").isHidden());
  await context.clock.setFixedTime(passed + 6 * DAY + 120_000);
  const second = await open(context, "/lessons/smartphone-basics#review");
  await second.waitForSelector("form.quiz-form[data-review]");
  assert.ok(await second.locator("form.quiz-form button[type='submit']").isVisible());
  assert.match(await second.locator("fieldset.question:visible legend").textContent(), /Xem còn bao nhiêu pin/);
  await second.locator("fieldset.question:visible input[value='2']").check();
  await second.click("text=Kiểm tra đáp án");
  await second.waitForFunction(() => document.querySelector(".score").textContent.startsWith("Đúng rồi!"));
  assert.ok(await second.evaluate(() => document.activeElement.matches(".score")));
  assert.equal(await second.locator(".review-step").count(), 0);
  await stored(second, "review_answered", 2);
  track = await open(context, "/tracks/core");
  await track.locator(".lesson-card[data-lesson='smartphone-basics'] .badge-done").waitFor();
  assert.ok(await track.locator(".lesson-card[data-lesson='smartphone-basics'] .badge-review").isHidden());
  assert.deepEqual(problems, []);
  await context.close();
});
