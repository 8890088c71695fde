/**
 * npm run bench:stream [-- --quick]
 *
 * Streams five workloads from a real runtime (Xvfb + Chromium, 1280×720) through the host agent's
 * pipeline and compares it with full-frame x264 over the very same captured frames in the same run
 * (identical x264 settings: ultrafast, zerolatency, constrained baseline, the configured bitrate).
 * Writes bench-results/stream.json as {"workloads": {...}}. Measures, per workload: bytes (every
 * output of the tile/ROI stream, with a small per-message header), bytes_per_s, baseline_bytes,
 * bytes_ratio, cpu_s (this process minus the baseline encoder's threads and the reference decoder),
 * baseline_cpu_s, fps (tile frames per second), roi_fps, text_exact_pct (share of screen pixels
 * outside ROI regions that the decoded stream reproduces exactly, at the end of the workload).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CdpClient } from '../src/cdp/cdp-client';
import { loadHostAgentConfig } from '../src/config/host-agent-config';
import { DOM_CODE_TO_EVDEV } from '../src/input/dom-codes';
import { InputInjector } from '../src/input/input-injector';
import { outputBytes, type MediaOutput, type MediaSink } from '../src/media/media-output';
import { ReferenceDecoder } from '../src/media/reference-decoder';
import { RoiEncoder } from '../src/media/roi-encoder';
import { StreamEngine } from '../src/stream/stream-engine';
import { canvasPage, editorPage, fullscreenCanvasPage, textPage } from '../src/test-support/pages';
import { startRuntime } from '../src/test-support/runtime-fixture';
import { XConnection } from '../src/x11/x-connection';

const quick = process.argv.includes('--quick');
const seconds = quick ? 2.5 : 10;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU seconds of this process's threads whose name starts with `prefix` (or all threads). */
const threadCpu = (prefix?: string): number => {
  let ticks = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const comm = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
      if (prefix !== undefined && !comm.startsWith(prefix)) continue;
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* thread ended */
    }
  }
  return ticks / 100;
};

/**
 * Counts bytes while measuring and keeps the outputs; the reference decoder applies them only
 * when asked (`catchUp`), outside the measured window, so decoding costs the pipeline nothing.
 */
class MeasuringSink implements MediaSink {
  bytes = 0;
  counting = false;
  readonly kinds: Record<string, number> = {};
  private readonly queue: MediaOutput[] = [];
  constructor(readonly decoder: ReferenceDecoder) {}
  emit(o: MediaOutput): void {
    if (this.counting) {
      const b = outputBytes(o);
      this.bytes += b;
      this.kinds[o.kind] = (this.kinds[o.kind] ?? 0) + b;
    }
    this.queue.push(o);
  }
  catchUp(): void {
    for (const o of this.queue.splice(0)) this.decoder.apply(o);
  }
}

type Workload = {
  name: 'idle' | 'typing' | 'scroll' | 'video' | 'fullscreen';
  url: string;
  setup?: (ctx: Ctx) => Promise<void>;
  drive: (ctx: Ctx, untilMs: number) => Promise<void>;
};
type Ctx = { cdp: CdpClient; inj: InputInjector; top: number };

const workloads: Workload[] = [
  {
    name: 'idle',
    url: textPage(),
    setup: async ({ cdp }) =>
      void (await cdp.evaluate('document.activeElement && document.activeElement.blur()')),
    drive: async (_ctx, until) => await sleep(until - Date.now()),
  },
  {
    name: 'typing',
    url: editorPage(),
    setup: async ({ inj, top }) => {
      inj.button('left', true, 400, top + 200);
      inj.button('left', false);
      await sleep(200);
    },
    drive: async ({ inj }, until) => {
      const text = 'The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. ';
      for (let i = 0; Date.now() < until; i++) {
        const ch = text[i % text.length]!;
        if (ch === ' ') {
          inj.key(DOM_CODE_TO_EVDEV['Space']!, true, 0);
          inj.key(DOM_CODE_TO_EVDEV['Space']!, false, 0);
        } else await inj.typeText(ch);
        await sleep(80); // ~12 characters per second
      }
    },
  },
  {
    name: 'scroll',
    url: textPage(),
    setup: async ({ cdp }) =>
      void (await cdp.evaluate('document.activeElement && document.activeElement.blur()')),
    drive: async ({ inj, top }, until) => {
      while (Date.now() < until) {
        inj.wheel(0, 53, 'pixel', 640, top + 300); // one wheel click
        await sleep(200);
      }
    },
  },
  { name: 'video', url: canvasPage(), drive: async (_ctx, until) => await sleep(until - Date.now()) },
  {
    name: 'fullscreen',
    url: fullscreenCanvasPage(),
    drive: async (_ctx, until) => await sleep(until - Date.now()),
  },
];

const main = async (): Promise<void> => {
  // the configuration as the agent would load it (so BPANE_HOST_AGENT_TILE_CODEC etc. apply)
  const cfg = loadHostAgentConfig();
  const fx = await startRuntime({ width: 1280, height: 720 });
  const results: Record<string, unknown> = {};
  try {
    const cdp = await CdpClient.connectToPage(fx.runtime.cdpPort);
    const x = await XConnection.open(fx.runtime.display);
    const inj = await InputInjector.open(x);
    for (const w of workloads) {
      await cdp.navigate(w.url);
      await sleep(quick ? 300 : 800);
      const top = await cdp.evaluate<number>('outerHeight - innerHeight');
      inj.moveTo(1270, 710);
      const ctx: Ctx = { cdp, inj, top };
      await w.setup?.(ctx);

      const sink = new MeasuringSink(new ReferenceDecoder(cfg.cacheEntries));
      let baselineBytes = 0;
      let baselineCounting = false;
      let baselinePushMs = 0;
      const baseline = new RoiEncoder(
        0,
        cfg.roiBitrateKbps,
        (au) => {
          if (baselineCounting) baselineBytes += au.data.length;
        },
        600,
        'base',
      );
      const engine = await StreamEngine.start(
        fx.runtime.display,
        {
          tileSize: cfg.tileSize,
          codec: cfg.tileCodec,
          cacheEntries: cfg.cacheEntries,
          maxFps: cfg.maxFps,
          roiBitrateKbps: cfg.roiBitrateKbps,
          roiMinBitrateKbps: cfg.roiMinBitrateKbps,
          roiMaxBitrateKbps: cfg.roiMaxBitrateKbps,
          frameObserver: (frame, fw, fh, now) => {
            const t0 = performance.now();
            baseline.push(frame, { x: 0, y: 0, w: fw, h: fh }, Math.round(now * 1000));
            baselinePushMs += performance.now() - t0;
          },
        },
        sink,
      );
      await engine.settle(quick ? 150 : 300);
      await baseline.drain();
      // the join (first snapshot, first keyframe) is not part of the steady state measured here
      sink.counting = true;
      baselineCounting = true;
      const frames0 = engine.counters.frames;
      const roi0 = engine.counters.roiFrames;
      const cpu0 = process.cpuUsage();
      const base0 = threadCpu('basesrc');
      const push0 = baselinePushMs;
      const t0 = Date.now();
      await w.drive(ctx, t0 + seconds * 1000);
      const elapsed = (Date.now() - t0) / 1000;
      const frames = engine.counters.frames - frames0;
      const roiFrames = engine.counters.roiFrames - roi0;
      const regions = engine.regions.length;
      await engine.settle(150, 3000);
      await baseline.drain();
      const cpu = process.cpuUsage(cpu0);
      const baselineCpu = threadCpu('basesrc') - base0 + (baselinePushMs - push0) / 1000;
      sink.counting = false;
      baselineCounting = false;
      // the stream is compared once it has caught up; a caret blink racing the screenshot is
      // retried (at most three times)
      let exact = { share: 0, compared: 0, differing: 0 };
      for (let attempt = 0; attempt < 3; attempt++) {
        if (attempt > 0) await engine.settle(200, 3000);
        const shot = await x.getImage(0, 0, 1280, 720);
        sink.catchUp();
        exact = sink.decoder.exactShare(new Uint32Array(Uint8Array.from(shot).buffer));
        if (exact.share === 1) break;
      }
      await engine.stop();
      baseline.stop();
      const bytes = sink.bytes;
      results[w.name] = {
        seconds: Number(elapsed.toFixed(2)),
        bytes,
        bytes_per_s: Math.round(bytes / elapsed),
        baseline_bytes: baselineBytes,
        bytes_ratio: baselineBytes > 0 ? Number((bytes / baselineBytes).toFixed(3)) : null,
        cpu_s: Number(((cpu.user + cpu.system) / 1e6 - baselineCpu).toFixed(3)),
        baseline_cpu_s: Number(baselineCpu.toFixed(3)),
        fps: Number((frames / elapsed).toFixed(1)),
        roi_fps: Number((roiFrames / elapsed).toFixed(1)),
        roi_regions_at_end: regions,
        text_exact_pct: Number((exact.share * 100).toFixed(3)),
        bytes_by_kind: sink.kinds,
      };
      console.log(w.name, JSON.stringify(results[w.name]));
    }
    inj.releaseAll();
    x.close();
    cdp.close();
  } finally {
    await fx.dispose();
  }
  mkdirSync('bench-results', { recursive: true });
  const out = {
    generated: new Date().toISOString(),
    quick,
    seconds_per_workload: seconds,
    screen: '1280x720',
    workloads: results,
  };
  writeFileSync('bench-results/stream.json', JSON.stringify(out, null, 2));
  console.log('wrote bench-results/stream.json');
};

await main();
