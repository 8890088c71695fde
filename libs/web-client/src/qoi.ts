/**
 * QOI decoder for tile payloads (`LosslessCodec.qoi`), written for the render worker: output is
 * straight RGBA bytes ready for `ImageData`. Strict: a wrong header, a size other than the tile's,
 * or a truncated stream throws.
 */
export class QoiError extends Error {
  override readonly name = 'QoiError';
}

const HEADER = 14;
const END_MARKER = 8;

export const decodeQoiRgba = (
  data: Uint8Array,
  width: number,
  height: number,
): Uint8ClampedArray<ArrayBuffer> => {
  if (data.length < HEADER + END_MARKER) throw new QoiError('QOI data is too short');
  if (data[0] !== 0x71 || data[1] !== 0x6f || data[2] !== 0x69 || data[3] !== 0x66)
    throw new QoiError('not a QOI image');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const w = view.getUint32(4);
  const h = view.getUint32(8);
  if (w !== width || h !== height) throw new QoiError(`QOI image is ${w}x${h}, expected ${width}x${height}`);
  const channels = data[12];
  if (channels !== 3 && channels !== 4) throw new QoiError('QOI channels must be 3 or 4');
  const total = w * h;
  const out = new Uint8ClampedArray(total * 4);
  // index of recently seen colours, 64 entries of packed RGBA
  const seen = new Uint32Array(64);
  let r = 0;
  let g = 0;
  let b = 0;
  let a = 255;
  let run = 0;
  let p = HEADER;
  const last = data.length - END_MARKER;
  for (let i = 0; i < total; i++) {
    if (run > 0) {
      run--;
    } else {
      if (p >= last) throw new QoiError('QOI data ends early');
      const op = data[p++]!;
      if (op === 0xfe) {
        r = data[p]!;
        g = data[p + 1]!;
        b = data[p + 2]!;
        p += 3;
      } else if (op === 0xff) {
        r = data[p]!;
        g = data[p + 1]!;
        b = data[p + 2]!;
        a = data[p + 3]!;
        p += 4;
      } else {
        const tag = op & 0xc0;
        if (tag === 0x00) {
          const v = seen[op]!;
          r = v >>> 24;
          g = (v >>> 16) & 255;
          b = (v >>> 8) & 255;
          a = v & 255;
        } else if (tag === 0x40) {
          r = (r + ((op >> 4) & 3) - 2) & 255;
          g = (g + ((op >> 2) & 3) - 2) & 255;
          b = (b + (op & 3) - 2) & 255;
        } else if (tag === 0x80) {
          const second = data[p++]!;
          const dg = (op & 0x3f) - 32;
          r = (r + dg - 8 + ((second >> 4) & 15)) & 255;
          g = (g + dg) & 255;
          b = (b + dg - 8 + (second & 15)) & 255;
        } else {
          run = op & 0x3f;
        }
      }
      seen[(r * 3 + g * 5 + b * 7 + a * 11) & 63] = ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
    }
    const o = i * 4;
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = b;
    out[o + 3] = a;
  }
  if (p > last) throw new QoiError('QOI data ends early');
  return out;
};
