/**
 * npx tsx services/host-agent/bench/capture.ts
 *
 * The measurement behind ADR 0004: the cost of getting pixels into the agent, on a runtime
 * showing a 640×360 canvas animation, for 5 s each:
 *   - gst:   ximagesrc (use-damage=false, show-pointer=false) → BGRx appsink, 30 fps, full screen
 *   - shm:   MIT-SHM GetImage of the full screen through npm x11, 30 fps
 *   - core:  core GetImage of the full screen, 30 fps
 *   - damage: the agent's DamageCapture reading only damaged tiles, as fast as damage arrives
 * CPU is this process's (user+system) plus the X server's, from /proc. Writes
 * bench-results/capture.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CdpClient } from '../src/cdp/cdp-client';
import { DamageCapture } from '../src/capture/damage-capture';
import { gst, type GstAppSink } from '../src/gst/gst';
import { canvasPage } from '../src/test-support/pages';
import { startRuntime } from '../src/test-support/runtime-fixture';
import { TileGrid, coverTiles } from '../src/tiles/geometry';
import { XConnection, pcall, type ShmSegment } from '../src/x11/x-connection';

const SECONDS = 5;
const procCpu = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const measure = async (
  xvfbPid: number,
  run: (until: number) => Promise<number>,
): Promise<Record<string, number>> => {
  const c0 = process.cpuUsage();
  const x0 = procCpu(xvfbPid);
  const frames = await run(Date.now() + SECONDS * 1000);
  const c = process.cpuUsage(c0);
  return {
    frames,
    fps: Number((frames / SECONDS).toFixed(1)),
    agent_cpu_s: Number(((c.user + c.system) / 1e6).toFixed(3)),
    xvfb_cpu_s: Number((procCpu(xvfbPid) - x0).toFixed(3)),
  };
};

const main = async (): Promise<void> => {
  const fx = await startRuntime();
  const out: Record<string, unknown> = {};
  try {
    const cdp = await CdpClient.connectToPage(fx.runtime.cdpPort);
    await cdp.navigate(canvasPage());
    await sleep(1000);
    const display = fx.runtime.display;
    const xvfb = fx.runtime.pidOf('xvfb')!;

    out['gst_ximagesrc_30fps'] = await measure(xvfb, async (until) => {
      const p = new (gst().Pipeline)(
        `ximagesrc display-name=:${display} use-damage=false show-pointer=false ! video/x-raw,framerate=30/1 ! videoconvert ! video/x-raw,format=BGRx ! appsink name=sink max-buffers=2 drop=true sync=false`,
      );
      const sink = p.findChild<GstAppSink>('sink');
      let frames = 0;
      p.play();
      await new Promise<void>((resolve) => {
        const pull = (): void =>
          sink.pull((buf) => {
            if (buf) frames++;
            if (Date.now() < until && buf) pull();
            else resolve();
          });
        pull();
      });
      p.stop();
      return frames;
    });

    const x = await XConnection.open(display);
    const shm = await x.shm();
    const seg = await pcall<ShmSegment>((cb) => shm.createSegment(1280 * 720 * 4, cb));
    out['x11_shm_full_30fps'] = await measure(xvfb, async (until) => {
      let frames = 0;
      while (Date.now() < until) {
        const t = Date.now();
        await pcall((cb) => seg.getImage(x.root, 0, 0, 1280, 720, 0xffffffff, 2, 0, cb));
        frames++;
        await sleep(Math.max(0, 33 - (Date.now() - t)));
      }
      return frames;
    });
    out['x11_core_full_30fps'] = await measure(xvfb, async (until) => {
      let frames = 0;
      while (Date.now() < until) {
        const t = Date.now();
        await x.getImage(0, 0, 1280, 720);
        frames++;
        await sleep(Math.max(0, 33 - (Date.now() - t)));
      }
      return frames;
    });
    seg.detach();
    x.close();

    const cap = await DamageCapture.open(display);
    const grid = new TileGrid(cap.width, cap.height, 64);
    let bytes = 0;
    out['x11_damage_scoped'] = await measure(xvfb, async (until) => {
      let frames = 0;
      cap.takeDamage();
      while (Date.now() < until) {
        const dirty = new Set<number>();
        for (const r of cap.takeDamage()) grid.tilesIn(r, dirty);
        if (dirty.size > 0) {
          const b0 = cap.bytesRead;
          await cap.capture(coverTiles(grid, dirty));
          bytes += cap.bytesRead - b0;
          frames++;
        }
        await sleep(16);
      }
      return frames;
    });
    (out['x11_damage_scoped'] as Record<string, number>)['mean_bytes_per_frame'] = Math.round(
      bytes / Math.max(1, (out['x11_damage_scoped'] as Record<string, number>)['frames']!),
    );
    cap.close();
    cdp.close();
  } finally {
    await fx.dispose();
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/capture.json',
    JSON.stringify({ generated: new Date().toISOString(), seconds: SECONDS, results: out }, null, 2),
  );
  console.log(JSON.stringify(out, null, 1));
};

await main();
