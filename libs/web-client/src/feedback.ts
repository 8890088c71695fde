/**
 * The numbers behind `feedback.report` (SPEC §8 Feedback): RTT from ping/pong, mean decode time,
 * frames decoded and dropped, and a bandwidth estimate, over one report interval.
 */
export type FeedbackSnapshot = Readonly<{
  intervalMs: number;
  rttUs: number;
  decodeTimeUs: number;
  framesDecoded: number;
  framesDropped: number;
  bandwidthBps: number;
  queueMs: number;
}>;

/** Exponentially weighted moving average (weight of the newest sample). */
export const ewma = (previous: number | null, sample: number, weight = 0.25): number =>
  previous === null ? sample : previous + weight * (sample - previous);

/**
 * Bits per second that arrived in an interval. Bytes that arrive while the link is idle say little
 * about capacity, so the estimate is the received rate, smoothed; callers treat it as a lower bound.
 */
export const bitsPerSecond = (bytes: number, intervalMs: number): number =>
  intervalMs <= 0 ? 0 : Math.round((bytes * 8 * 1000) / intervalMs);

const u32 = (v: number): number => Math.min(0xffffffff, Math.max(0, Math.round(v)));

export class FeedbackMeter {
  #rttUs: number | null = null;
  #bandwidth: number | null = null;
  #bytes = 0;
  #decodeUsTotal = 0;
  #decoded = 0;
  #dropped = 0;
  #queueMs = 0;
  #since: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.#since = now();
  }

  /** A pong came back: `sentUs` is the echoed ping timestamp, `nowUs` the receive time (µs). */
  rtt(sentUs: number, nowUs: number): void {
    const sample = Math.max(0, nowUs - sentUs);
    this.#rttUs = ewma(this.#rttUs, sample);
  }

  get rttMs(): number | null {
    return this.#rttUs === null ? null : this.#rttUs / 1000;
  }

  received(bytes: number): void {
    this.#bytes += bytes;
  }

  decoded(decodeUs: number): void {
    this.#decoded++;
    this.#decodeUsTotal += Math.max(0, decodeUs);
  }

  dropped(n = 1): void {
    this.#dropped += n;
  }

  queue(ms: number): void {
    this.#queueMs = Math.max(0, ms);
  }

  /** The report for the interval since the previous call, and a fresh interval. */
  take(): FeedbackSnapshot {
    const t = this.now();
    const intervalMs = Math.max(1, Math.round(t - this.#since));
    this.#bandwidth = Math.round(ewma(this.#bandwidth, bitsPerSecond(this.#bytes, intervalMs), 0.5));
    const out: FeedbackSnapshot = {
      intervalMs: Math.min(intervalMs, 0xffff),
      rttUs: u32(this.#rttUs ?? 0),
      decodeTimeUs: this.#decoded === 0 ? 0 : u32(this.#decodeUsTotal / this.#decoded),
      framesDecoded: Math.min(this.#decoded, 0xffff),
      framesDropped: Math.min(this.#dropped, 0xffff),
      bandwidthBps: u32(this.#bandwidth),
      queueMs: Math.min(Math.round(this.#queueMs), 0xffff),
    };
    this.#since = t;
    this.#bytes = 0;
    this.#decodeUsTotal = 0;
    this.#decoded = 0;
    this.#dropped = 0;
    return out;
  }
}
