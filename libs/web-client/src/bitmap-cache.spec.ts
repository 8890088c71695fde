import { describe, expect, it } from 'vitest';
import { BitmapCache } from './bitmap-cache';

describe('BitmapCache', () => {
  it('returns what was stored and releases what it drops', () => {
    const released: string[] = [];
    const c = new BitmapCache<string>(3, 1000, (v) => released.push(v));
    c.set(1, 'a', 10);
    c.set(2, 'b', 10);
    expect(c.get(1)).toBe('a');
    expect(c.get(3)).toBeUndefined();
    c.set(2, 'b2', 20);
    expect(released).toEqual(['b']);
    expect(c.bytes).toBe(30);
    expect(c.delete(1)).toBe(true);
    expect(c.delete(1)).toBe(false);
    expect(released).toEqual(['b', 'a']);
  });
  it('evicts the least recently used entry beyond the entry bound', () => {
    const c = new BitmapCache<string>(2, 1000);
    c.set(1, 'a', 1);
    c.set(2, 'b', 1);
    c.get(1); // 2 is now the oldest
    c.set(3, 'c', 1);
    expect([c.has(1), c.has(2), c.has(3)]).toEqual([true, false, true]);
  });
  it('evicts beyond the byte bound but keeps the newest entry', () => {
    const c = new BitmapCache<string>(100, 100);
    c.set(1, 'a', 60);
    c.set(2, 'b', 60);
    expect([c.has(1), c.has(2), c.bytes]).toEqual([false, true, 60]);
    c.set(3, 'huge', 500);
    expect([c.has(2), c.has(3), c.size]).toEqual([false, true, 1]);
  });
  it('clear releases everything', () => {
    const released: number[] = [];
    const c = new BitmapCache<number>(10, 100, (v) => released.push(v));
    c.set(1, 1, 1);
    c.set(2, 2, 1);
    c.clear();
    expect([c.size, c.bytes, released.sort()]).toEqual([0, 0, [1, 2]]);
  });
});
