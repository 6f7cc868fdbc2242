// Draws the app's PNG icons (192 and 512 px, maskable: the drawing stays inside the
// central safe circle) from the same shapes as public/icon.svg. Run once when the icon
// changes: node scripts/icons.mjs; the PNGs are committed in public/.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const GREEN = [11, 94, 68], WHITE = [255, 255, 255], MINT = [223, 241, 233];

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) row.set(pixel((x + 0.5) / size, (y + 0.5) / size), 1 + x * 3);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })), chunk("IEND", Buffer.alloc(0)),
  ]);
}

const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r), cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const nearSegment = (x, y, [ax, ay], [bx, by], w) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= w * w;
};

// A phone with a tick, in unit coordinates, scaled into the maskable safe zone (80 %).
function pixel(u, v) {
  const s = 0.8, x = (u - 0.5) / s + 0.5, y = (v - 0.5) / s + 0.5;
  const check = [[0.40, 0.49], [0.47, 0.56], [0.60, 0.41]];
  if (nearSegment(x, y, check[0], check[1], 0.024) || nearSegment(x, y, check[1], check[2], 0.024)) return GREEN;
  if ((x - 0.5) ** 2 + (y - 0.76) ** 2 <= 0.024 ** 2) return GREEN;
  if (inRoundRect(x, y, 0.35, 0.25, 0.65, 0.70, 0.015)) return MINT;
  if (inRoundRect(x, y, 0.30, 0.19, 0.70, 0.81, 0.055)) return WHITE;
  return GREEN;
}

for (const size of [192, 512]) writeFileSync(new URL(`../public/icon-${size}.png`, import.meta.url), png(size, pixel));
console.log("wrote public/icon-192.png and public/icon-512.png");
