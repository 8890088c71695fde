import { describe, expect, it } from 'vitest';
import { cursorToRgba } from './cursor-tracker';

describe('cursorToRgba', () => {
  it('un-premultiplies ARGB into straight RGBA', () => {
    // pixels: opaque red, half-transparent white (premultiplied 128,128,128,128), transparent
    const argb = Buffer.from([0, 0, 255, 255, 128, 128, 128, 128, 0, 0, 0, 0]);
    expect([...cursorToRgba(argb, 3, 1)]).toEqual([255, 0, 0, 255, 255, 255, 255, 128, 0, 0, 0, 0]);
  });
});
