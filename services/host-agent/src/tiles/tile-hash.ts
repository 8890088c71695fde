/**
 * A fast 64-bit content hash of a rectangle of 32-bit pixels (BGRx; the padding byte is masked
 * out, so it never affects the result). Two independent 32-bit multiply–rotate lanes (murmur3-style
 * mixing with different seeds and constants) give 64 bits; ADR 0005 measures it against
 * node:crypto. The hash names a tile's content in the cache: equal pixels always hash equal, and
 * positions do not enter the hash, so a tile seen anywhere before is recognised.
 */
export const hashPixels = (
  pixels: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
): bigint => {
  let h1 = 0x9747b28c ^ (w << 16) ^ h;
  let h2 = 0x5bd1e995 ^ (h << 16) ^ w;
  for (let row = 0; row < h; row++) {
    let i = (y + row) * stride + x;
    const end = i + w;
    for (; i < end; i++) {
      const v = pixels[i]! & 0x00ffffff;
      let k1 = Math.imul(v, 0xcc9e2d51);
      k1 = (k1 << 15) | (k1 >>> 17);
      h1 ^= Math.imul(k1, 0x1b873593);
      h1 = (h1 << 13) | (h1 >>> 19);
      h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
      let k2 = Math.imul(v, 0x85ebca6b);
      k2 = (k2 << 17) | (k2 >>> 15);
      h2 ^= Math.imul(k2, 0xc2b2ae35);
      h2 = (h2 << 11) | (h2 >>> 21);
      h2 = (Math.imul(h2, 9) + 0x52dce729) | 0;
    }
  }
  // finalisation (fmix32) of each lane, then cross-mix
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 16;
  h2 = Math.imul(h2, 0x85ebca6b);
  h2 ^= h2 >>> 13;
  h2 = Math.imul(h2, 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  return (BigInt(h1 >>> 0) << 32n) | BigInt(h2 >>> 0);
};

/**
 * If every pixel of the rectangle has the same colour, that colour as 0xRRGGBB; otherwise -1.
 * Exits at the first different pixel, so it costs little on ordinary content.
 */
export const solidColour = (
  pixels: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
): number => {
  const first = pixels[y * stride + x]! & 0x00ffffff;
  for (let row = 0; row < h; row++) {
    let i = (y + row) * stride + x;
    const end = i + w;
    for (; i < end; i++) if ((pixels[i]! & 0x00ffffff) !== first) return -1;
  }
  return first;
};

/** True when the two buffers hold the same pixels (padding byte ignored) in the rectangle. */
export const samePixels = (
  a: Uint32Array,
  b: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
): boolean => {
  for (let row = 0; row < h; row++) {
    let i = (y + row) * stride + x;
    const end = i + w;
    for (; i < end; i++) if (((a[i]! ^ b[i]!) & 0x00ffffff) !== 0) return false;
  }
  return true;
};

/** Copies a rectangle between two same-sized framebuffers. */
export const copyRect = (
  src: Uint32Array,
  dst: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
): void => {
  for (let row = 0; row < h; row++) {
    const o = (y + row) * stride + x;
    dst.set(src.subarray(o, o + w), o);
  }
};

/** Extracts a rectangle into a packed buffer (w × h × 4 bytes, BGRx). */
export const extractRect = (
  src: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
  out?: Uint32Array,
): Uint32Array => {
  const dst = out ?? new Uint32Array(w * h);
  for (let row = 0; row < h; row++) {
    const o = (y + row) * stride + x;
    dst.set(src.subarray(o, o + w), row * w);
  }
  return dst;
};

/** The smallest rectangle containing every pixel that differs between `a` and `b`, or null. */
export const diffBox = (
  a: Uint32Array,
  b: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
): { x: number; y: number; w: number; h: number } | null => {
  let x0 = w;
  let x1 = -1;
  let y0 = -1;
  let y1 = -1;
  for (let row = 0; row < h; row++) {
    const o = (y + row) * stride + x;
    let first = -1;
    let last = -1;
    for (let c = 0; c < w; c++) {
      if (((a[o + c]! ^ b[o + c]!) & 0x00ffffff) !== 0) {
        if (first < 0) first = c;
        last = c;
      }
    }
    if (first < 0) continue;
    if (y0 < 0) y0 = row;
    y1 = row;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
  }
  return y0 < 0 ? null : { x: x + x0, y: y + y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
};
