// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core, a
// phone-sized viewport, and a record of console errors so a test can assert none. The
// pages run under the server's Content-Security-Policy, enforced: every violation any
// page or worker reports fails the test file that caused it.
import { after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const BASE = process.env.HOCSO_BASE_URL ?? "http://127.0.0.1:3000";

export const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

const BROWSER = { executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: FLAGS };
const PHONE = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true };

export async function launch() {
  return chromium.launch(BROWSER);
}

/// A fresh phone: 360×640, touch, its own cookies and storage.
export async function phone(browser, options = {}) {
  const context = await browser.newContext({ ...PHONE, ...options });
  const problems = [];
  watchContext(context, problems);
  return { context, problems };
}

/// Every Content-Security-Policy violation seen in this test file's browsers; checked when
/// the file's tests end (only under the test runner: the measuring scripts share this).
export const cspViolations = [];
if (process.env.NODE_TEST_CONTEXT) {
  after(() => assert.deepEqual(cspViolations, [], "the pages broke their own Content-Security-Policy"));
}

const CSP = /Content Security Policy|Content-Security-Policy/;

function watch(page, problems) {
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") {
      problems.push(`${msg.type()}: ${msg.text()}`);
    }
    if (CSP.test(msg.text())) cspViolations.push(`${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
}

/// Reports violations the console does not show (a worker's, say) through the page.
const REPORT_VIOLATIONS = `document.addEventListener("securitypolicyviolation", (e) =>
  console.error("Content Security Policy violation: " + e.violatedDirective + " " + e.blockedURI));`;

function watchContext(context, problems) {
  context.on("page", (page) => watch(page, problems));
  context.addInitScript(REPORT_VIOLATIONS);
  context.on("serviceworker", (worker) => {
    worker.on("console", (msg) => { if (CSP.test(msg.text())) cspViolations.push(`worker: ${msg.text()}`); });
  });
}

/// Opens a page and waits until its islands are awake.
export async function open(context, path) {
  const page = await context.newPage();
  await page.goto(BASE + path);
  await page.waitForSelector("html[data-hydrated='1']");
  return page;
}

/// A phone whose storage survives closing the browser: a Chromium profile directory.
export async function persistentPhone(dir, options = {}) {
  const context = await chromium.launchPersistentContext(dir, { ...BROWSER, ...PHONE, ...options });
  const problems = [];
  watchContext(context, problems);
  return { context, problems };
}

/// Waits until the service worker has installed this release and controls the page.
export async function installed(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
}

/// Accepts the consent on /me so the phone may send: what a person does before the first
/// sync. Returns the page, left on /me.
export async function consent(page, label = "") {
  await page.goto(BASE + "/me");
  await page.waitForSelector("html[data-hydrated='1']");
  await page.waitForSelector("#consent-form:not([hidden])");
  if (label) await page.fill("#device-label", label);
  await page.click("#consent-form button[type=submit]");
  await page.waitForSelector("#consent-given:not([hidden])");
  return page;
}

/// The status line once it says `prefix`.
export async function statusSays(page, prefix, timeout = 30_000) {
  await page.waitForFunction(
    (p) => (document.querySelector("#sync-status")?.textContent || "").startsWith(p), prefix, { timeout });
}

/// The kinds of the events this phone keeps (its IndexedDB), oldest first. Never creates
/// the database: before the app has made it, the phone keeps nothing.
export async function storedKinds(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open("hocso");
      r.onupgradeneeded = () => r.transaction.abort();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ok(null);
      r.onblocked = () => fail(new Error("the app's database is blocked"));
    });
    if (!db || !db.objectStoreNames.contains("events")) { db?.close(); return []; }
    const all = await new Promise((ok) => {
      const r = db.transaction("events").objectStore("events").getAll();
      r.onsuccess = () => ok(r.result);
    });
    db.close();
    return all.map((e) => e.kind);
  });
}

/// Waits until the phone keeps `count` events of `kind`. The page shows a quiz's result
/// before its write commits; a page closed in that moment (only a test is that quick)
/// would lose it.
export async function stored(page, kind, count = 1) {
  for (let tries = 0; ; tries++) {
    const kinds = await storedKinds(page);
    if (kinds.filter((k) => k === kind).length >= count) return;
    assert.ok(tries < 120, `${count} ${kind} event(s) kept on the phone; it keeps ${kinds.join(", ") || "none"}`);
    await page.waitForTimeout(250);
  }
}
