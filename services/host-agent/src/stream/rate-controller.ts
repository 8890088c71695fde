/** What a viewer reports back (all optional; the gateway aggregates viewers). */
export type StreamFeedback = Readonly<{
  rttMs?: number;
  /** Mean time the client needs to decode and draw one frame. */
  decodeMs?: number;
  /** Frames the client dropped since the last report. */
  droppedFrames?: number;
  /** Throughput the transport estimates, in kbit/s. */
  bandwidthKbps?: number;
}>;

export type RateLimits = Readonly<{
  maxFps: number;
  minFps: number;
  bitrateKbps: number;
  minBitrateKbps: number;
  maxBitrateKbps: number;
}>;

/**
 * Closes the loop between what viewers report and how the host streams (ADR 0006): AIMD on both the
 * ROI bitrate and the frame-rate cap. Congestion (drops, RTT rising well above its floor, decode
 * slower than the frame interval, bitrate above the measured bandwidth) cuts multiplicatively;
 * clean reports raise additively. The tile stream itself is never throttled below `minFps`.
 */
export class RateController {
  fps: number;
  bitrateKbps: number;
  private rttFloor = Infinity;

  constructor(private readonly limits: RateLimits) {
    this.fps = limits.maxFps;
    this.bitrateKbps = limits.bitrateKbps;
  }

  /** Minimum time between two frames at the current cap. */
  get minIntervalMs(): number {
    return 1000 / this.fps;
  }

  update(report: StreamFeedback): void {
    const { limits } = this;
    // zero or negative figures mean "not measured" (a viewer without video reports no decode time)
    const known = (v: number | undefined): number | undefined => (v !== undefined && v > 0 ? v : undefined);
    const f: StreamFeedback = {
      rttMs: known(report.rttMs),
      decodeMs: known(report.decodeMs),
      droppedFrames: report.droppedFrames,
      bandwidthKbps: known(report.bandwidthKbps),
    };
    if (f.rttMs !== undefined) this.rttFloor = Math.min(this.rttFloor, f.rttMs);
    const rttHigh = f.rttMs !== undefined && f.rttMs > Math.max(this.rttFloor * 2, this.rttFloor + 40);
    const dropped = (f.droppedFrames ?? 0) > 0;
    const slowDecode = f.decodeMs !== undefined && f.decodeMs > 0.8 * this.minIntervalMs;
    const overBandwidth = f.bandwidthKbps !== undefined && this.bitrateKbps > 0.85 * f.bandwidthKbps;
    if (dropped || rttHigh || overBandwidth) this.bitrateKbps *= 0.75;
    else this.bitrateKbps += Math.max(50, this.bitrateKbps * 0.05);
    if (f.bandwidthKbps !== undefined) this.bitrateKbps = Math.min(this.bitrateKbps, 0.85 * f.bandwidthKbps);
    if (slowDecode || dropped) this.fps *= 0.8;
    else if (!rttHigh) this.fps += 5;
    if (f.decodeMs !== undefined && f.decodeMs > 0) this.fps = Math.min(this.fps, 1000 / f.decodeMs);
    this.bitrateKbps = Math.round(
      Math.min(limits.maxBitrateKbps, Math.max(limits.minBitrateKbps, this.bitrateKbps)),
    );
    this.fps = Math.min(limits.maxFps, Math.max(limits.minFps, this.fps));
  }
}
