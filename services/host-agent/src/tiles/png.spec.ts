import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePng, encodeIndexedPng, encodePng } from './png';

const text = (w: number, h: number, colours: number): Uint32Array => {
  const a = new Uint32Array(w * h);
  let s = 1;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    a[i] = (s >>> 8) % 4 === 0 ? ((s % colours) * 0x010101 * Math.floor(255 / colours)) & 0xffffff : 0xffffff;
  }
  return a;
};

describe('PNG tiles', () => {
  it('writes palette PNGs for few colours and RGB PNGs for many, both read by libvips', async () => {
    for (const colours of [12, 200, 100_000]) {
      const px =
        colours > 256 ? text(64, 40, 1).map((_, i) => (i * 2654435761) & 0xffffff) : text(64, 40, colours);
      const png = encodePng(px, 64, 0, 0, 64, 40);
      const ours = decodePng(png);
      expect(ours.pixels).toEqual(px.map((v) => v & 0xffffff));
      // an independent decoder agrees (sharp/libvips)
      const { data, info } = await sharp(Buffer.from(png)).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([64, 40]);
      const ch = info.channels;
      for (let i = 0; i < px.length; i += 37) {
        const v = px[i]! & 0xffffff;
        expect([data[i * ch], data[i * ch + 1], data[i * ch + 2]]).toEqual([
          (v >> 16) & 255,
          (v >> 8) & 255,
          v & 255,
        ]);
      }
    }
    expect(
      encodeIndexedPng(
        new Uint32Array(300).map((_, i) => i),
        300,
        0,
        0,
        300,
        1,
      ),
    ).toBeNull();
  });
  it('rejects corrupted PNGs', () => {
    const png = encodePng(text(16, 16, 5), 16, 0, 0, 16, 16);
    const bad = Uint8Array.from(png);
    bad[40] = bad[40]! ^ 0xff;
    expect(() => decodePng(bad)).toThrow();
    expect(() => decodePng(new Uint8Array(10))).toThrow();
  });
});
