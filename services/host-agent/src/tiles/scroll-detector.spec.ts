import { describe, expect, it } from 'vitest';
import { applyScrollCopy, detectHorizontalScroll, detectVerticalScroll } from './scroll-detector';

const W = 320;
const H = 400;
/** A "page": text-like rows with varied content, drawn from document row `top`. */
const page = (top: number, header = 0): Uint32Array => {
  const px = new Uint32Array(W * H);
  for (let y = 0; y < H; y++) {
    const doc = y < header ? -1000 - y : y + top;
    for (let x = 0; x < W; x++) {
      let h = Math.imul(doc * 7919 + (x >> 2) * 104729, 0x9e3779b1);
      h ^= h >>> 15;
      const ink = doc % 18 < 11 && (h & 7) === 0;
      px[y * W + x] = y < header ? 0x3355aa : ink ? 0x202124 : 0xffffff;
    }
  }
  return px;
};

describe('vertical scroll detection', () => {
  it('finds a downward scroll and explains it with one copy', () => {
    const before = page(0);
    const after = page(37);
    const copy = detectVerticalScroll(before, after, W, { x: 0, y: 0, w: W, h: H })!;
    expect(copy).not.toBeNull();
    expect(copy.dy).toBe(37);
    expect(copy.src).toEqual({ x: 0, y: 37, w: W, h: H - 37 });
    expect([copy.dstX, copy.dstY]).toEqual([0, 0]);
    applyScrollCopy(before, W, copy);
    // after the copy only the exposed strip at the bottom differs
    for (let y = 0; y < H - 37; y++)
      for (let x = 0; x < W; x += 7) expect(before[y * W + x]).toBe(after[y * W + x]);
  });
  it('finds an upward scroll', () => {
    const copy = detectVerticalScroll(page(100), page(60), W, { x: 0, y: 0, w: W, h: H })!;
    expect(copy.dy).toBe(-40);
    expect(copy.dstY).toBe(40);
    expect(copy.src.y).toBe(0);
  });
  it('leaves a fixed header out of the copy', () => {
    const copy = detectVerticalScroll(page(0, 50), page(64, 50), W, { x: 0, y: 0, w: W, h: H })!;
    expect(copy.dy).toBe(64);
    expect(copy.dstY).toBe(50);
    expect(copy.src.y).toBe(50 + 64);
  });
  it('does not call a blank page or unrelated content a scroll', () => {
    const blank = new Uint32Array(W * H).fill(0xffffff);
    expect(detectVerticalScroll(blank, blank.slice(), W, { x: 0, y: 0, w: W, h: H })).toBeNull();
    const other = page(0).map((v, i) => (v === 0xffffff ? 0xfafafa : (v ^ i) & 0xffffff));
    expect(detectVerticalScroll(page(0), other, W, { x: 0, y: 0, w: W, h: H })).toBeNull();
  });
});

describe('horizontal scroll detection', () => {
  /** A wide "document" seen through a W×H window from column `left`. */
  const wide = (left: number): Uint32Array => {
    const px = new Uint32Array(W * H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const d = x + left;
        let h = Math.imul(d * 7919 + (y >> 2) * 104729, 0x9e3779b1);
        h ^= h >>> 15;
        px[y * W + x] = d % 16 < 10 && (h & 7) === 0 ? 0x202124 : 0xffffff;
      }
    return px;
  };
  it('finds a sideways scroll and explains it with one copy', () => {
    const before = wide(0);
    const after = wide(30);
    const band = { x: 0, y: 0, w: W, h: H };
    expect(detectVerticalScroll(before, after, W, band)).toBeNull();
    const copy = detectHorizontalScroll(before, after, W, band)!;
    expect(copy).not.toBeNull();
    expect(copy.src.x - copy.dstX).toBe(30);
    expect(copy.src.y).toBe(copy.dstY);
    applyScrollCopy(before, W, copy);
    for (let y = 0; y < H; y += 5)
      for (let x = copy.dstX; x < copy.dstX + copy.src.w; x += 3)
        expect(before[y * W + x]).toBe(after[y * W + x]);
  });
});
