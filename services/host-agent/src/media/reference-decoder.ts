import { decodeTile } from '../tiles/tile-codecs';
import type { Rect } from '../tiles/geometry';
import type { MediaOutput, RoiRect } from './media-output';

/**
 * The client side of the tile stream, in plain TypeScript: applies outputs to a framebuffer the way
 * a viewer does (copy-rects, fills, cache references, lossless images) and keeps a cache with the
 * same capacity and LRU policy as the host. Tests and the benchmark compare its picture with the
 * host's screen; video regions are not decoded here (they are excluded from the comparison).
 */
export class ReferenceDecoder {
  width = 0;
  height = 0;
  pixels = new Uint32Array(0);
  rois: readonly RoiRect[] = [];
  private readonly cache = new Map<bigint, Uint32Array>();
  cacheMisses = 0;

  constructor(private readonly cacheEntries: number) {}

  apply(o: MediaOutput): void {
    switch (o.kind) {
      case 'frame-begin':
        if (o.width !== this.width || o.height !== this.height) {
          this.width = o.width;
          this.height = o.height;
          this.pixels = new Uint32Array(o.width * o.height);
        }
        return;
      case 'copy-rect': {
        const { src, dstX, dstY } = o;
        const down = dstY > src.y;
        for (let k = 0; k < src.h; k++) {
          const r = down ? src.h - 1 - k : k;
          const s = (src.y + r) * this.width + src.x;
          this.pixels.copyWithin((dstY + r) * this.width + dstX, s, s + src.w);
        }
        return;
      }
      case 'tile-fill':
        for (let y = 0; y < o.tile.h; y++)
          this.pixels.fill(
            o.rgb,
            (o.tile.y + y) * this.width + o.tile.x,
            (o.tile.y + y) * this.width + o.tile.x + o.tile.w,
          );
        return;
      case 'tile-image': {
        const px = decodeTile(o.codec, o.data, o.tile.w, o.tile.h);
        this.put(o.tile, px);
        this.cache.set(o.hash, px);
        // the host names its evictions; this bound only guards against a host that does not
        if (this.cache.size > this.cacheEntries + 1)
          this.cache.delete(this.cache.keys().next().value as bigint);
        return;
      }
      case 'rect-image':
        this.put(o.tile, decodeTile(o.codec, o.data, o.tile.w, o.tile.h));
        return;
      case 'tile-cache-ref': {
        const px = this.cache.get(o.hash);
        if (!px) {
          this.cacheMisses++;
          return;
        }
        this.cache.delete(o.hash);
        this.cache.set(o.hash, px);
        this.put(o.tile, px);
        return;
      }
      case 'tile-cache-evict':
        this.cache.delete(o.hash);
        return;
      case 'roi-regions':
        this.rois = o.regions;
        return;
      default:
        return;
    }
  }

  private put(t: Rect, px: Uint32Array): void {
    for (let y = 0; y < t.h; y++)
      this.pixels.set(px.subarray(y * t.w, (y + 1) * t.w), (t.y + y) * this.width + t.x);
  }

  /**
   * Share of pixels equal to `screen` (0xRRGGBB, padding ignored), outside ROI rectangles and
   * inside `area` (default: the whole screen). 1 = pixel-exact.
   */
  exactShare(screen: Uint32Array, area?: Rect): { share: number; compared: number; differing: number } {
    const a = area ?? { x: 0, y: 0, w: this.width, h: this.height };
    let compared = 0;
    let differing = 0;
    for (let y = a.y; y < a.y + a.h; y++)
      for (let x = a.x; x < a.x + a.w; x++) {
        if (
          this.rois.some(
            (r) => x >= r.rect.x && x < r.rect.x + r.rect.w && y >= r.rect.y && y < r.rect.y + r.rect.h,
          )
        )
          continue;
        const i = y * this.width + x;
        compared++;
        if (((screen[i]! ^ this.pixels[i]!) & 0x00ffffff) !== 0) differing++;
      }
    return { share: compared === 0 ? 1 : (compared - differing) / compared, compared, differing };
  }
}
