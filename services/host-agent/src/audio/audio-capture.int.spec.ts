import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdpClient } from '../cdp/cdp-client';
import { CollectingSink } from '../media/media-output';
import { dataUrl } from '../test-support/pages';
import { startRuntime, type RuntimeFixture } from '../test-support/runtime-fixture';
import { AudioCapture } from './audio-capture';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('AudioCapture (PulseAudio null sink → Opus)', () => {
  let fx: RuntimeFixture;
  let cdp: CdpClient;
  let audio: AudioCapture | undefined;
  const sink = new CollectingSink();

  beforeAll(async () => {
    fx = await startRuntime({ audio: true });
    cdp = await CdpClient.connectToPage(fx.runtime.cdpPort);
    await cdp.navigate(dataUrl('<!doctype html><body>audio</body>'));
    audio = new AudioCapture(fx.runtime.pulseServer, sink);
  });
  afterAll(async () => {
    audio?.stop();
    cdp?.close();
    await fx?.dispose();
  });

  it('sends nothing while the page is silent and 20 ms Opus frames while it plays sound', async () => {
    await sleep(1000);
    expect(sink.outputs.length).toBeLessThan(5);
    await cdp.evaluate(`(async () => {
      const ctx = new AudioContext(); await ctx.resume();
      const o = ctx.createOscillator(); o.frequency.value = 440; o.connect(ctx.destination); o.start();
      window.stopSound = () => { o.stop(); ctx.close(); };
      return ctx.state;
    })()`);
    await sleep(1500);
    const frames = sink.outputs.filter((o) => o.kind === 'audio-frame');
    expect(frames.length).toBeGreaterThan(25); // ≥ 0.5 s of 20 ms frames
    expect(frames[0]).toMatchObject({ codec: 'opus', sampleRate: 48000, channels: 2, durationUs: 20000 });
    await cdp.evaluate('window.stopSound()');
    await sleep(800);
    const before = sink.outputs.length;
    await sleep(1000);
    expect(sink.outputs.length - before).toBeLessThan(5);
  });
});
