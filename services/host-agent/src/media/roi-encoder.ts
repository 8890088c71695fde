import type { Rect } from '../tiles/geometry';
import {
  gst,
  isKeyAccessUnit,
  ptsBuffer,
  type GstAppSink,
  type GstAppSrc,
  type GstElement,
  type GstPipeline,
} from '../gst/gst';

export type EncodedAccessUnit = Readonly<{ rect: Rect; key: boolean; ptsUs: number; data: Uint8Array }>;

/** The x264 pipeline of one ROI region (ADR 0006). */
export const roiPipelineDescription = (bitrateKbps: number, keyIntMax: number, prefix = ''): string =>
  [
    `appsrc name=${prefix}src is-live=true format=time do-timestamp=false block=false`,
    'videoconvert',
    'video/x-raw,format=I420',
    `x264enc name=${prefix}enc tune=zerolatency speed-preset=ultrafast bitrate=${bitrateKbps} key-int-max=${keyIntMax} byte-stream=true aud=true threads=2`,
    'video/x-h264,profile=constrained-baseline,stream-format=byte-stream,alignment=au',
    `appsink name=${prefix}sink sync=false max-buffers=16`,
  ].join(' ! ');

/**
 * An in-process H.264 encoder for one ROI rectangle: BGRx frames in through `appsrc`, Annex-B
 * access units out through `appsink`. The rectangle (caps), the bitrate (`x264enc.bitrate`) and
 * keyframes (`forceKeyUnit`) change at runtime; the pipeline is never torn down for them. x264 with
 * `tune=zerolatency` returns exactly one access unit per frame, in order, so each output is matched
 * to the rectangle and timestamp of the frame that produced it. A pull is outstanding only while
 * frames are in flight, so an idle encoder holds no libuv worker thread.
 */
export class RoiEncoder {
  private readonly pipeline: GstPipeline;
  private readonly src: GstAppSrc;
  private readonly sink: GstAppSink;
  private readonly enc: GstElement;
  private readonly inflight: { rect: Rect; ptsUs: number }[] = [];
  private pulling = false;
  private capsRect: Rect | null = null;
  private stopped = false;
  private bitrate: number;
  framesIn = 0;
  framesOut = 0;
  bytesOut = 0;

  constructor(
    readonly id: number,
    bitrateKbps: number,
    private readonly onAccessUnit: (au: EncodedAccessUnit) => void,
    keyIntMax = 600,
    /** Element-name prefix; GStreamer names the encoder's threads `<prefix>src:src`. */
    private readonly prefix = '',
  ) {
    this.bitrate = bitrateKbps;
    this.pipeline = new (gst().Pipeline)(roiPipelineDescription(bitrateKbps, keyIntMax, prefix));
    this.src = this.pipeline.findChild<GstAppSrc>(`${prefix}src`);
    this.sink = this.pipeline.findChild<GstAppSink>(`${prefix}sink`);
    this.enc = this.pipeline.findChild(`${prefix}enc`);
    this.pipeline.play();
  }

  get bitrateKbps(): number {
    return this.bitrate;
  }

  get pending(): number {
    return this.inflight.length;
  }

  setBitrate(kbps: number): void {
    const v = Math.max(16, Math.round(kbps));
    if (v === this.bitrate) return;
    this.bitrate = v;
    this.enc['bitrate'] = v;
  }

  /** The next frame is encoded as an IDR (new joiner, decoder error on a client). */
  forceKeyframe(): void {
    if (!this.stopped) this.pipeline.forceKeyUnit(`${this.prefix}sink`, 1);
  }

  /** Encodes one frame: `pixels` holds rect.w × rect.h BGRx words, row-major. */
  push(pixels: Uint32Array, rect: Rect, ptsUs: number): void {
    if (this.stopped) return;
    if (!this.capsRect || this.capsRect.w !== rect.w || this.capsRect.h !== rect.h) {
      this.src.caps = `video/x-raw,format=BGRx,width=${rect.w},height=${rect.h},framerate=0/1`;
      this.capsRect = rect;
    }
    this.inflight.push({ rect, ptsUs });
    this.framesIn++;
    this.src.push(
      Buffer.from(pixels.buffer, pixels.byteOffset, rect.w * rect.h * 4),
      ptsBuffer(BigInt(Math.round(ptsUs)) * 1000n),
    );
    this.pull();
  }

  private pull(): void {
    if (this.pulling || this.stopped || this.inflight.length === 0) return;
    this.pulling = true;
    this.sink.pull((buf) => {
      this.pulling = false;
      if (!buf || this.stopped) return;
      const meta = this.inflight.shift();
      if (meta) {
        this.framesOut++;
        this.bytesOut += buf.length;
        this.onAccessUnit({
          rect: meta.rect,
          ptsUs: meta.ptsUs,
          key: isKeyAccessUnit(buf),
          data: new Uint8Array(buf),
        });
      }
      this.pull();
    });
  }

  /** Waits until every pushed frame came out (bounded). */
  async drain(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inflight.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.pipeline.stop();
  }
}
