// Writes .br and .gz copies beside each static file worth compressing, at maximum
// compression, so serving them costs nothing per request.
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const COMPRESSIBLE = new Set([".js", ".mjs", ".wasm", ".css", ".svg", ".json", ".webmanifest", ".html", ".txt"]);
const root = process.argv[2] ?? "target/site";

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let count = 0;
for (const path of files(root)) {
  if (!COMPRESSIBLE.has(extname(path))) continue;
  const data = readFileSync(path);
  if (data.length < 512) continue;
  writeFileSync(path + ".br", brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }));
  writeFileSync(path + ".gz", gzipSync(data, { level: 9 }));
  count++;
}
console.log(`[precompress] ${count} files under ${root}`);
