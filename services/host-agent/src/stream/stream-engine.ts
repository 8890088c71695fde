import { DamageCapture } from '../capture/damage-capture';
import type { MediaSink, RoiRect } from '../media/media-output';
import { RoiEncoder } from '../media/roi-encoder';
import { coverTiles, intersect, rectsEqual } from '../tiles/geometry';
import { defaultRoiOptions, RoiClassifier, type RoiClassifierOptions } from '../tiles/roi-classifier';
import type { TileCodecChoice } from '../tiles/tile-codecs';
import { extractRect } from '../tiles/tile-hash';
import { TileStreamEncoder, type FrameStats } from '../tiles/tile-stream-encoder';
import { RateController, type StreamFeedback } from './rate-controller';

export type StreamEngineOptions = Readonly<{
  tileSize: number;
  codec: TileCodecChoice;
  cacheEntries: number;
  maxFps: number;
  roiBitrateKbps: number;
  roiMinBitrateKbps: number;
  roiMaxBitrateKbps: number;
  /** Detect scrolls and send copy-rects (default true). */
  scroll?: boolean;
  /** Classify moving regions and encode them as H.264 (default true). */
  roi?: boolean;
  roiOptions?: RoiClassifierOptions;
  shm?: boolean;
  /** Called with the whole current screen after every capture (the benchmark's baseline). */
  frameObserver?: (frame: Uint32Array, width: number, height: number, nowMs: number) => void;
}>;

/** Smallest frame spacing while a scroll is under way (20 fps). */
export const SCROLL_MIN_INTERVAL_MS = 50;

export type EngineCounters = {
  frames: number;
  roiFrames: number;
  captureRequests: number;
  capturedBytes: number;
  lastStats: FrameStats | null;
};

/**
 * The capture loop (ADR 0004/0006). Damage notifications schedule a frame; frames are spaced by the
 * rate controller's interval (≤ `maxFps`), and with no damage no frame is taken at all (0 fps when
 * idle). A frame captures only the damaged tiles, runs the tile encoder, feeds the changed tiles to
 * the ROI classifier, and pushes the pixels of every damaged ROI region into that region's x264
 * encoder. Region changes (new, moved, gone) reconfigure encoders in place and make the tile
 * encoder resend a released region losslessly.
 */
export class StreamEngine {
  readonly counters: EngineCounters = {
    frames: 0,
    roiFrames: 0,
    captureRequests: 0,
    capturedBytes: 0,
    lastStats: null,
  };
  readonly rate: RateController;
  private encoder: TileStreamEncoder;
  private classifier: RoiClassifier;
  private rois: RoiRect[] = [];
  private roiChanged = false;
  private readonly roiEncoders = new Map<number, RoiEncoder>();
  private readonly roiNeedsFrame = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private again = false;
  private lastFrameAt = -Infinity;
  private stopped = false;
  private offDamage: () => void;
  private roiScratch = new Uint32Array(0);
  private tickDone: Promise<void> = Promise.resolve();
  private lastDamageAt = -Infinity;
  private lastScrollAt = -Infinity;
  private forcedPending = false;
  private paused = false;

  private constructor(
    private readonly cap: DamageCapture,
    private readonly opts: StreamEngineOptions,
    private readonly sink: MediaSink,
    private readonly now: () => number,
  ) {
    this.encoder = new TileStreamEncoder(cap.width, cap.height, {
      tileSize: opts.tileSize,
      codec: opts.codec,
      cacheEntries: opts.cacheEntries,
      scroll: opts.scroll ?? true,
    });
    this.classifier = new RoiClassifier(this.encoder.grid, opts.roiOptions ?? defaultRoiOptions);
    this.rate = new RateController({
      maxFps: opts.maxFps,
      minFps: Math.min(5, opts.maxFps),
      bitrateKbps: opts.roiBitrateKbps,
      minBitrateKbps: opts.roiMinBitrateKbps,
      maxBitrateKbps: opts.roiMaxBitrateKbps,
    });
    this.offDamage = cap.onDamage(() => {
      this.lastDamageAt = this.now();
      this.schedule();
    });
  }

  static async start(
    display: number,
    opts: StreamEngineOptions,
    sink: MediaSink,
    now: () => number = () => performance.now(),
  ): Promise<StreamEngine> {
    const cap = await DamageCapture.open(display, { shm: opts.shm ?? true });
    await cap.capture([{ x: 0, y: 0, w: cap.width, h: cap.height }]);
    const engine = new StreamEngine(cap, opts, sink, now);
    sink.emit({ kind: 'screen-size', width: cap.width, height: cap.height });
    engine.schedule();
    return engine;
  }

  get capture(): DamageCapture {
    return this.cap;
  }
  get regions(): readonly RoiRect[] {
    return this.rois;
  }
  get tileEncoder(): TileStreamEncoder {
    return this.encoder;
  }

  /** A new viewer: every tile again (no cache references) and a keyframe from every ROI encoder. */
  requestSnapshot(): void {
    this.encoder.resetClient();
    this.requestKeyframe();
    this.roiChanged = true;
    this.schedule();
  }

  requestKeyframe(): void {
    for (const e of this.roiEncoders.values()) e.forceKeyframe();
    for (const id of this.roiEncoders.keys()) this.roiNeedsFrame.add(id);
    this.schedule();
  }

  /** A viewer lost the tile at (x, y) (cache miss): send it again. */
  invalidateAt(x: number, y: number): void {
    this.encoder.invalidate(this.encoder.grid.tilesIn({ x, y, w: 1, h: 1 }));
    this.forcedPending = true;
    this.again = true;
    this.schedule();
  }

  feedback(f: StreamFeedback): void {
    this.rate.update(f);
    this.applyBitrates();
  }

  /** Stops taking frames until `resize()` (call before the screen size changes). */
  async pause(): Promise<void> {
    this.paused = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.tickDone;
  }

  /** The screen was resized (RANDR): start over at the new size. */
  async resize(size: { width: number; height: number }): Promise<void> {
    await this.pause();
    this.paused = false;
    for (const e of this.roiEncoders.values()) e.stop();
    this.roiEncoders.clear();
    this.rois = [];
    await this.cap.resize(size);
    this.encoder.resize(size.width, size.height);
    this.classifier.reset(this.encoder.grid);
    this.roiChanged = true;
    this.sink.emit({ kind: 'screen-size', ...size });
    this.schedule();
  }

  /** Resolves once no frame is being produced and none is scheduled (tests, benchmark). */
  async settle(quietMs = 150, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      if (this.ticking || this.timer || this.cap.hasDamage) quietSince = Date.now();
      else if (Date.now() - quietSince >= quietMs) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.offDamage();
    await this.tickDone;
    for (const e of this.roiEncoders.values()) {
      await e.drain(500);
      e.stop();
    }
    this.roiEncoders.clear();
    this.cap.close();
  }

  private schedule(delayOverride?: number): void {
    if (this.stopped || this.paused) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    // While a scroll is running, frames are spaced at least SCROLL_MIN_INTERVAL_MS: fewer, taller
    // exposed strips compress much better than many thin ones (bench:stream, scroll workload).
    const interval =
      this.now() - this.lastScrollAt < 250
        ? Math.max(this.rate.minIntervalMs, SCROLL_MIN_INTERVAL_MS)
        : this.rate.minIntervalMs;
    const delay = delayOverride ?? Math.max(0, this.lastFrameAt + interval - this.now());
    const dueAt = this.now() + delay;
    const fire = (): void => {
      this.timer = null;
      // Let a paint burst finish: capture once damage has been quiet for 4 ms (at most 16 ms late),
      // so a frame rarely holds half of a repaint (which would defeat scroll detection).
      const now = this.now();
      if (now - this.lastDamageAt < 4 && now - dueAt < 16) {
        this.timer = setTimeout(fire, 4);
        return;
      }
      this.ticking = true;
      this.tickDone = this.tick()
        .catch((e: unknown) => {
          if (!this.stopped) console.error('host-agent frame failed', e);
        })
        .finally(() => {
          this.ticking = false;
          if (this.stopped) return;
          if (this.again || this.cap.hasDamage || this.roiChanged) {
            this.again = false;
            this.schedule();
          } else if (this.classifier.active) {
            this.schedule(100); // let hot tiles cool down and regions be released without damage
          }
        });
    };
    this.timer = setTimeout(fire, delay);
  }

  private async tick(): Promise<void> {
    const now = this.now();
    this.lastFrameAt = now;
    const grid = this.encoder.grid;
    const damage = this.cap.takeDamage();
    const dirty = new Set<number>();
    for (const r of damage) grid.tilesIn(r, dirty);
    if (dirty.size > 0) {
      const reqs = this.cap.requests;
      const bytes = this.cap.bytesRead;
      await this.cap.capture(coverTiles(grid, dirty));
      this.counters.captureRequests += this.cap.requests - reqs;
      this.counters.capturedBytes += this.cap.bytesRead - bytes;
      this.opts.frameObserver?.(this.cap.frame, this.cap.width, this.cap.height, now);
    }
    if (this.stopped) return;
    const roiChanged = this.roiChanged;
    this.roiChanged = false;
    let stats: FrameStats | null = null;
    const forced = this.forcedPending;
    this.forcedPending = false;
    if (dirty.size > 0 || roiChanged || forced || this.encoder.frameSeq === 0) {
      stats = this.encoder.encodeFrame(this.cap.frame, dirty, this.rois, this.sink, roiChanged);
      this.counters.frames++;
      this.counters.lastStats = stats;
    }
    // video for the regions whose pixels changed (or that need a first/key frame)
    for (const roi of this.rois) {
      const enc = this.roiEncoders.get(roi.id);
      if (!enc) continue;
      const touched = this.roiNeedsFrame.has(roi.id) || damage.some((d) => intersect(d, roi.rect) !== null);
      if (!touched) continue;
      this.roiNeedsFrame.delete(roi.id);
      const n = roi.rect.w * roi.rect.h;
      if (this.roiScratch.length < n) this.roiScratch = new Uint32Array(n);
      extractRect(
        this.cap.frame,
        grid.width,
        roi.rect.x,
        roi.rect.y,
        roi.rect.w,
        roi.rect.h,
        this.roiScratch,
      );
      enc.push(this.roiScratch, roi.rect, Math.round(now * 1000));
      this.counters.roiFrames++;
    }
    if (this.opts.roi === false) return;
    // a scroll is not video: tiles it touched do not count, and no new region starts right after
    if (stats?.scroll) this.lastScrollAt = now;
    const changed = stats?.scroll
      ? stats.changed.filter((i) => {
          const r = grid.rect(i);
          return (
            r.y + r.h <= stats.scroll!.dstY ||
            r.y >= stats.scroll!.dstY + stats.scroll!.src.h + Math.abs(stats.scroll!.dy)
          );
        })
      : (stats?.changed ?? []);
    const regions = this.classifier.update(now, changed, now - this.lastScrollAt > 600);
    this.reconcileRegions(regions);
  }

  private reconcileRegions(regions: readonly RoiRect[]): void {
    const same =
      regions.length === this.rois.length &&
      regions.every((r, i) => r.id === this.rois[i]!.id && rectsEqual(r.rect, this.rois[i]!.rect));
    if (same) return;
    const next = new Map(regions.map((r) => [r.id, r]));
    for (const old of this.rois) {
      const now = next.get(old.id);
      if (!now || !rectsEqual(now.rect, old.rect)) {
        // the client shows video there: resend those tiles losslessly (unless still under video)
        this.encoder.invalidate(this.encoder.grid.tilesIn(old.rect));
      }
      if (!now) {
        this.roiEncoders.get(old.id)?.stop();
        this.roiEncoders.delete(old.id);
      }
    }
    for (const r of regions) {
      if (!this.roiEncoders.has(r.id)) {
        const enc = new RoiEncoder(r.id, this.opts.roiBitrateKbps, (au) =>
          this.sink.emit({ kind: 'video-au', roiId: r.id, ...au }),
        );
        this.roiEncoders.set(r.id, enc);
      }
      this.roiNeedsFrame.add(r.id);
    }
    this.rois = regions.map((r) => ({ id: r.id, rect: r.rect }));
    this.roiChanged = true;
    this.applyBitrates();
  }

  private applyBitrates(): void {
    const screen = this.encoder.grid.width * this.encoder.grid.height;
    for (const r of this.rois) {
      const share = Math.max(0.25, (r.rect.w * r.rect.h) / screen);
      this.roiEncoders.get(r.id)?.setBitrate(this.rate.bitrateKbps * Math.min(1, share));
    }
  }
}
