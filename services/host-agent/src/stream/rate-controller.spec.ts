import { describe, expect, it } from 'vitest';
import { RateController } from './rate-controller';

const limits = { maxFps: 60, minFps: 5, bitrateKbps: 2000, minBitrateKbps: 200, maxBitrateKbps: 8000 };

describe('RateController', () => {
  it('backs off on drops and recovers on clean reports', () => {
    const rc = new RateController(limits);
    rc.update({ droppedFrames: 3 });
    expect(rc.bitrateKbps).toBe(1500);
    expect(rc.fps).toBe(48);
    for (let i = 0; i < 20; i++) rc.update({ droppedFrames: 0, rttMs: 20 });
    expect(rc.fps).toBe(60);
    expect(rc.bitrateKbps).toBeGreaterThan(1500);
  });
  it('never exceeds the measured bandwidth or the limits', () => {
    const rc = new RateController(limits);
    rc.update({ bandwidthKbps: 1000 });
    expect(rc.bitrateKbps).toBeLessThanOrEqual(850);
    for (let i = 0; i < 20; i++) rc.update({ droppedFrames: 10 });
    expect(rc.bitrateKbps).toBe(200);
    expect(rc.fps).toBe(5);
    for (let i = 0; i < 500; i++) rc.update({});
    expect(rc.bitrateKbps).toBe(8000);
  });
  it('treats zero figures as unknown', () => {
    const rc = new RateController(limits);
    rc.update({ rttMs: 0, decodeMs: 0, droppedFrames: 0, bandwidthKbps: 0 });
    expect(rc.bitrateKbps).toBeGreaterThan(2000);
    expect(rc.fps).toBe(60);
  });
  it('caps the frame rate at what the client can decode and reacts to RTT growth', () => {
    const rc = new RateController(limits);
    rc.update({ decodeMs: 40 });
    expect(rc.fps).toBeLessThanOrEqual(25);
    const r2 = new RateController(limits);
    r2.update({ rttMs: 20 });
    const before = r2.bitrateKbps;
    r2.update({ rttMs: 200 });
    expect(r2.bitrateKbps).toBeLessThan(before);
  });
});
