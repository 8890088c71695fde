import { describe, expect, it } from 'vitest';
import { TileCache } from './tile-cache';

describe('TileCache', () => {
  it('evicts the least recently used hash', () => {
    const c = new TileCache(3);
    c.add(1n);
    c.add(2n);
    c.add(3n);
    expect(c.touch(1n)).toBe(true); // 1 is now the most recent
    expect(c.add(4n)).toBe(2n);
    expect(c.has(2n)).toBe(false);
    expect([c.has(1n), c.has(3n), c.has(4n)]).toEqual([true, true, true]);
    expect(c.touch(99n)).toBe(false);
  });
  it('holds nothing with capacity 0', () => {
    const c = new TileCache(0);
    c.add(1n);
    expect(c.has(1n)).toBe(false);
  });
});
