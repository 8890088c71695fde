import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const BPANE_CLI = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

/** Starts Xvfb on the first free display from a random base; the caller kills it. */
export const startXvfb = async (): Promise<{ display: string; stop: () => Promise<void> }> => {
  const base = 140 + Math.floor(Math.random() * 300);
  for (let n = base; n < base + 50; n += 1) {
    if (existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`)) continue;
    const proc = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x720x24', '-nolisten', 'tcp'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100 && proc.exitCode === null && !existsSync(`/tmp/.X11-unix/X${n}`); i += 1)
      await new Promise((r) => setTimeout(r, 50));
    if (proc.exitCode !== null) continue;
    return { display: `:${n}`, stop: () => stopProcess(proc) };
  }
  throw new Error('no free X display');
};

export const stopProcess = async (proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill(signal);
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
};

/** Kills leftover processes (browsers) whose command line mentions `marker` (our temp HOME), by pid. */
export const killProcessesMentioning = (marker: string): void => {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.includes(marker)) {
      try {
        process.kill(Number(entry), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
};

export type BridgeProcess = Readonly<{
  proc: ChildProcess;
  endpoint: string;
  port: number;
  token: string;
  stdout: () => string;
  stderr: () => string;
  stop: () => Promise<void>;
}>;

export type Exited = Readonly<{ code: number | null; stdout: string; stderr: string }>;

const spawnBridge = (
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  via: 'service' | 'bpane' = 'service',
): ChildProcess =>
  spawn(
    process.execPath,
    ['--import', 'tsx', ...(via === 'service' ? [MAIN] : [BPANE_CLI, 'host-bridge']), 'start', ...args],
    {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );

/** Runs the bridge and resolves once it printed its banner; rejects with its output if it exits first. */
export const startBridge = async (
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<BridgeProcess> => {
  const proc = spawnBridge(['--executable-path', CHROMIUM, '--port', '0', ...args], env);
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (/^ {2}token: {4}\S+/m.test(out)) {
        proc.stdout?.off('data', onData);
        proc.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null): void =>
      reject(new Error(`bridge exited with ${code}\nstdout:\n${out}\nstderr:\n${err}`));
    proc.stdout?.on('data', onData);
    proc.once('exit', onExit);
  });
  const endpoint = /endpoint: (\S+)/.exec(out)?.[1] ?? '';
  const token = /^ {2}token: {4}(\S+)/m.exec(out)?.[1] ?? '';
  return {
    proc,
    endpoint,
    port: Number(new URL(endpoint).port),
    token,
    stdout: () => out,
    stderr: () => err,
    stop: () => stopProcess(proc),
  };
};

/** Runs the bridge expecting it to refuse to start; resolves with its exit code and output. */
export const runBridgeToExit = async (
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  via: 'service' | 'bpane' = 'service',
): Promise<Exited> => {
  const proc = spawnBridge(args, env, via);
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  return { code, stdout: out, stderr: err };
};

/** Top-level X windows on `display` (name and class lines of `xwininfo -root -tree`). */
export const xWindows = (display: string): string =>
  spawnSync('xwininfo', ['-display', display, '-root', '-tree'], { encoding: 'utf8' }).stdout;
