import { describe, expect, it } from 'vitest';
import { coverTiles, intersect, TileGrid, union } from './geometry';

describe('TileGrid', () => {
  const g = new TileGrid(1280, 720, 64);
  it('has partial tiles at the edges', () => {
    expect([g.cols, g.rows, g.count]).toEqual([20, 12, 240]);
    expect(g.rect(g.index(19, 11))).toEqual({ x: 1216, y: 704, w: 64, h: 16 });
  });
  it('lists the tiles a rectangle touches', () => {
    expect([...g.tilesIn({ x: 63, y: 0, w: 2, h: 1 })].sort((a, b) => a - b)).toEqual([0, 1]);
    expect(g.tilesIn({ x: 2000, y: 0, w: 5, h: 5 }).size).toBe(0);
    expect(g.tilesIn({ x: 0, y: 0, w: 1280, h: 720 }).size).toBe(240);
  });
  it('aligns rectangles outwards to tiles', () => {
    expect(g.align({ x: 70, y: 700, w: 10, h: 10 })).toEqual({ x: 64, y: 640, w: 64, h: 80 });
  });
  it('covers a set of tiles with few rectangles', () => {
    const tiles = new Set([g.index(1, 1), g.index(2, 1), g.index(1, 2), g.index(2, 2), g.index(10, 5)]);
    expect(coverTiles(g, tiles)).toEqual([
      { x: 64, y: 64, w: 128, h: 128 },
      { x: 640, y: 320, w: 64, h: 64 },
    ]);
  });
  it('intersects and unites rectangles', () => {
    expect(intersect({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 5, w: 10, h: 10 })).toEqual({
      x: 5,
      y: 5,
      w: 5,
      h: 5,
    });
    expect(intersect({ x: 0, y: 0, w: 5, h: 5 }, { x: 5, y: 5, w: 10, h: 10 })).toBeNull();
    expect(union({ x: 0, y: 0, w: 5, h: 5 }, { x: 5, y: 5, w: 10, h: 10 })).toEqual({
      x: 0,
      y: 0,
      w: 15,
      h: 15,
    });
  });
});
