/**
 * Draws the Teams app icons into appPackage/: color.png (192×192, full colour) and outline.png
 * (32×32, white on transparent, as Teams requires). Plain PNG written with node:zlib, no image library.
 * Run: node --import tsx scripts/teams-icons.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

type RGBA = [number, number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes RGBA pixels (row-major) as a PNG: colour type 6, 8 bits, no filtering. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => RGBA): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The glyph in a unit square: three linked nodes (cities in a network) inside a ring. Coverage 0..1 at (u, v). */
function glyph(u: number, v: number, stroke: number): number {
  const nodes: [number, number][] = [
    [0.5, 0.28],
    [0.29, 0.66],
    [0.71, 0.66],
  ];
  const dist = (ax: number, ay: number, bx: number, by: number) => {
    const dx = bx - ax,
      dy = by - ay;
    const t = Math.max(0, Math.min(1, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(u - ax - t * dx, v - ay - t * dy);
  };
  const ring = Math.abs(Math.hypot(u - 0.5, v - 0.5) - 0.44) < stroke / 2;
  const links = nodes.some((a, i) => dist(...a, ...nodes[(i + 1) % 3]!) < stroke / 2);
  const dots = nodes.some(([x, y]) => Math.hypot(u - x, v - y) < 0.09);
  return ring || links || dots ? 1 : 0;
}

/** Renders a size×size icon with 4×4 supersampling; `paint` turns coverage into a pixel. */
function icon(size: number, stroke: number, paint: (cover: number) => RGBA): Buffer {
  const S = 4;
  return encodePng(size, size, (x, y) => {
    let cover = 0;
    for (let i = 0; i < S; i++)
      for (let j = 0; j < S; j++) cover += glyph((x + (i + 0.5) / S) / size, (y + (j + 0.5) / S) / size, stroke);
    return paint(cover / (S * S));
  });
}

const OUT = path.resolve(import.meta.dirname, '../appPackage');
const BLUE: RGBA = [0x0a, 0x66, 0xb7, 255];
// Colour icon: white glyph on the accent blue, full bleed (Teams rounds the corners itself).
const color = icon(192, 0.05, (c) => [
  Math.round(BLUE[0] + (255 - BLUE[0]) * c),
  Math.round(BLUE[1] + (255 - BLUE[1]) * c),
  Math.round(BLUE[2] + (255 - BLUE[2]) * c),
  255,
]);
// Outline icon: only white, with transparency for the background.
const outline = icon(32, 0.08, (c) => [255, 255, 255, Math.round(255 * c)]);
writeFileSync(path.join(OUT, 'color.png'), color);
writeFileSync(path.join(OUT, 'outline.png'), outline);
console.log(`wrote ${path.relative(process.cwd(), OUT)}/color.png (192×192) and outline.png (32×32)`);
