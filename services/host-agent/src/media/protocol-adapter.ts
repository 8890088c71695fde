import { BpaneError } from '@bpane/errors';
import { FrameFlags, VideoFlags, type Message } from '@bpane/protocol';
import type { Rect } from '../tiles/geometry';
import type { MediaOutput } from './media-output';

/** WebCodecs codec string for constrained-baseline H.264 at a level that fits the picture. */
export const h264CodecString = (w: number, h: number): string => {
  const mbs = Math.ceil(w / 16) * Math.ceil(h / 16);
  if (mbs <= 3600) return 'avc1.42E01F'; // level 3.1 (1280×720)
  if (mbs <= 8192) return 'avc1.42E028'; // level 4.0 (2048×1024)
  if (mbs <= 22080) return 'avc1.42E032'; // level 5.0
  return 'avc1.42E033'; // level 5.1 (4096×2304)
};

export type AdapterErrorCode = 'unsupported_output';

/**
 * Maps the media pipeline's outputs onto `@bpane/protocol` messages (one output → zero or more
 * messages). The mapping is stateful where the protocol names things the pipeline does not:
 * content hashes become 32-bit cache ids (with the host's evictions forwarded as `cacheEvict`),
 * ROI regions become video streams 1–255 (`streamConfig` when one appears or changes size,
 * `streamEnd` when it goes), and audio gets its `config` before the first frame.
 */
export class ProtocolAdapter {
  private readonly cacheIds = new Map<bigint, number>();
  private nextCacheId = 1;
  private readonly streams = new Map<number, { streamId: number; rect: Rect; seq: number }>();
  private readonly freeStreamIds: number[] = Array.from({ length: 255 }, (_, i) => i + 1);
  private clipboardSeq = 0;
  private audioConfigured = false;
  private cursorVisible: boolean | null = null;
  private tileSize = 64;

  constructor(private readonly nowUs: () => number = () => Math.round(performance.now() * 1000)) {}

  /** Forget per-viewer state (new viewer after a resync): cache ids and streams start over. */
  reset(): void {
    this.cacheIds.clear();
    this.nextCacheId = 1;
    this.audioConfigured = false;
    this.cursorVisible = null;
    for (const s of this.streams.values()) this.freeStreamIds.push(s.streamId);
    this.streams.clear();
  }

  /** The cache id a viewer reported missing, back to the content hash (or undefined). */
  hashOfCacheId(cacheId: number): bigint | undefined {
    for (const [h, id] of this.cacheIds) if (id === cacheId) return h;
    return undefined;
  }

  toMessages(o: MediaOutput): Message[] {
    switch (o.kind) {
      case 'screen-size':
        return [
          {
            channel: 'control',
            type: 'displayConfig',
            width: o.width,
            height: o.height,
            scale: 100,
            tileSize: this.tileSize,
            flags: 0,
          },
        ];
      case 'frame-begin':
        this.tileSize = o.tileSize;
        return [
          {
            channel: 'tiles',
            type: 'frameBegin',
            seq: o.seq,
            timestampUs: this.nowUs(),
            flags: o.snapshot ? FrameFlags.snapshot : 0,
          },
        ];
      case 'frame-end':
        return [{ channel: 'tiles', type: 'frameEnd', seq: o.seq }];
      case 'copy-rect':
        return [
          {
            channel: 'tiles',
            type: 'copyRect',
            srcX: o.src.x,
            srcY: o.src.y,
            width: o.src.w,
            height: o.src.h,
            dstX: o.dstX,
            dstY: o.dstY,
          },
        ];
      case 'tile-fill':
        return [
          {
            channel: 'tiles',
            type: 'fill',
            x: o.tile.x,
            y: o.tile.y,
            width: o.tile.w,
            height: o.tile.h,
            rgba: ((o.rgb << 8) | 0xff) >>> 0,
          },
        ];
      case 'tile-image': {
        if (o.codec === 'deflate')
          throw new BpaneError<AdapterErrorCode>(
            'unsupported_output',
            `tile codec ${o.codec} has no protocol encoding`,
          );
        const cacheId = this.nextCacheId++;
        if (this.nextCacheId > 0xffffffff) this.nextCacheId = 1;
        this.cacheIds.set(o.hash, cacheId);
        return [
          {
            channel: 'tiles',
            type: 'lossless',
            x: o.tile.x,
            y: o.tile.y,
            width: o.tile.w,
            height: o.tile.h,
            codec: o.codec,
            cacheId,
            data: o.data,
          },
        ];
      }
      case 'rect-image':
        if (o.codec === 'deflate')
          throw new BpaneError<AdapterErrorCode>(
            'unsupported_output',
            `tile codec ${o.codec} has no protocol encoding`,
          );
        return [
          {
            channel: 'tiles',
            type: 'lossless',
            x: o.tile.x,
            y: o.tile.y,
            width: o.tile.w,
            height: o.tile.h,
            codec: o.codec,
            cacheId: 0,
            data: o.data,
          },
        ];
      case 'tile-cache-ref': {
        const cacheId = this.cacheIds.get(o.hash);
        if (cacheId === undefined)
          throw new BpaneError<AdapterErrorCode>(
            'unsupported_output',
            'cache reference to a tile this viewer never received',
          );
        return [{ channel: 'tiles', type: 'cacheRef', x: o.tile.x, y: o.tile.y, cacheId }];
      }
      case 'tile-cache-evict': {
        const cacheId = this.cacheIds.get(o.hash);
        if (cacheId === undefined) return [];
        this.cacheIds.delete(o.hash);
        return [{ channel: 'tiles', type: 'cacheEvict', cacheId }];
      }
      case 'roi-regions': {
        const out: Message[] = [];
        const keep = new Set(o.regions.map((r) => r.id));
        for (const [roiId, s] of this.streams)
          if (!keep.has(roiId)) {
            out.push({ channel: 'video', type: 'streamEnd', streamId: s.streamId });
            this.freeStreamIds.push(s.streamId);
            this.streams.delete(roiId);
          }
        for (const r of o.regions) {
          let s = this.streams.get(r.id);
          if (!s) {
            const streamId = this.freeStreamIds.shift();
            if (streamId === undefined)
              throw new BpaneError<AdapterErrorCode>('unsupported_output', 'more than 255 video streams');
            s = { streamId, rect: { x: -1, y: -1, w: 0, h: 0 }, seq: 0 };
            this.streams.set(r.id, s);
          }
          if (s.rect.w !== r.rect.w || s.rect.h !== r.rect.h)
            out.push({
              channel: 'video',
              type: 'streamConfig',
              streamId: s.streamId,
              codec: 'h264',
              codecString: h264CodecString(r.rect.w, r.rect.h),
              width: r.rect.w,
              height: r.rect.h,
            });
          s.rect = r.rect;
        }
        return out;
      }
      case 'video-au': {
        const s = this.streams.get(o.roiId);
        if (!s) return []; // the region went before its last frame came out of the encoder
        return [
          {
            channel: 'video',
            type: 'accessUnit',
            streamId: s.streamId,
            seq: s.seq++,
            flags: o.key ? VideoFlags.key : 0,
            timestampUs: o.ptsUs,
            roiX: o.rect.x,
            roiY: o.rect.y,
            roiWidth: o.rect.w,
            roiHeight: o.rect.h,
            data: o.data,
          },
        ];
      }
      case 'cursor-shape':
        return [
          {
            channel: 'cursor',
            type: 'shape',
            cursorId: o.serial,
            width: o.width,
            height: o.height,
            hotX: o.hotX,
            hotY: o.hotY,
            rgba: o.rgba,
          },
        ];
      case 'cursor-cached':
        return [{ channel: 'cursor', type: 'select', cursorId: o.serial }];
      case 'cursor-position': {
        const out: Message[] = [];
        if (this.cursorVisible !== o.visible) {
          this.cursorVisible = o.visible;
          out.push({ channel: 'cursor', type: 'visibility', visible: o.visible });
        }
        out.push({ channel: 'cursor', type: 'position', x: o.x, y: o.y });
        return out;
      }
      case 'audio-frame': {
        const out: Message[] = [];
        if (!this.audioConfigured) {
          this.audioConfigured = true;
          out.push({
            channel: 'audio',
            type: 'config',
            codec: 'opus',
            sampleRate: o.sampleRate,
            channels: o.channels,
            frameDurationUs: o.durationUs,
          });
        }
        out.push({ channel: 'audio', type: 'frame', seq: o.seq, timestampUs: o.ptsUs, data: o.data });
        return out;
      }
      case 'clipboard-text':
        return [{ channel: 'clipboard', type: 'text', seq: ++this.clipboardSeq, text: o.text }];
      case 'file-available':
        // offered by the file transfer sender (file-transfer.ts), which owns transfer ids
        return [];
    }
  }
}
