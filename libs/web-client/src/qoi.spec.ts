import { describe, expect, it } from 'vitest';
import { decodeQoiRgba, QoiError } from './qoi';

const header = (w: number, h: number, channels = 3): number[] => [
  0x71,
  0x6f,
  0x69,
  0x66,
  (w >>> 24) & 255,
  (w >>> 16) & 255,
  (w >>> 8) & 255,
  w & 255,
  (h >>> 24) & 255,
  (h >>> 16) & 255,
  (h >>> 8) & 255,
  h & 255,
  channels,
  0,
];
const END = [0, 0, 0, 0, 0, 0, 0, 1];

describe('decodeQoiRgba', () => {
  it('decodes every op: rgb, rgba, run, index, diff, luma', () => {
    const hash = (r: number, g: number, b: number, a: number): number =>
      (r * 3 + g * 5 + b * 7 + a * 11) & 63;
    const data = new Uint8Array([
      ...header(7, 1, 4),
      0xfe,
      10,
      20,
      30, // rgb (10,20,30,255)
      0xc0 | 0, // run of 1: same pixel again
      0xff,
      200,
      100,
      50,
      128, // rgba
      hash(10, 20, 30, 255), // index: back to (10,20,30,255)
      0x40 | (3 << 4) | (1 << 2) | 2, // diff: r+1, g-1, b+0
      0x80 | (32 + 5),
      ((8 + 2) << 4) | (8 - 3), // luma: dg=5, dr-dg=2, db-dg=-3
      0xc0 | 0, // run of 1
      ...END,
    ]);
    const px = decodeQoiRgba(data, 7, 1);
    expect([...px]).toEqual([
      10, 20, 30, 255, 10, 20, 30, 255, 200, 100, 50, 128, 10, 20, 30, 255, 11, 19, 30, 255, 18, 24, 32, 255,
      18, 24, 32, 255,
    ]);
  });
  it('rejects a wrong size, a wrong magic and a truncated stream', () => {
    const ok = new Uint8Array([...header(2, 1), 0xfe, 1, 2, 3, 0xc0, ...END]);
    expect(decodeQoiRgba(ok, 2, 1).length).toBe(8);
    expect(() => decodeQoiRgba(ok, 1, 2)).toThrow(QoiError);
    const bad = ok.slice();
    bad[0] = 0;
    expect(() => decodeQoiRgba(bad, 2, 1)).toThrow(/not a QOI/);
    const short = new Uint8Array([...header(3, 1), 0xfe, 1, 2, 3, ...END]);
    expect(() => decodeQoiRgba(short, 3, 1)).toThrow(/ends early/);
  });
});
