/**
 * Test fixture: a real host agent (Xvfb, Chromium, capture pipeline) as a child process in its own
 * process group, with the gateway link enabled. Stopping kills the group and, should the agent
 * not clean up, the process groups it recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

export type HostAgentProcess = Readonly<{
  linkUrl: string;
  secret: string;
  display: number;
  cdpPort: number;
  width: number;
  height: number;
  log: () => string;
  stop: () => Promise<void>;
}>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const killGroup = (pgid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export const startHostAgent = async (opts: {
  startUrl: string;
  width: number;
  height: number;
}): Promise<HostAgentProcess> => {
  const rootDir = mkdtempSync(join(tmpdir(), 'bpane-web-client-'));
  const runtimeId = `wc${process.pid}`;
  const secret = randomBytes(24).toString('hex');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repo, 'services/host-agent/src/main.ts')],
    {
      cwd: repo,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BPANE_HOST_AGENT_ROOT_DIR: rootDir,
        BPANE_HOST_AGENT_RUNTIME_ID: runtimeId,
        BPANE_HOST_AGENT_HEALTH_PORT: '0',
        BPANE_HOST_AGENT_LINK_PORT: '0',
        BPANE_HOST_AGENT_LINK_SECRET: secret,
        BPANE_HOST_AGENT_WIDTH: String(opts.width),
        BPANE_HOST_AGENT_HEIGHT: String(opts.height),
        BPANE_HOST_AGENT_MAX_WIDTH: '1920',
        BPANE_HOST_AGENT_MAX_HEIGHT: '1200',
        BPANE_HOST_AGENT_AUDIO: 'false',
        BPANE_HOST_AGENT_CHROMIUM_KIOSK: 'true',
        BPANE_HOST_AGENT_START_URL: opts.startUrl,
      },
    },
  );
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));

  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && !exited) {
      killGroup(child.pid, 'SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) killGroup(child.pid, 'SIGKILL');
    }
    // children the agent recorded (each in its own group), in case it could not stop them
    try {
      const record = JSON.parse(readFileSync(join(rootDir, runtimeId, 'processes.json'), 'utf8')) as {
        children?: { pid: number; pgid: number }[];
      };
      for (const c of record.children ?? []) if (alive(c.pid)) killGroup(c.pgid, 'SIGKILL');
    } catch {
      // no record
    }
    rmSync(rootDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  let linkUrl: string | undefined;
  let ready: { display: number; cdpPort: number } | undefined;
  while (Date.now() < deadline && !exited && (linkUrl === undefined || ready === undefined)) {
    linkUrl = /host link on (http:\/\/[0-9.:]+)/.exec(log)?.[1];
    const r = /\{"type":"runtime-ready","display":(\d+),"cdpPort":(\d+)\}/.exec(log);
    if (r !== null) ready = { display: Number(r[1]), cdpPort: Number(r[2]) };
    await sleep(100);
  }
  if (linkUrl === undefined || ready === undefined) {
    await stop();
    throw new Error(`the host agent did not start:\n${log.slice(-4000)}`);
  }
  return { linkUrl, secret, ...ready, width: opts.width, height: opts.height, log: () => log, stop };
};

/** The X screen of `display` as straight RGBA (GStreamer ximagesrc, one frame). */
export const screenshotRgba = async (display: number, width: number, height: number): Promise<Uint8Array> => {
  const out = join(mkdtempSync(join(tmpdir(), 'bpane-shot-')), 'screen.rgba');
  await new Promise<void>((resolve, reject) => {
    const p = spawn(
      'gst-launch-1.0',
      [
        '-q',
        'ximagesrc',
        `display-name=:${display}`,
        'use-damage=false',
        'show-pointer=false',
        'num-buffers=1',
        '!',
        'videoconvert',
        '!',
        'video/x-raw,format=RGBA',
        '!',
        'filesink',
        `location=${out}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`gst-launch failed (${code}): ${err}`)),
    );
  });
  const bytes = new Uint8Array(readFileSync(out));
  rmSync(out, { force: true });
  if (bytes.length !== width * height * 4)
    throw new Error(`screenshot has ${bytes.length} bytes, expected ${width * height * 4}`);
  return bytes;
};
