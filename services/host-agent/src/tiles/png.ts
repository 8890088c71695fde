import { deflateSync, inflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

const crc32 = (bufs: Uint8Array[]): number => {
  let c = 0xffffffff;
  for (const b of bufs) for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 255]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const chunk = (type: string, data: Uint8Array): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32([head.subarray(4), data]));
  return Buffer.concat([head, data, crc]);
};

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A small PNG encoder (RGB, 8 bit) for framebuffer rectangles: each row is filtered with "Sub" or
 * "Up" (whichever leaves more zero bytes), then zlib-compressed with node:zlib. Measured against
 * QOI and others in ADR 0005.
 */
export const encodePng = (
  pixels: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
  level = 6,
): Buffer => {
  const indexed = encodeIndexedPng(pixels, stride, x, y, w, h, level);
  if (indexed) return indexed;
  const rowLen = w * 3 + 1;
  const raw = Buffer.alloc(rowLen * h);
  const cur = new Uint8Array(w * 3);
  const prev = new Uint8Array(w * 3);
  for (let row = 0; row < h; row++) {
    const o = (y + row) * stride + x;
    for (let c = 0; c < w; c++) {
      const v = pixels[o + c]!;
      cur[c * 3] = (v >> 16) & 255;
      cur[c * 3 + 1] = (v >> 8) & 255;
      cur[c * 3 + 2] = v & 255;
    }
    let zSub = 0;
    let zUp = 0;
    for (let i = 0; i < cur.length; i++) {
      if (((cur[i]! - (i >= 3 ? cur[i - 3]! : 0)) & 255) === 0) zSub++;
      if (((cur[i]! - prev[i]!) & 255) === 0) zUp++;
    }
    const up = row > 0 && zUp > zSub;
    const base = row * rowLen;
    raw[base] = up ? 2 : 1;
    for (let i = 0; i < cur.length; i++)
      raw[base + 1 + i] = (cur[i]! - (up ? prev[i]! : i >= 3 ? cur[i - 3]! : 0)) & 255;
    prev.set(cur);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level })),
    chunk('IEND', new Uint8Array(0)),
  ]);
};

/**
 * Palette PNG (colour type 3) when the rectangle has at most 256 colours — the common case for
 * text and UI (anti-aliased glyphs use a few dozen shades). Rows are unfiltered (filter "None"
 * suits palette indices). Returns null when there are more colours.
 */
export const encodeIndexedPng = (
  pixels: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
  level = 6,
): Buffer | null => {
  const palette = new Map<number, number>();
  const raw = Buffer.alloc((w + 1) * h);
  for (let row = 0; row < h; row++) {
    const o = (y + row) * stride + x;
    const base = row * (w + 1);
    raw[base] = 0;
    for (let c = 0; c < w; c++) {
      const v = pixels[o + c]! & 0xffffff;
      let idx = palette.get(v);
      if (idx === undefined) {
        if (palette.size === 256) return null;
        idx = palette.size;
        palette.set(v, idx);
      }
      raw[base + 1 + c] = idx;
    }
  }
  const plte = Buffer.alloc(palette.size * 3);
  for (const [v, i] of palette) {
    plte[i * 3] = (v >> 16) & 255;
    plte[i * 3 + 1] = (v >> 8) & 255;
    plte[i * 3 + 2] = v & 255;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 3; // indexed
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(raw, { level })),
    chunk('IEND', new Uint8Array(0)),
  ]);
};

/**
 * Decodes the PNGs `encodePng` writes (8-bit RGB or palette, non-interlaced, filters None/Sub/Up)
 * into 0x00RRGGBB pixels. Strict: anything else throws. Used by the reference decoder and tests.
 */
export const decodePng = (data: Uint8Array): { width: number; height: number; pixels: Uint32Array } => {
  const b = Buffer.from(data.buffer, data.byteOffset, data.length);
  if (b.length < 8 || !b.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let p = 8;
  let width = 0;
  let height = 0;
  let type = -1;
  let palette: Buffer | null = null;
  const idat: Buffer[] = [];
  while (p + 12 <= b.length) {
    const len = b.readUInt32BE(p);
    const kind = b.toString('latin1', p + 4, p + 8);
    const body = b.subarray(p + 8, p + 8 + len);
    if (body.length !== len) throw new Error('truncated PNG chunk');
    if (crc32([b.subarray(p + 4, p + 8), body]) !== b.readUInt32BE(p + 8 + len))
      throw new Error('PNG CRC mismatch');
    if (kind === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      type = body[9]!;
      if (body[8] !== 8 || (type !== 2 && type !== 3) || body[12] !== 0) throw new Error('unsupported PNG');
    } else if (kind === 'PLTE') palette = body;
    else if (kind === 'IDAT') idat.push(body);
    else if (kind === 'IEND') break;
    p += 12 + len;
  }
  if (width === 0 || height === 0 || width * height > 1 << 24) throw new Error('bad PNG size');
  const bpp = type === 2 ? 3 : 1;
  const rowLen = width * bpp + 1;
  const raw = inflateSync(Buffer.concat(idat), { maxOutputLength: rowLen * height });
  if (raw.length !== rowLen * height) throw new Error('PNG data has the wrong size');
  const pixels = new Uint32Array(width * height);
  let prev = new Uint8Array(width * bpp);
  for (let row = 0; row < height; row++) {
    const f = raw[row * rowLen]!;
    const line = new Uint8Array(raw.subarray(row * rowLen + 1, (row + 1) * rowLen));
    for (let i = 0; i < line.length; i++) {
      if (f === 1) line[i] = (line[i]! + (i >= bpp ? line[i - bpp]! : 0)) & 255;
      else if (f === 2) line[i] = (line[i]! + prev[i]!) & 255;
      else if (f !== 0) throw new Error(`unsupported PNG filter ${f}`);
    }
    for (let c = 0; c < width; c++) {
      if (type === 2)
        pixels[row * width + c] = (line[c * 3]! << 16) | (line[c * 3 + 1]! << 8) | line[c * 3 + 2]!;
      else {
        const i = line[c]! * 3;
        if (!palette || i + 2 >= palette.length) throw new Error('PNG palette index out of range');
        pixels[row * width + c] = (palette[i]! << 16) | (palette[i + 1]! << 8) | palette[i + 2]!;
      }
    }
    prev = line;
  }
  return { width, height, pixels };
};
