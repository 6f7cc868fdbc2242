// Accessibility as elderly and disabled people meet it: axe-core's WCAG 2.2 AA rules on
// every kind of page, in both languages, at the normal and the largest text size; touch
// targets of at least 44×44 CSS px; every control named for a screen reader.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { BASE, launch, phone, open } from "./browser.mjs";

const PAGES = {
  home: "/",
  track: "/tracks/core",
  lesson: "/lessons/smartphone-basics",
  family: "/family",
  market: "/market",
  me: "/me",
  offline: "/offline",
  ask: "/ask?q=mat+khau",
  placement: "/placement",
};
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function phoneWith(lang, size) {
  const { context, problems } = await phone(browser);
  const url = new URL(BASE);
  await context.addCookies([
    { name: "hocso_lang", value: lang, domain: url.hostname, path: "/" },
    { name: "hocso_size", value: size, domain: url.hostname, path: "/" },
  ]);
  return { context, problems };
}

function describe(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`)
    .join("\n");
}

async function axe(page) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return violations;
}

for (const lang of ["vi", "en"]) {
  for (const size of ["normal", "xlarge"]) {
    test(`axe finds no WCAG 2.2 AA violation on any page (${lang}, text ${size})`, async () => {
      const { context, problems } = await phoneWith(lang, size);
      const found = [];
      for (const [name, path] of Object.entries(PAGES)) {
        const page = await open(context, path);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        const violations = await axe(page);
        if (violations.length) found.push(`${name} ${path}:\n  ${describe(violations)}`);
        await page.close();
      }
      // A page that does not exist, and a lesson with its quiz answered.
      const missing = await context.newPage();
      await missing.goto(BASE + "/no-such-page");
      const v404 = await axe(missing);
      if (v404.length) found.push(`404:\n  ${describe(v404)}`);
      const lesson = await open(context, "/lessons/passwords-otp");
      for (const [q, o] of [[0, 0], [1, 2], [2, 0]]) await lesson.check(`input[name=q${q}][value='${o}']`);
      await lesson.click(".quiz-form button[type=submit]");
      await lesson.waitForSelector("[data-result]");
      const vQuiz = await axe(lesson);
      if (vQuiz.length) found.push(`answered quiz:\n  ${describe(vQuiz)}`);
      assert.equal(found.length, 0, found.join("\n"));
      // The 404 page's own status is the one error the console may show.
      assert.deepEqual(problems.filter((p) => !p.includes("status of 404")), []);
      await context.close();
    });
  }
}

// What a finger can hit: every control's box is at least 44×44 CSS px. A radio button or
// a tick box is hit through its label, so the label is measured.
test("every touch target is at least 44×44 CSS px", async () => {
  const { context } = await phoneWith("vi", "normal");
  const small = [];
  for (const path of Object.values(PAGES)) {
    const page = await open(context, path);
    const found = await page.evaluate(() => {
      const targets = [...document.querySelectorAll(
        "a[href], button, summary, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), label:has(input[type=radio]), label:has(input[type=checkbox])",
      )];
      return targets
        .filter((el) => el.offsetParent !== null || el.getClientRects().length > 0)
        .filter((el) => getComputedStyle(el).visibility !== "hidden")
        // The skip link is off screen until focused.
        .filter((el) => !el.classList.contains("skip"))
        .map((el) => {
          const r = el.getBoundingClientRect();
          return { what: el.outerHTML.slice(0, 80), w: Math.round(r.width), h: Math.round(r.height) };
        })
        .filter((t) => t.w < 44 || t.h < 44);
    });
    for (const t of found) small.push(`${path}: ${t.w}×${t.h} ${t.what}`);
    await page.close();
  }
  assert.deepEqual(small, []);
  await context.close();
});

// A screen reader announces each control by its name: none may be silent.
test("every control has a name a screen reader can read", async () => {
  const { context } = await phoneWith("en", "normal");
  const unnamed = [];
  for (const path of Object.values(PAGES)) {
    const page = await open(context, path);
    const snapshot = await page.locator("body").ariaSnapshot();
    for (const line of snapshot.split("\n")) {
      // e.g. `- button` or `- link` with no name after the role.
      if (/^\s*- (button|link|radio|checkbox|textbox|combobox)\s*(\[[^\]]*\])?:?\s*$/.test(line)) {
        unnamed.push(`${path}: ${line.trim()}`);
      }
    }
    await page.close();
  }
  assert.deepEqual(unnamed, []);
  await context.close();
});

// A keyboard or switch user reaches every control with Tab (a radio group is one stop;
// its options are chosen with the arrow keys).
test("every control is reachable with the keyboard", async () => {
  const { context } = await phoneWith("vi", "normal");
  const missed = [];
  for (const path of [PAGES.lesson, PAGES.family, PAGES.me]) {
    const page = await open(context, path);
    const stops = await page.evaluate(() => {
      const seen = new Set();
      let n = 0;
      for (const el of document.querySelectorAll("a[href], button, summary, select, textarea, input:not([type=hidden])")) {
        const shown = el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
        if (!shown || el.disabled || el.classList.contains("skip")) continue;
        const key = el.type === "radio" ? `radio:${el.name}` : `el:${n++}`;
        if (el.type === "radio" && seen.has(key)) { el.dataset.stop = key; continue; }
        seen.add(key);
        el.dataset.stop = key;
      }
      return [...seen];
    });
    const reached = new Set();
    for (let i = 0; i < stops.length + 10; i++) {
      await page.keyboard.press("Tab");
      const stop = await page.evaluate(() => document.activeElement?.dataset?.stop);
      if (stop) reached.add(stop);
    }
    for (const stop of stops) {
      if (!reached.has(stop)) {
        missed.push(`${path}: ${await page.evaluate((s) => document.querySelector(`[data-stop="${s}"]`).outerHTML.slice(0, 80), stop)}`);
      }
    }
    await page.close();
  }
  assert.deepEqual(missed, []);
  await context.close();
});
