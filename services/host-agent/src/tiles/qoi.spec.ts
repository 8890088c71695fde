import { describe, expect, it } from 'vitest';
import { decodeQoi, encodeQoi } from './qoi';
import { decodeTile, encodeTile } from './tile-codecs';

const text = (w: number, h: number): Uint32Array => {
  const a = new Uint32Array(w * h).fill(0xffffff);
  for (let y = 10; y < h; y += 12)
    for (let x = 3; x < w - 3; x++) if ((x * 7 + y) % 5 < 2) a[y * w + x] = 0x202124;
  return a;
};

describe('QOI codec', () => {
  it('writes the QOI header and end marker', () => {
    const q = encodeQoi(new Uint32Array(4).fill(0xff0000), 2, 0, 0, 2, 2);
    expect([...q.subarray(0, 14)]).toEqual([0x71, 0x6f, 0x69, 0x66, 0, 0, 0, 2, 0, 0, 0, 2, 3, 0]);
    expect([...q.subarray(-8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    // first pixel: a wrapping DIFF from (0,0,0) (255 = -1), then a run of 3
    expect([...q.subarray(14, 16)]).toEqual([0x40 | (1 << 4) | (2 << 2) | 2, 0xc0 | 2]);
    const q2 = encodeQoi(new Uint32Array([0x804020]), 1, 0, 0, 1, 1);
    expect([...q2.subarray(14, 18)]).toEqual([0xfe, 0x80, 0x40, 0x20]);
  });
  it('round-trips every op (runs, index, diff, luma, rgb) from a sub-rectangle', () => {
    const w = 100;
    const h = 70;
    const px = new Uint32Array(w * h);
    let s = 3;
    for (let i = 0; i < px.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const mode = (i >> 5) % 5;
      px[i] =
        mode === 0
          ? 0x336699
          : mode === 1
            ? (px[i - 1] ?? 0) + 1
            : mode === 2
              ? s & 0x00ffffff
              : mode === 3
                ? [0x101010, 0x202020][s & 1]!
                : (0x808080 + ((s & 7) << 8)) | 0xee000000;
    }
    const q = encodeQoi(px, w, 10, 5, 64, 60);
    const d = decodeQoi(q);
    expect([d.width, d.height]).toEqual([64, 60]);
    for (let y = 0; y < 60; y++)
      for (let x = 0; x < 64; x++) expect(d.pixels[y * 64 + x]).toBe(px[(y + 5) * w + 10 + x]! & 0xffffff);
  });
  it('handles a run of more than 62 pixels and a run at the end', () => {
    const px = new Uint32Array(64 * 2).fill(0x010203);
    const d = decodeQoi(encodeQoi(px, 64, 0, 0, 64, 2));
    expect(d.pixels).toEqual(px);
  });
  it('compresses text-like tiles well', () => {
    const px = text(64, 64);
    expect(encodeQoi(px, 64, 0, 0, 64, 64).length).toBeLessThan(64 * 64);
  });
  it('rejects garbage', () => {
    expect(() => decodeQoi(new Uint8Array(30))).toThrow();
    const q = encodeQoi(text(8, 8), 8, 0, 0, 8, 8);
    expect(() => decodeQoi(q.subarray(0, 20))).toThrow();
  });
  it('deflate tiles round-trip too', () => {
    const px = text(64, 64);
    expect(decodeTile('deflate', encodeTile('deflate', px, 64, 0, 0, 64, 64), 64, 64)).toEqual(px);
    expect(decodeTile('qoi', encodeTile('qoi', px, 64, 0, 0, 64, 64), 64, 64)).toEqual(px);
  });
});
