/**
 * QOI ("Quite OK Image", qoiformat.org, spec 1.0) encoder and decoder for BGRx framebuffer
 * rectangles. Tiles are encoded as 3-channel (RGB, sRGB) images; the padding byte is ignored.
 * Written here (no dependency) because it is the fastest of the measured lossless codecs for
 * 64 px tiles in JS (ADR 0005). Pixels are 32-bit words 0x??RRGGBB (little-endian BGRx).
 */
const OP_INDEX = 0x00;
const OP_DIFF = 0x40;
const OP_LUMA = 0x80;
const OP_RUN = 0xc0;
const OP_RGB = 0xfe;
const OP_RGBA = 0xff;
const MASK_2 = 0xc0;
const HEADER = 14;
const END = [0, 0, 0, 0, 0, 0, 0, 1] as const;

let scratch = new Uint8Array(64 * 64 * 4 + HEADER + END.length);

const hashIndex = (rgb: number): number =>
  (((rgb >> 16) & 255) * 3 + ((rgb >> 8) & 255) * 5 + (rgb & 255) * 7 + 255 * 11) % 64;

export const encodeQoi = (
  pixels: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
): Uint8Array => {
  const max = w * h * 4 + HEADER + END.length;
  if (scratch.length < max) scratch = new Uint8Array(max);
  const out = scratch;
  out[0] = 0x71; // q
  out[1] = 0x6f; // o
  out[2] = 0x69; // i
  out[3] = 0x66; // f
  out[4] = (w >>> 24) & 255;
  out[5] = (w >>> 16) & 255;
  out[6] = (w >>> 8) & 255;
  out[7] = w & 255;
  out[8] = (h >>> 24) & 255;
  out[9] = (h >>> 16) & 255;
  out[10] = (h >>> 8) & 255;
  out[11] = h & 255;
  out[12] = 3;
  out[13] = 0;
  let p = HEADER;
  const index = new Int32Array(64); // 0 = empty; entries are rgb | 0x1000000 (alpha 255)
  let prev = 0x1000000; // r=g=b=0, a=255
  let run = 0;
  const total = w * h;
  let n = 0;
  for (let row = 0; row < h; row++) {
    let i = (y + row) * stride + x;
    const end = i + w;
    for (; i < end; i++, n++) {
      const px = (pixels[i]! & 0x00ffffff) | 0x1000000;
      if (px === prev) {
        run++;
        if (run === 62 || n === total - 1) {
          out[p++] = OP_RUN | (run - 1);
          run = 0;
        }
        continue;
      }
      if (run > 0) {
        out[p++] = OP_RUN | (run - 1);
        run = 0;
      }
      const idx = hashIndex(px);
      if (index[idx] === px) {
        out[p++] = OP_INDEX | idx;
      } else {
        index[idx] = px;
        const vr = ((((px >> 16) & 255) - ((prev >> 16) & 255)) << 24) >> 24;
        const vg = ((((px >> 8) & 255) - ((prev >> 8) & 255)) << 24) >> 24;
        const vb = (((px & 255) - (prev & 255)) << 24) >> 24;
        const vgr = vr - vg;
        const vgb = vb - vg;
        if (vr > -3 && vr < 2 && vg > -3 && vg < 2 && vb > -3 && vb < 2) {
          out[p++] = OP_DIFF | ((vr + 2) << 4) | ((vg + 2) << 2) | (vb + 2);
        } else if (vgr > -9 && vgr < 8 && vg > -33 && vg < 32 && vgb > -9 && vgb < 8) {
          out[p++] = OP_LUMA | (vg + 32);
          out[p++] = ((vgr + 8) << 4) | (vgb + 8);
        } else {
          out[p++] = OP_RGB;
          out[p++] = (px >> 16) & 255;
          out[p++] = (px >> 8) & 255;
          out[p++] = px & 255;
        }
      }
      prev = px;
    }
  }
  for (const b of END) out[p++] = b;
  return out.slice(0, p);
};

/** Decodes a QOI image into 32-bit pixels 0x00RRGGBB (alpha dropped). Strict: throws on bad input. */
export const decodeQoi = (data: Uint8Array): { width: number; height: number; pixels: Uint32Array } => {
  if (
    data.length < HEADER + END.length ||
    data[0] !== 0x71 ||
    data[1] !== 0x6f ||
    data[2] !== 0x69 ||
    data[3] !== 0x66
  )
    throw new Error('not a QOI image');
  const width = ((data[4]! << 24) | (data[5]! << 16) | (data[6]! << 8) | data[7]!) >>> 0;
  const height = ((data[8]! << 24) | (data[9]! << 16) | (data[10]! << 8) | data[11]!) >>> 0;
  if (width === 0 || height === 0 || width * height > 1 << 26) throw new Error('bad QOI size');
  const pixels = new Uint32Array(width * height);
  const index = new Uint32Array(64);
  let r = 0;
  let g = 0;
  let b = 0;
  let a = 255;
  let p = HEADER;
  const last = data.length - END.length;
  let run = 0;
  for (let n = 0; n < pixels.length; n++) {
    if (run > 0) {
      run--;
    } else {
      if (p >= last) throw new Error('truncated QOI data');
      const b1 = data[p++]!;
      if (b1 === OP_RGB) {
        r = data[p++]!;
        g = data[p++]!;
        b = data[p++]!;
      } else if (b1 === OP_RGBA) {
        r = data[p++]!;
        g = data[p++]!;
        b = data[p++]!;
        a = data[p++]!;
      } else if ((b1 & MASK_2) === OP_INDEX) {
        const v = index[b1]!;
        r = (v >>> 24) & 255;
        g = (v >>> 16) & 255;
        b = (v >>> 8) & 255;
        a = v & 255;
      } else if ((b1 & MASK_2) === OP_DIFF) {
        r = (r + ((b1 >> 4) & 3) - 2) & 255;
        g = (g + ((b1 >> 2) & 3) - 2) & 255;
        b = (b + (b1 & 3) - 2) & 255;
      } else if ((b1 & MASK_2) === OP_LUMA) {
        const b2 = data[p++]!;
        const vg = (b1 & 0x3f) - 32;
        r = (r + vg - 8 + ((b2 >> 4) & 0x0f)) & 255;
        g = (g + vg) & 255;
        b = (b + vg - 8 + (b2 & 0x0f)) & 255;
      } else {
        run = b1 & 0x3f;
      }
      index[(r * 3 + g * 5 + b * 7 + a * 11) % 64] = ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
    }
    pixels[n] = (r << 16) | (g << 8) | b;
  }
  return { width, height, pixels };
};
