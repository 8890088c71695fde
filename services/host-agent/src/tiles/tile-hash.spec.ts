import { describe, expect, it } from 'vitest';
import { copyRect, extractRect, hashPixels, samePixels, solidColour } from './tile-hash';

const random = (n: number, seed = 1): Uint32Array => {
  const a = new Uint32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    a[i] = s & 0x00ffffff;
  }
  return a;
};

describe('tile hashing', () => {
  it('depends on content, not position, and ignores the padding byte', () => {
    const a = random(128 * 128);
    const b = new Uint32Array(128 * 128);
    copyRect(a, b, 128, 0, 0, 64, 64);
    // same content at another position of another buffer
    const moved = new Uint32Array(128 * 128);
    for (let y = 0; y < 64; y++) moved.set(a.subarray(y * 128, y * 128 + 64), (y + 64) * 128 + 64);
    expect(hashPixels(moved, 128, 64, 64, 64, 64)).toBe(hashPixels(a, 128, 0, 0, 64, 64));
    const padded = a.map((v) => (v | 0xab000000) >>> 0);
    expect(hashPixels(padded, 128, 0, 0, 64, 64)).toBe(hashPixels(a, 128, 0, 0, 64, 64));
  });
  it('changes when one pixel changes and depends on the size', () => {
    const a = random(64 * 64);
    const h = hashPixels(a, 64, 0, 0, 64, 64);
    a[2000] = (a[2000]! ^ 1) >>> 0;
    expect(hashPixels(a, 64, 0, 0, 64, 64)).not.toBe(h);
    const zero = new Uint32Array(64 * 64);
    expect(hashPixels(zero, 64, 0, 0, 64, 32)).not.toBe(hashPixels(zero, 64, 0, 0, 32, 64));
  });
  it('has no collisions over 20,000 random tiles', () => {
    const seen = new Set<bigint>();
    const base = random(64 * 64, 7);
    for (let k = 0; k < 20_000; k++) {
      const t = base.slice();
      t[k % 4096] = (t[k % 4096]! ^ (1 + Math.floor(k / 4096))) & 0xffffff; // every tile distinct
      seen.add(hashPixels(t, 64, 0, 0, 64, 64));
    }
    expect(seen.size).toBe(20_000);
  });
  it('finds solid tiles and compares pixels', () => {
    const a = new Uint32Array(64 * 64).fill(0x112233);
    expect(solidColour(a, 64, 0, 0, 64, 64)).toBe(0x112233);
    const b = a.slice();
    b[100] = 0x112234;
    expect(solidColour(b, 64, 0, 0, 64, 64)).toBe(-1);
    expect(samePixels(a, b, 64, 0, 0, 64, 64)).toBe(false);
    expect(samePixels(a, b, 64, 0, 2, 64, 62)).toBe(true);
    expect(extractRect(b, 64, 36, 1, 2, 1)).toEqual(new Uint32Array([0x112234, 0x112233]));
  });
});
