import { describe, expect, it } from 'vitest';
import { bitsPerSecond, ewma, FeedbackMeter } from './feedback';

describe('feedback math', () => {
  it('ewma starts at the first sample and moves by the weight', () => {
    expect(ewma(null, 40)).toBe(40);
    expect(ewma(40, 80, 0.25)).toBe(50);
  });
  it('bitsPerSecond converts bytes over an interval', () => {
    expect(bitsPerSecond(125_000, 1000)).toBe(1_000_000);
    expect(bitsPerSecond(125_000, 500)).toBe(2_000_000);
    expect(bitsPerSecond(10, 0)).toBe(0);
  });
  it('a report covers one interval: RTT smoothed, decode time averaged, counters reset', () => {
    let t = 0;
    const m = new FeedbackMeter(() => t);
    m.rtt(1_000_000, 1_020_000);
    m.rtt(2_000_000, 2_060_000);
    m.received(250_000);
    m.decoded(4000);
    m.decoded(6000);
    m.dropped(3);
    t = 1000;
    expect(m.take()).toEqual({
      intervalMs: 1000,
      rttUs: 30_000,
      decodeTimeUs: 5000,
      framesDecoded: 2,
      framesDropped: 3,
      bandwidthBps: 2_000_000,
      queueMs: 0,
    });
    expect(m.rttMs).toBe(30);
    t = 2000;
    const next = m.take();
    expect(next).toMatchObject({ framesDecoded: 0, framesDropped: 0, decodeTimeUs: 0, rttUs: 30_000 });
    // the bandwidth estimate decays towards the idle interval's 0
    expect(next.bandwidthBps).toBe(1_000_000);
  });
  it('clamps to the wire field widths', () => {
    let t = 0;
    const m = new FeedbackMeter(() => t);
    for (let i = 0; i < 70_000; i++) m.dropped();
    m.rtt(0, 2 ** 40);
    t = 100_000;
    const r = m.take();
    expect(r.framesDropped).toBe(0xffff);
    expect(r.intervalMs).toBe(0xffff);
    expect(r.rttUs).toBe(0xffffffff);
  });
});
