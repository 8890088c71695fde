import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import {
  RuntimeBackendError,
  type RuntimeBackend,
  type RuntimeCapacity,
  type RuntimeHandle,
  type RuntimeHealth,
  type RuntimeInfo,
  type RuntimeSpec,
  type StopOptions,
} from '../runtime-backend';
import { isSameProcessAlive, killGroup, processStartTime, sleep } from './proc';

export type LocalBackendOptions = Readonly<{
  /** Root of the backend's files: `runtimes/` (records, logs) and `sessions/<profileKey>/` (profiles). */
  dataRoot: string;
  /** Host agent command line; default: the bundle when built, else the sources through tsx. */
  command?: readonly string[];
  /** Working directory of the host agent (the repository root for the tsx command). */
  cwd?: string;
  maxActive?: number | null;
  maxStarting?: number | null;
  /** How long a start may take until `/readyz` answers 200. */
  startTimeoutMs?: number;
  /** Grace between SIGTERM and SIGKILL on a normal stop. */
  stopGraceMs?: number;
  /** PulseAudio + Opus in each runtime. */
  audio?: boolean;
  /** Extra environment for every host agent (e.g. `BPANE_HOST_AGENT_CHROMIUM_PATH`). */
  env?: Readonly<Record<string, string>>;
}>;

/** What the local backend keeps on disk per runtime: `<dataRoot>/runtimes/<runtimeId>.json` (0600). */
export type LocalRuntimeRecord = Readonly<{
  runtimeId: string;
  sessionId: string;
  profileKey: string;
  pid: number;
  startTime: number | null;
  healthUrl: string | null;
  hostLinkUrl: string;
  hostLinkSecret: string;
  cdpHttpUrl: string | null;
  startedAt: string;
}>;

const ID = /^[A-Za-z0-9_-]{1,100}$/;
const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');

/** The default host agent command, resolved against `cwd`. */
export const defaultHostAgentCommand = (cwd: string): string[] => {
  const bundle = resolve(cwd, 'dist/services/host-agent/main.mjs');
  if (existsSync(bundle)) return [process.execPath, bundle];
  return [process.execPath, '--import', 'tsx', resolve(cwd, 'services/host-agent/src/main.ts')];
};

/**
 * The embedded runtime backend: one host agent process tree per session on this machine. Each
 * runtime gets its own X display (picked by Xvfb), profile directory
 * `<dataRoot>/sessions/<profileKey>/profile` (kept after the runtime stops), ephemeral health and
 * link ports and a fresh link secret. The agent runs detached in its own process group with its
 * output in `<dataRoot>/runtimes/<runtimeId>.log`, so it outlives a gateway restart; its record lets
 * the next gateway re-adopt it (`list`) or reap it (`stop`).
 */
export class LocalRuntimeBackend implements RuntimeBackend {
  readonly name = 'local';
  private readonly runtimesDir: string;
  private readonly sessionsDir: string;
  private readonly command: readonly string[];
  private readonly cwd: string;
  private readonly starting = new Set<string>();
  private readonly maxActive: number | null;
  private readonly maxStarting: number | null;

  constructor(private readonly options: LocalBackendOptions) {
    this.runtimesDir = join(options.dataRoot, 'runtimes');
    this.sessionsDir = join(options.dataRoot, 'sessions');
    this.cwd = options.cwd ?? process.cwd();
    this.command = options.command ?? defaultHostAgentCommand(this.cwd);
    this.maxActive = options.maxActive ?? null;
    this.maxStarting = options.maxStarting ?? null;
    mkdirSync(this.runtimesDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.sessionsDir, { recursive: true, mode: 0o700 });
  }

  /** Directory of a profile key's persisted files (`profile/`, `uploads/`, `downloads/`, …). */
  profileDir(profileKey: string): string {
    return join(this.sessionsDir, profileKey);
  }

  private recordPath(runtimeId: string): string {
    return join(this.runtimesDir, `${runtimeId}.json`);
  }

  logPath(runtimeId: string): string {
    return join(this.runtimesDir, `${runtimeId}.log`);
  }

  private writeRecord(record: LocalRuntimeRecord): void {
    const path = this.recordPath(record.runtimeId);
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify(record, null, 2), { mode: 0o600 });
    renameSync(tmp, path);
  }

  private readRecords(): LocalRuntimeRecord[] {
    const out: LocalRuntimeRecord[] = [];
    for (const name of readdirSync(this.runtimesDir)) {
      if (!name.endsWith('.json')) continue;
      try {
        out.push(JSON.parse(readFileSync(join(this.runtimesDir, name), 'utf8')) as LocalRuntimeRecord);
      } catch {
        /* a record being replaced; the next listing sees it */
      }
    }
    return out;
  }

  private readRecord(runtimeId: string): LocalRuntimeRecord | null {
    if (!ID.test(runtimeId)) return null;
    try {
      return JSON.parse(readFileSync(this.recordPath(runtimeId), 'utf8')) as LocalRuntimeRecord;
    } catch {
      return null;
    }
  }

  private aliveCount(): number {
    return this.readRecords().filter((r) => isSameProcessAlive(r.pid, r.startTime)).length;
  }

  capacity(): RuntimeCapacity {
    const starting = this.starting.size;
    const active = Math.max(this.aliveCount(), starting);
    return { maxActive: this.maxActive, maxStarting: this.maxStarting, active, starting };
  }

  async start(spec: RuntimeSpec): Promise<RuntimeHandle> {
    const runtimeId = spec.runtimeId ?? `rt-${randomUUID()}`;
    const profileKey = spec.profileKey ?? spec.sessionId;
    if (!ID.test(runtimeId) || !ID.test(profileKey))
      throw new RuntimeBackendError(
        'invalid_runtime_spec',
        'runtime ids and profile keys are 1-100 letters, digits, "-" or "_"',
      );
    if (this.readRecord(runtimeId) !== null || this.starting.has(runtimeId))
      throw new RuntimeBackendError('invalid_runtime_spec', `runtime ${runtimeId} already exists`);
    const c = this.capacity();
    if (c.maxStarting !== null && c.starting >= c.maxStarting)
      throw new RuntimeBackendError(
        'capacity_exhausted',
        `${c.starting} runtimes are starting (limit ${c.maxStarting})`,
      );
    if (c.maxActive !== null && c.active >= c.maxActive)
      throw new RuntimeBackendError('capacity_exhausted', `${c.active} runtimes run (limit ${c.maxActive})`);
    if (this.readRecords().some((r) => r.profileKey === profileKey && isSameProcessAlive(r.pid, r.startTime)))
      throw new RuntimeBackendError(
        'runtime_unavailable',
        `profile ${profileKey} is in use by another running runtime`,
      );
    this.starting.add(runtimeId);
    try {
      return await this.launch(runtimeId, profileKey, spec);
    } finally {
      this.starting.delete(runtimeId);
    }
  }

  private async launch(runtimeId: string, profileKey: string, spec: RuntimeSpec): Promise<RuntimeHandle> {
    const secret = randomBytes(32).toString('hex');
    const logPath = this.logPath(runtimeId);
    const log = openSync(logPath, 'w', 0o600);
    const [cmd, ...args] = this.command;
    if (cmd === undefined) throw new RuntimeBackendError('runtime_unavailable', 'empty host agent command');
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NO_COLOR: '1',
      BPANE_HOST_AGENT_RUNTIME_ID: profileKey,
      BPANE_HOST_AGENT_ROOT_DIR: this.sessionsDir,
      BPANE_HOST_AGENT_HEALTH_PORT: '0',
      BPANE_HOST_AGENT_LINK_PORT: '0',
      BPANE_HOST_AGENT_LINK_SECRET: secret,
      BPANE_HOST_AGENT_WIDTH: String(spec.viewport.width),
      BPANE_HOST_AGENT_HEIGHT: String(spec.viewport.height),
      BPANE_HOST_AGENT_AUDIO: String(this.options.audio ?? true),
      ...(spec.startUrl !== undefined ? { BPANE_HOST_AGENT_START_URL: spec.startUrl } : {}),
      ...this.options.env,
    };
    const child = spawn(cmd, args, { cwd: this.cwd, env, detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    const pid = child.pid;
    if (pid === undefined) {
      await new Promise((r) => child.once('error', r));
      throw new RuntimeBackendError('runtime_unavailable', `the host agent command ${cmd} could not start`);
    }
    const ended: { how: string | null } = { how: null };
    child.once('exit', (code, signal) => {
      ended.how = signal !== null ? `signal ${signal}` : `exit code ${String(code)}`;
    });
    child.unref();
    const startedAt = new Date().toISOString();
    let record: LocalRuntimeRecord = {
      runtimeId,
      sessionId: spec.sessionId,
      profileKey,
      pid,
      startTime: processStartTime(pid),
      healthUrl: null,
      hostLinkUrl: '',
      hostLinkSecret: secret,
      cdpHttpUrl: null,
      startedAt,
    };
    this.writeRecord(record);
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 60_000);
    try {
      for (;;) {
        if (ended.how !== null)
          throw new RuntimeBackendError(
            'runtime_start_failed',
            `the host agent ended during start (${ended.how}): ${this.logTail(runtimeId)}`,
          );
        if (Date.now() > deadline)
          throw new RuntimeBackendError(
            'runtime_start_timeout',
            `the runtime was not ready within ${this.options.startTimeoutMs ?? 60_000} ms: ${this.logTail(runtimeId)}`,
          );
        const found = this.scanLog(runtimeId);
        if (found.healthUrl !== null && found.hostLinkUrl !== null) {
          record = {
            ...record,
            healthUrl: found.healthUrl,
            hostLinkUrl: found.hostLinkUrl,
            cdpHttpUrl: found.cdpHttpUrl,
          };
          if ((await this.probe(found.healthUrl)) === 'ready') break;
        }
        await sleep(100);
      }
    } catch (error) {
      await this.stop(runtimeId, { force: true });
      throw error;
    }
    this.writeRecord(record);
    return this.toHandle(record);
  }

  private scanLog(runtimeId: string): {
    healthUrl: string | null;
    hostLinkUrl: string | null;
    cdpHttpUrl: string | null;
  } {
    let text = '';
    try {
      text = readFileSync(this.logPath(runtimeId), 'utf8').replace(ANSI, '');
    } catch {
      /* not written yet */
    }
    const health = /health on (http:\/\/[^\s/]+)\/healthz/.exec(text);
    const link = /host link on (http:\/\/\S+)/.exec(text);
    const cdp = /"type":"runtime-ready"[^}]*"cdpPort":(\d+)/.exec(text);
    return {
      healthUrl: health?.[1] ?? null,
      hostLinkUrl: link?.[1] ?? null,
      cdpHttpUrl: cdp?.[1] !== undefined ? `http://127.0.0.1:${cdp[1]}` : null,
    };
  }

  private logTail(runtimeId: string): string {
    try {
      const lines = readFileSync(this.logPath(runtimeId), 'utf8').replace(ANSI, '').trim().split('\n');
      return lines.slice(-5).join(' | ').slice(-1500);
    } catch {
      return '(no output)';
    }
  }

  private async probe(healthUrl: string): Promise<'ready' | 'starting' | 'down'> {
    try {
      const res = await fetch(`${healthUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.status === 200 ? 'ready' : 'starting';
    } catch {
      return 'down';
    }
  }

  private toHandle(r: LocalRuntimeRecord): RuntimeHandle {
    return {
      runtimeId: r.runtimeId,
      backend: this.name,
      sessionId: r.sessionId,
      profileKey: r.profileKey,
      hostLinkUrl: r.hostLinkUrl,
      hostLinkSecret: r.hostLinkSecret,
      cdp: r.cdpHttpUrl === null ? null : { httpUrl: r.cdpHttpUrl },
      pid: r.pid,
      startedAt: r.startedAt,
    };
  }

  list(): Promise<readonly RuntimeInfo[]> {
    return Promise.resolve(
      this.readRecords()
        .filter((r) => !this.starting.has(r.runtimeId))
        .map((r) => ({ ...this.toHandle(r), alive: isSameProcessAlive(r.pid, r.startTime) })),
    );
  }

  async health(runtimeId: string): Promise<RuntimeHealth> {
    const r = this.readRecord(runtimeId);
    if (r === null || !isSameProcessAlive(r.pid, r.startTime))
      return { runtimeId, status: 'gone', reason: r === null ? 'no such runtime' : 'the host agent exited' };
    if (r.healthUrl === null) return { runtimeId, status: 'starting', reason: null };
    const p = await this.probe(r.healthUrl);
    if (p === 'ready') return { runtimeId, status: 'ready', reason: null };
    return {
      runtimeId,
      status: this.starting.has(runtimeId) ? 'starting' : 'unhealthy',
      reason: p === 'down' ? 'the health endpoint does not answer' : 'the runtime reports not ready',
    };
  }

  async stop(runtimeId: string, options: StopOptions = {}): Promise<void> {
    const r = this.readRecord(runtimeId);
    if (r === null) return;
    if (isSameProcessAlive(r.pid, r.startTime))
      await killGroup(r.pid, options.force === true ? 0 : (this.options.stopGraceMs ?? 10_000));
    this.reapChildren(r.profileKey);
    rmSync(this.recordPath(runtimeId), { force: true });
  }

  /** Kills what the host agent recorded as its children (it may have died without stopping them). */
  private reapChildren(profileKey: string): void {
    const path = join(this.sessionsDir, profileKey, 'processes.json');
    let children: { pgid: number; pid: number; startTime: number | null }[] = [];
    try {
      children = (JSON.parse(readFileSync(path, 'utf8')) as { children: typeof children }).children;
    } catch {
      return;
    }
    for (const c of [...children].reverse()) {
      if (!isSameProcessAlive(c.pid, c.startTime)) continue;
      try {
        process.kill(-c.pgid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    rmSync(path, { force: true });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
