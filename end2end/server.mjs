// The release server the scripts measure: the one at HOCSO_BASE_URL, or one started on a
// spare loopback port with a fresh SQLite database and stopped again afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/// Runs `fn(baseUrl)` against a running release server.
export async function withServer(fn) {
  if (process.env.HOCSO_BASE_URL) return fn(process.env.HOCSO_BASE_URL);
  const port = 3200 + Math.floor(Math.random() * 700);
  const data = mkdtempSync(join(tmpdir(), "hocso-measure-"));
  const server = spawn(join(root, "target/release/server"), [], {
    cwd: root,
    env: { ...process.env, HOCSO_ADDR: `127.0.0.1:${port}`, HOCSO_DATA_DIR: data, DATABASE_URL: "" },
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(base + "/healthz")).ok) break; } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    return await fn(base);
  } finally {
    server.kill();
    rmSync(data, { recursive: true, force: true });
  }
}
