// A new release: the phone notices, keeps serving the old one until the person says
// "update now", then serves only the new one — never a mix of the two.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { persistentPhone, installed } from "./browser.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const PORT = 3000 + 400 + Math.floor(Math.random() * 300);
const BASE = `http://127.0.0.1:${PORT}`;
let work, server;

async function start() {
  server = spawn(join(root, "target/release/server"), [], {
    cwd: root,
    env: {
      ...process.env, HOCSO_ADDR: `127.0.0.1:${PORT}`, HOCSO_DATA_DIR: join(work, "data"),
      HOCSO_CONTENT_DIR: join(work, "content"), DATABASE_URL: "",
    },
    stdio: "ignore",
  });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(BASE + "/healthz")).ok) return; } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}

async function stop() {
  const exited = new Promise((r) => server.once("exit", r));
  server.kill();
  await exited;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "hocso-update-"));
  cpSync(join(root, "content"), join(work, "content"), { recursive: true });
  await start();
});
after(async () => {
  await stop();
  rmSync(work, { recursive: true, force: true });
});

const cacheNames = (page) => page.evaluate(() => caches.keys());

/// Deploys a new release: the content changes (so the release's version does).
let releases = 0;
async function deploy() {
  await stop();
  releases++;
  const ui = join(work, "content/ui/vi.toml");
  writeFileSync(ui, readFileSync(ui, "utf8").replace(
    /"home.lead" = ".*"/, `"home.lead" = "Phiên bản mới số ${releases} của bài học đã sẵn sàng."`));
  await start();
}

const askForUpdate = (page) =>
  page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update().catch(() => {}));

/// Waits until `seen()` is true, then until no worker is installing any more.
async function installSettles(page, seen) {
  for (let i = 0; i < 600 && !seen(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(seen(), "the install asked for what the test watches");
  await page.waitForFunction(() => navigator.serviceWorker.getRegistration().then((r) => !r.installing), null, { timeout: 60_000 });
}

/// Runs `fn(context)` with a phone kept in `name` under the work folder, and closes it
/// whatever happens (a browser left open would keep the test run from ending).
async function withPhone(name, fn) {
  const { context } = await persistentPhone(join(work, name));
  try {
    await fn(context);
  } finally {
    await context.close();
  }
}

/// The release header of the page the cache `name` keeps for `key`.
const keptRelease = (page, name, key) =>
  page.evaluate(async ([n, k]) => {
    const hit = await (await caches.open(n)).match(k);
    return hit && hit.headers.get("x-hocso-release");
  }, [name, key]);

test("a new release waits for the person, then replaces the old cache whole", () => withPhone("phone", async (context) => {
  const page = await context.newPage();
  await page.goto(BASE + "/");
  await installed(page);
  const [first] = await cacheNames(page);
  assert.match(first, /^hocso-/);

  await deploy();
  await page.reload();
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.waitForSelector("#update-banner:not([hidden])", { timeout: 60_000 });
  // Until the person agrees, the old release is still whole on the phone.
  assert.ok((await cacheNames(page)).includes(first));

  await Promise.all([
    page.waitForEvent("load"),
    page.click("#update-banner button"),
  ]);
  await page.waitForFunction((old) => caches.keys().then((k) => k.length === 1 && k[0] !== old), first);
  const [second] = await cacheNames(page);
  assert.notEqual(second, first);
  assert.match(await page.textContent(".lead"), /Phiên bản mới số 1/);
}));

test("an install that fails part-way, or gets a file of another release, leaves no half-filled cache", () => withPhone("phone-partial", async (context) => {
  const page = await context.newPage();
  await page.goto(BASE + "/");
  await installed(page);
  const [running] = await cacheNames(page);
  await deploy();

  // One page of the new release cannot be fetched while it installs.
  const offlineEn = (url) => url.pathname === "/offline" && url.search === "?lang=en";
  let refused = 0;
  await context.route(offlineEn, (route) => { refused++; return route.abort("connectionreset"); });
  await askForUpdate(page);
  await installSettles(page, () => refused > 0);
  assert.deepEqual(await cacheNames(page), [running], "the failed install left nothing behind");
  await context.unroute(offlineEn);

  // A file whose bytes are not the ones the release names (a server mid-deploy, a proxy).
  let tampered = 0;
  await context.route("**/app.js", async (route) => {
    tampered++;
    const res = await route.fetch();
    return route.fulfill({ response: res, body: (await res.text()) + "\n// not this release's" });
  });
  await askForUpdate(page);
  await installSettles(page, () => tampered > 0);
  assert.deepEqual(await cacheNames(page), [running], "a file of the wrong revision fails the install");
  await context.unroute("**/app.js");

  // With the network sound again, the release installs whole and waits for the person.
  await askForUpdate(page);
  await page.waitForSelector("#update-banner:not([hidden])", { timeout: 60_000 });
  assert.equal((await cacheNames(page)).length, 2);
}));

test("while a new release waits, its pages are shown but never written into the running release's cache", () => withPhone("phone-waiting", async (context) => {
  const page = await context.newPage();
  await page.goto(BASE + "/");
  await installed(page);
  const [running] = await cacheNames(page);
  const release = await keptRelease(page, running, "/?lang=vi");
  assert.ok(release);
  await deploy();
  await page.reload();
  await askForUpdate(page);
  await page.waitForSelector("#update-banner:not([hidden])", { timeout: 60_000 });

  // Online, the new release's home page is what the network serves...
  await page.goto(BASE + "/");
  assert.match(await page.textContent(".lead"), new RegExp(`Phiên bản mới số ${releases}`));
  // ...but the running release's cache still holds its own, so offline the phone shows
  // a page whose files it has.
  assert.equal(await keptRelease(page, running, "/?lang=vi"), release);
  await context.setOffline(true);
  await page.goto(BASE + "/");
  await page.waitForSelector("html[data-hydrated='1']");
  assert.doesNotMatch(await page.textContent(".lead"), new RegExp(`Phiên bản mới số ${releases}`));
}));
