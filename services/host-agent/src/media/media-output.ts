import type { Rect } from '../tiles/geometry';
import type { TileCodec } from '../tiles/tile-codecs';

/**
 * What the host agent's media pipeline produces, independent of any wire encoding. A frame of the
 * tile stream is `frame-begin`, then copy-rects, ROI changes and tiles, then `frame-end`; the
 * other outputs (video access units, cursor, audio, clipboard, files) arrive on their own.
 * `protocol-adapter.ts` maps these onto `@bpane/protocol` messages.
 *
 * Pixels in fills are 0xRRGGBB. Tile coordinates are in pixels (`x, y, w, h`), with the grid
 * position (`col, row`) alongside.
 */
export type TilePos = Readonly<{ col: number; row: number; x: number; y: number; w: number; h: number }>;

export type MediaOutput =
  | Readonly<{
      kind: 'frame-begin';
      seq: number;
      width: number;
      height: number;
      tileSize: number;
      snapshot: boolean;
    }>
  | Readonly<{ kind: 'copy-rect'; seq: number; src: Rect; dstX: number; dstY: number }>
  | Readonly<{ kind: 'tile-fill'; seq: number; tile: TilePos; rgb: number }>
  | Readonly<{
      kind: 'tile-image';
      seq: number;
      tile: TilePos;
      hash: bigint;
      codec: TileCodec;
      data: Uint8Array;
    }>
  | Readonly<{ kind: 'tile-cache-ref'; seq: number; tile: TilePos; hash: bigint }>
  /** A part of one tile (`tile` holds the part's rectangle), not cached. */
  | Readonly<{ kind: 'rect-image'; seq: number; tile: TilePos; codec: TileCodec; data: Uint8Array }>
  | Readonly<{ kind: 'tile-cache-evict'; seq: number; hash: bigint }>
  | Readonly<{ kind: 'roi-regions'; seq: number; regions: readonly RoiRect[] }>
  | Readonly<{ kind: 'frame-end'; seq: number }>
  | Readonly<{ kind: 'video-au'; roiId: number; rect: Rect; key: boolean; ptsUs: number; data: Uint8Array }>
  | Readonly<{
      kind: 'cursor-shape';
      serial: number;
      width: number;
      height: number;
      hotX: number;
      hotY: number;
      rgba: Uint8Array;
    }>
  | Readonly<{ kind: 'cursor-cached'; serial: number }>
  | Readonly<{ kind: 'cursor-position'; x: number; y: number; visible: boolean }>
  | Readonly<{
      kind: 'audio-frame';
      seq: number;
      ptsUs: number;
      codec: 'opus';
      sampleRate: 48000;
      channels: 2;
      durationUs: 20000;
      data: Uint8Array;
    }>
  | Readonly<{ kind: 'clipboard-text'; text: string }>
  | Readonly<{ kind: 'screen-size'; width: number; height: number }>
  | Readonly<{ kind: 'file-available'; name: string; size: number; path: string }>;

export type RoiRect = Readonly<{ id: number; rect: Rect }>;

export type MediaOutputKind = MediaOutput['kind'];

/** The one sink every producer writes to. */
export interface MediaSink {
  emit(output: MediaOutput): void;
}

/** A sink that keeps everything (tests, benchmark). */
export class CollectingSink implements MediaSink {
  readonly outputs: MediaOutput[] = [];
  emit(output: MediaOutput): void {
    this.outputs.push(output);
  }
  take(): MediaOutput[] {
    return this.outputs.splice(0, this.outputs.length);
  }
}

/** Fans one output out to several sinks. */
export class TeeSink implements MediaSink {
  constructor(private readonly sinks: readonly MediaSink[]) {}
  emit(output: MediaOutput): void {
    for (const s of this.sinks) s.emit(output);
  }
}

/** Approximate wire size of an output: payload plus a small fixed header per message. */
export const outputBytes = (o: MediaOutput): number => {
  switch (o.kind) {
    case 'tile-image':
    case 'rect-image':
      return 17 + o.data.length;
    case 'tile-cache-ref':
      return 13;
    case 'tile-cache-evict':
      return 9;
    case 'tile-fill':
      return 9;
    case 'copy-rect':
      return 13;
    case 'frame-begin':
    case 'frame-end':
      return 5;
    case 'roi-regions':
      return 2 + 10 * o.regions.length;
    case 'video-au':
      return 22 + o.data.length;
    case 'cursor-shape':
      return 11 + o.rgba.length;
    case 'cursor-cached':
      return 5;
    case 'cursor-position':
      return 5;
    case 'audio-frame':
      return 16 + o.data.length;
    case 'clipboard-text':
      return 5 + Buffer.byteLength(o.text);
    case 'screen-size':
      return 5;
    case 'file-available':
      return 333;
  }
};
