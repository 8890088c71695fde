import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { extractRect } from './tile-hash';
import { decodePng, encodeIndexedPng, encodePng } from './png';
import { decodeQoi, encodeQoi } from './qoi';

/** Lossless tile codecs the tile stream can use (chosen by the benchmark in ADR 0005). */
export type TileCodec = 'qoi' | 'png' | 'deflate';
/** What the tile encoder is configured with: a codec, or `auto` (QOI, or palette PNG when smaller). */
export type TileCodecChoice = TileCodec | 'auto';

/** QOI output above this size is worth trying a palette PNG for (below it PNG's ~60 B overhead wins). */
export const AUTO_PNG_MIN_BYTES = 400;

/**
 * Encodes with the chosen codec; `auto` encodes QOI (cheap) and, for text-like rectangles
 * (≤ 256 colours, QOI ≥ AUTO_PNG_MIN_BYTES), a palette PNG, and keeps the smaller.
 */
export const encodeTileWith = (
  choice: TileCodecChoice,
  pixels: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
): { codec: TileCodec; data: Uint8Array } => {
  if (choice !== 'auto') return { codec: choice, data: encodeTile(choice, pixels, stride, x, y, w, h) };
  const qoi = encodeQoi(pixels, stride, x, y, w, h);
  if (qoi.length < AUTO_PNG_MIN_BYTES) return { codec: 'qoi', data: qoi };
  const png = encodeIndexedPng(pixels, stride, x, y, w, h, w * h >= 8192 ? 9 : 6);
  return png && png.length < qoi.length ? { codec: 'png', data: png } : { codec: 'qoi', data: qoi };
};

/**
 * `png`: a PNG (palette when ≤ 256 colours, else RGB), zlib level 6 (png.ts).
 * `deflate`: the tile's RGB bytes (3 per pixel, row-major) compressed with raw DEFLATE level 1.
 * `qoi`: a QOI image (see qoi.ts).
 */
export const encodeTile = (
  codec: TileCodec,
  pixels: Uint32Array,
  stride: number,
  x: number,
  y: number,
  w: number,
  h: number,
): Uint8Array => {
  switch (codec) {
    case 'qoi':
      return encodeQoi(pixels, stride, x, y, w, h);
    case 'png':
      return encodePng(pixels, stride, x, y, w, h, 6);
    case 'deflate': {
      const rgb = Buffer.allocUnsafe(w * h * 3);
      const px = extractRect(pixels, stride, x, y, w, h);
      for (let i = 0, o = 0; i < px.length; i++, o += 3) {
        const v = px[i]!;
        rgb[o] = (v >> 16) & 255;
        rgb[o + 1] = (v >> 8) & 255;
        rgb[o + 2] = v & 255;
      }
      return deflateRawSync(rgb, { level: 1 });
    }
  }
};

/** Decodes a tile back to 0x00RRGGBB pixels (used by the reference decoder and tests). */
export const decodeTile = (codec: TileCodec, data: Uint8Array, w: number, h: number): Uint32Array => {
  switch (codec) {
    case 'qoi': {
      const img = decodeQoi(data);
      if (img.width !== w || img.height !== h)
        throw new Error(`QOI tile is ${img.width}x${img.height}, expected ${w}x${h}`);
      return img.pixels;
    }
    case 'png': {
      const img = decodePng(data);
      if (img.width !== w || img.height !== h)
        throw new Error(`PNG tile is ${img.width}x${img.height}, expected ${w}x${h}`);
      return img.pixels;
    }
    case 'deflate': {
      const rgb = inflateRawSync(data, { maxOutputLength: w * h * 3 });
      if (rgb.length !== w * h * 3) throw new Error('deflate tile has the wrong size');
      const out = new Uint32Array(w * h);
      for (let i = 0, o = 0; i < out.length; i++, o += 3)
        out[i] = (rgb[o]! << 16) | (rgb[o + 1]! << 8) | rgb[o + 2]!;
      return out;
    }
  }
};
