import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real host agent process (Xvfb, Chromium, the media pipeline and the gateway link) for tests and
 * the benchmark, started the way a runtime backend starts one: `services/host-agent/src/main.ts`
 * with `BPANE_HOST_AGENT_*` variables and a fresh per-runtime secret. `stop()` ends the whole
 * process group and removes the runtime directory.
 */
export type HostAgentProcess = Readonly<{
  linkUrl: string;
  secret: string;
  display: number;
  pid: number;
  log: () => string;
  stop: () => Promise<void>;
}>;

/** SIGKILLs processes whose command line names `rootDir`, or the Xvfb of `display`. */
const reapLeftovers = (rootDir: string, display: number): void => {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (cmd.includes(rootDir) || cmd.startsWith(`Xvfb :${display} `)) {
      try {
        process.kill(Number(entry), 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
};

export const startHostAgent = async (
  options: { startUrl?: string; width?: number; height?: number; env?: Record<string, string> } = {},
): Promise<HostAgentProcess> => {
  const rootDir = mkdtempSync(join(tmpdir(), 'bpane-live-'));
  const secret = randomBytes(24).toString('base64url');
  const display = 300 + Math.floor(Math.random() * 2000);
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'services/host-agent/src/main.ts'],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BPANE_HOST_AGENT_ROOT_DIR: rootDir,
        BPANE_HOST_AGENT_RUNTIME_ID: 'live',
        BPANE_HOST_AGENT_HEALTH_PORT: '0',
        BPANE_HOST_AGENT_LINK_PORT: '0',
        BPANE_HOST_AGENT_LINK_SECRET: secret,
        BPANE_HOST_AGENT_AUDIO: 'false',
        BPANE_HOST_AGENT_CHROMIUM_KIOSK: 'true',
        BPANE_HOST_AGENT_DISPLAY: String(display),
        BPANE_HOST_AGENT_WIDTH: String(options.width ?? 1024),
        BPANE_HOST_AGENT_HEIGHT: String(options.height ?? 640),
        BPANE_HOST_AGENT_MAX_WIDTH: '1920',
        BPANE_HOST_AGENT_MAX_HEIGHT: '1080',
        BPANE_HOST_AGENT_START_URL: options.startUrl ?? 'about:blank',
        ...options.env,
      },
    },
  );
  let log = '';
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const exited = new Promise<void>((r) => {
      if (child.exitCode !== null || child.signalCode !== null) r();
      else child.once('exit', () => r());
    });
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await exited;
    clearTimeout(t);
    // The agent's children live in their own process groups and are stopped by the agent on SIGTERM;
    // whatever an interrupted shutdown left behind is found by this runtime's directory or display.
    reapLeftovers(rootDir, display);
    rmSync(rootDir, { recursive: true, force: true });
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host agent did not start:\n${log}`)), 45_000);
    const on = (d: Buffer): void => {
      log += d.toString();
      if (log.length > 200_000) log = log.slice(-100_000);
      const m = /host link on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host agent exited with ${code}:\n${log}`));
    });
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  return { linkUrl: `http://127.0.0.1:${port}`, secret, display, pid: child.pid!, log: () => log, stop };
};

type X11 = {
  createClient(
    o: { display: string },
    cb: (
      err: Error | null,
      d: {
        client: {
          GetImage(
            f: number,
            d: number,
            x: number,
            y: number,
            w: number,
            h: number,
            m: number,
            cb: (e: Error | null, img: { data: Buffer }) => void,
          ): void;
          terminate(): void;
        };
        screen: { root: number }[];
      },
    ) => void,
  ): { on(ev: 'error', cb: (e: Error) => void): void };
};

/** The X server's own pixels of a region, as 0xRRGGBB words (what the host agent captures). */
export const grabScreen = (
  display: number,
  x: number,
  y: number,
  w: number,
  h: number,
): Promise<Uint32Array> => {
  const x11 = createRequire(import.meta.url)('x11') as X11;
  return new Promise((resolve, reject) => {
    const c = x11.createClient({ display: `:${display}` }, (err, d) => {
      if (err) return reject(err);
      d.client.GetImage(2, d.screen[0]!.root, x, y, w, h, 0xffffffff, (e, img) => {
        d.client.terminate();
        if (e) return reject(e);
        const words = new Uint32Array(Uint8Array.from(img.data).buffer);
        resolve(words.map((v) => v & 0xffffff));
      });
    });
    c.on('error', reject);
  });
};
