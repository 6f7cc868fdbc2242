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

test("a new release waits for the person, then replaces the old cache whole", async () => {
  const { context } = await persistentPhone(join(work, "phone"));
  const page = await context.newPage();
  await page.goto(BASE + "/");
  await installed(page);
  const [first] = await cacheNames(page);
  assert.match(first, /^hocso-/);

  // Deploy: the content changes, so the release's version does.
  await stop();
  const ui = join(work, "content/ui/vi.toml");
  writeFileSync(ui, readFileSync(ui, "utf8").replace(
    /"home.lead" = ".*"/, '"home.lead" = "Phiên bản mới của bài học đã sẵn sàng."'));
  await start();

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
  assert.match(await page.textContent(".lead"), /Phiên bản mới của bài học/);
  await context.close();
});
