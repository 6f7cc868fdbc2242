// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core, a
// phone-sized viewport, and a record of console errors so a test can assert none.
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
  context.on("page", (page) => watch(page, problems));
  return { context, problems };
}

function watch(page, problems) {
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") {
      problems.push(`${msg.type()}: ${msg.text()}`);
    }
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
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
  context.on("page", (page) => watch(page, problems));
  return { context, problems };
}

/// Waits until the service worker has installed this release and controls the page.
export async function installed(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
}
