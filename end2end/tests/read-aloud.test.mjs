// Read-aloud at the browser boundary (issue 12): the phone's voice is the Web Speech API,
// which headless Chromium has no voices for, so each phone here gets a recording
// `speechSynthesis` with the voices a test chooses. It keeps what the app hands it (text,
// language, voice, rate, in order) and ends an utterance only when the test says so, as
// a voice that is still reading would.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, phone, open } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const VI = { name: "Tiếng Việt", lang: "vi-VN", localService: true, default: false, voiceURI: "vi" };
const EN = { name: "English", lang: "en-US", localService: true, default: true, voiceURI: "en" };

// With `late`, the phone lists no voice at first and announces them twice, a moment
// later, as Chrome does while it loads them.
const speech = (voices, late = false) => `(() => {
  const listed = ${JSON.stringify(voices)};
  let voices = ${late} ? [] : listed;
  const said = [];
  let current = null;
  let cancels = 0;
  window.__speech = {
    said,
    get cancels() { return cancels; },
    // The voice finishes the sentence it is reading.
    end() { const u = current; current = null; if (u && u.onend) u.onend(new Event("end")); },
  };
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.lang = ""; this.rate = 1; this.voice = null; this.onend = null; this.onerror = null; }
  };
  const synth = {
    onvoiceschanged: null,
    getVoices: () => voices,
    speak(u) { said.push({ text: u.text, lang: u.lang, rate: u.rate, voice: u.voice && u.voice.name }); current = u; },
    // Like Chrome: the utterance cut short reports an error, a moment later.
    cancel() { cancels++; const u = current; current = null; if (u && u.onerror) setTimeout(() => u.onerror(new Event("error"))); },
  };
  Object.defineProperty(window, "speechSynthesis", { configurable: true, value: synth });
  if (${late}) setTimeout(() => {
    voices = listed;
    for (let i = 0; i < 2; i++) synth.onvoiceschanged && synth.onvoiceschanged(new Event("voiceschanged"));
  }, 500);
})();`;

// Every layout shift of the page not caused by the person (as Lighthouse counts CLS),
// with what moved.
const SHIFTS = `window.__shifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (!e.hadRecentInput) window.__shifts.push(e.value.toFixed(3) + " " + e.sources.map((s) => s.node && (s.node.className || s.node.nodeName)).join(", "));
  }
}).observe({ type: "layout-shift", buffered: true });`;
const shifts = (page) => page.evaluate(() => window.__shifts);

async function phoneWithVoices(voices, late = false) {
  const { context, problems } = await phone(browser);
  await context.addInitScript(speech(voices, late));
  await context.addInitScript(SHIFTS);
  return { context, problems };
}

const said = (page) => page.evaluate(() => window.__speech.said.map((s) => ({ ...s })));
const reading = (page) => page.locator(".sentence[data-reading]").allTextContents();

/// Lets the voice finish sentence after sentence until nothing more is read.
async function listenToTheEnd(page) {
  for (let n = 0; n < 200; n++) {
    const before = (await said(page)).length;
    await page.evaluate(() => window.__speech.end());
    await page.waitForTimeout(20);
    if ((await said(page)).length === before) return said(page);
  }
  throw new Error("the reading never ended");
}

test("the whole lesson is read aloud in Vietnamese, sentence by sentence and highlighted, without the answers", async () => {
  const { context, problems } = await phoneWithVoices([EN, VI]);
  const page = await open(context, "/lessons/smartphone-basics");
  const all = page.getByRole("button", { name: "Đọc cả bài" });
  await all.waitFor();
  assert.equal(await page.locator(".say-note:visible").count(), 0, "no note when the phone has a voice");
  assert.deepEqual(await shifts(page), [], "nothing moved when the controls appeared");

  await all.click();
  await page.waitForFunction(() => window.__speech.said.length === 1);
  const [first] = await said(page);
  assert.deepEqual(first, { text: "Chạm, vuốt, mở ứng dụng và quay về màn hình chính.", lang: "vi-VN", rate: 1, voice: "Tiếng Việt" });
  assert.deepEqual(await reading(page), [first.text], "the sentence being read is highlighted");
  // Every step shows while the whole lesson is read.
  assert.ok(await page.getByText("Vuốt từ dưới lên để mở khoá.").isVisible());

  const texts = (await listenToTheEnd(page)).map((s) => s.text);
  const order = [
    "Đây là những thao tác bạn dùng mỗi ngày.",
    "Bấm nút nguồn ở cạnh máy để mở màn hình.",
    "Vuốt từ dưới lên để mở khoá.",
    "Kéo thanh trên cùng xuống để xem pin, sóng điện thoại, Wi‑Fi và thông báo.",
    "Mở ứng dụng Máy ảnh, chụp một tấm ảnh, rồi quay về màn hình chính.",
    "1. Muốn mở một ứng dụng, bạn làm thế nào?",
    "Bấm giữ thật lâu",
    "3. Đang ở trong một ứng dụng, làm sao về màn hình chính?",
    "Tháo pin",
  ];
  let at = 0;
  for (const text of order) {
    const found = texts.indexOf(text, at);
    assert.ok(found >= at, `"${text}" read after what came before it, in ${JSON.stringify(texts)}`);
    at = found;
  }
  assert.equal(texts.at(-1), "Tháo pin", "the reading ends with the last option");
  assert.ok(!texts.some((t) => t.includes("Bấm giữ lâu thường để")), "the explanations are not read before the quiz");
  assert.deepEqual(await reading(page), [], "nothing stays highlighted");
  assert.ok(!(await page.getByRole("button", { name: "Dừng đọc" }).isVisible()));
  assert.deepEqual(problems, []);
  await context.close();
});

test("stop ends the reading, slow reads slower, and a checked question is read with its verdict", async () => {
  const { context, problems } = await phoneWithVoices([VI]);
  const page = await open(context, "/lessons/smartphone-basics");
  await page.getByRole("button", { name: "Đọc cả bài" }).click();
  await page.waitForFunction(() => window.__speech.said.length === 1);
  await page.evaluate(() => window.__speech.end());
  await page.waitForFunction(() => window.__speech.said.length === 2);
  await page.getByRole("button", { name: "Dừng đọc" }).click();
  await page.waitForTimeout(100);
  await page.evaluate(() => window.__speech.end());
  await page.waitForTimeout(100);
  assert.equal((await said(page)).length, 2, "nothing more is read after stop");
  assert.ok((await page.evaluate(() => window.__speech.cancels)) >= 1, "the voice was told to stop");
  assert.deepEqual(await reading(page), []);
  assert.ok(!(await page.getByRole("button", { name: "Dừng đọc" }).isVisible()));

  const slow = page.getByRole("button", { name: "Đọc chậm" });
  await slow.click();
  assert.equal(await slow.getAttribute("aria-pressed"), "true");
  const task = page.locator("section.task [data-say-one]");
  await task.click();
  await page.waitForFunction(() => window.__speech.said.length === 3);
  const [, , taskSaid] = await said(page);
  assert.equal(taskSaid.text, "Mở ứng dụng Máy ảnh, chụp một tấm ảnh, rồi quay về màn hình chính.");
  assert.ok(taskSaid.rate < 1, `slow reads slower (rate ${taskSaid.rate})`);
  await listenToTheEnd(page);

  // Checked with the first answer wrong: its verdict and explanation are read on request.
  await slow.click();
  const first = page.locator("fieldset.question").first();
  await first.locator("input[value='0']").check();
  await page.click("text=Kiểm tra đáp án");
  await first.locator("[data-say-one]").click();
  const texts = (await listenToTheEnd(page)).slice(3).map((s) => [s.text, s.rate]);
  assert.deepEqual(texts, [
    ["1. Muốn mở một ứng dụng, bạn làm thế nào?", 1],
    ["Bấm giữ thật lâu", 1],
    ["Chạm nhẹ một lần vào biểu tượng", 1],
    ["Lắc điện thoại", 1],
    ["Chưa đúng.", 1],
    ["Chạm nhẹ một lần là đủ.", 1],
    ["Bấm giữ lâu thường để di chuyển hoặc xoá biểu tượng.", 1],
  ]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the controls are named buttons of at least 44 px that the keyboard reaches", async () => {
  const { context, problems } = await phoneWithVoices([VI]);
  const page = await open(context, "/lessons/smartphone-basics");
  await page.getByRole("button", { name: "Đọc cả bài" }).waitFor();
  const buttons = page.locator(".say-controls button:visible, [data-say-one]:visible");
  assert.ok((await buttons.count()) >= 5, "the bar and a Listen button a visible block");
  for (const b of await buttons.all()) {
    const box = await b.boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `${await b.innerText()} is ${box.width}×${box.height}`);
    assert.ok((await b.innerText()).trim().length > 0, "named by its text");
  }
  await page.locator(".say-controls button").first().focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.__speech.said.length === 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a phone without a voice for the language says how to add one instead of showing dead buttons", async () => {
  const { context, problems } = await phoneWithVoices([EN]);
  const page = await open(context, "/lessons/smartphone-basics");
  const note = page.locator(".say-note");
  await note.waitFor();
  assert.match(await note.innerText(), /Máy chưa có giọng đọc — cách thêm/);
  assert.deepEqual(await shifts(page), [], "nothing moved when the note appeared");
  assert.equal(await page.locator(".say-controls button:visible, [data-say-one]:visible").count(), 0);

  // The note leads to how to add a voice.
  await note.locator("a").click();
  await page.waitForURL(/\/me#read-aloud$/);
  assert.match(await page.innerText("#read-aloud"), /Cài đặt → Chuyển văn bản thành giọng nói → cài giọng tiếng Việt/);

  // The same phone reads the English page with its English voice.
  const en = await open(context, "/lessons/smartphone-basics?lang=en");
  await en.getByRole("button", { name: "Read the whole lesson" }).click();
  await en.waitForFunction(() => window.__speech.said.length === 1);
  const [first] = await said(en);
  assert.deepEqual([first.lang, first.voice], ["en-US", "English"]);
  assert.match(first.text, /^Tap, swipe, open an app/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a voice that needs a signal still reads, and the page says so", async () => {
  const { context, problems } = await phoneWithVoices([{ ...VI, localService: false }]);
  const page = await open(context, "/family");
  const note = page.locator(".say-note");
  await page.getByRole("button", { name: "Đọc cả danh sách" }).click();
  await page.waitForFunction(() => window.__speech.said.length === 1);
  await note.waitFor();
  assert.match(await note.innerText(), /Máy chưa có giọng đọc/);
  const texts = (await listenToTheEnd(page)).map((s) => s.text);
  const labels = await page.locator(".checklist .tick label").allInnerTexts();
  assert.ok(labels.length >= 5);
  for (const label of labels) {
    assert.ok(texts.includes(label.trim()) || texts.some((t) => label.includes(t)), `"${label}" was read`);
  }
  // One item, with its own button.
  const count = texts.length;
  await page.locator(".checklist .tick").nth(1).locator("[data-say-one]").click();
  const item = (await listenToTheEnd(page)).slice(count).map((s) => s.text).join(" ");
  assert.equal(item, `${labels[1].trim()} ${(await page.locator(".checklist .tick .why").nth(1).innerText()).trim()}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("voices the phone lists late, and announces twice, still read the page", async () => {
  const { context, problems } = await phoneWithVoices([VI], true);
  const page = await open(context, "/lessons/smartphone-basics");
  await page.getByRole("button", { name: "Đọc cả bài" }).click();
  await page.waitForFunction(() => window.__speech.said.length === 1);
  assert.equal((await said(page))[0].voice, "Tiếng Việt");
  assert.equal(await page.locator(".say-note:visible").count(), 0);
  assert.deepEqual(await shifts(page), []);
  assert.deepEqual(problems, [], "no error from the second announcement");
  await context.close();
});
