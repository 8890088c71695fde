import { describe, expect, it } from 'vitest';
import { TileGrid } from './geometry';
import { RoiClassifier } from './roi-classifier';

const grid = new TileGrid(1280, 720, 64);
const block = (c0: number, r0: number, cols: number, rows: number): number[] => {
  const out: number[] = [];
  for (let r = r0; r < r0 + rows; r++) for (let c = c0; c < c0 + cols; c++) out.push(grid.index(c, r));
  return out;
};

describe('RoiClassifier', () => {
  it('turns a region that keeps changing into an ROI after a short while, and releases it after it stops', () => {
    const k = new RoiClassifier(grid);
    const video = block(3, 2, 10, 6); // 640×384
    let t = 1000;
    let regions = k.update(t, video);
    expect(regions).toEqual([]); // one change is not enough
    for (let f = 0; f < 30; f++) regions = k.update((t += 33), video);
    expect(regions).toHaveLength(1);
    expect(regions[0]!.rect).toEqual({ x: 192, y: 128, w: 640, h: 384 });
    const id = regions[0]!.id;
    // it stops: a few quiet ticks keep it (hysteresis + hold), then it goes
    regions = k.update((t += 300), []);
    expect(regions.map((r) => r.id)).toEqual([id]);
    for (let f = 0; f < 10; f++) regions = k.update((t += 250), []);
    expect(regions).toEqual([]);
  });

  it('ignores typing (one or two tiles that change now and then) and a blinking caret', () => {
    const k = new RoiClassifier(grid);
    let t = 0;
    let regions = k.update(t, []);
    for (let f = 0; f < 100; f++) regions = k.update((t += 100), [grid.index(2 + Math.floor(f / 8), 5)]);
    expect(regions).toEqual([]);
    for (let f = 0; f < 20; f++) regions = k.update((t += 500), [grid.index(9, 9)]);
    expect(regions).toEqual([]);
  });

  it('keeps several regions apart and makes one full-screen region when most of the screen moves', () => {
    const k = new RoiClassifier(grid);
    let t = 0;
    let regions = k.update(t, []);
    const a = block(0, 0, 4, 3);
    const b = block(12, 6, 5, 4);
    for (let f = 0; f < 30; f++) regions = k.update((t += 33), [...a, ...b]);
    expect(regions.map((r) => r.rect)).toEqual([
      { x: 0, y: 0, w: 256, h: 192 },
      { x: 768, y: 384, w: 320, h: 256 },
    ]);
    const all = block(0, 0, 20, 12);
    for (let f = 0; f < 40; f++) regions = k.update((t += 33), all);
    expect(regions).toHaveLength(1);
    expect(regions[0]!.rect).toEqual({ x: 0, y: 0, w: 1280, h: 720 });
  });
});
