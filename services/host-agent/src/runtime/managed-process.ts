import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { killProcessGroup, processStartTime } from './proc';

export type SpawnSpec = Readonly<{
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** Extra file descriptors after stdio 0–2 (e.g. a pipe for Xvfb `-displayfd 3`). */
  extraFds?: number;
}>;

export type ExitInfo = Readonly<{ code: number | null; signal: NodeJS.Signals | null }>;

/**
 * One child process started in its own process group (`detached`), with stdout/stderr appended to a
 * log file. `stop()` kills the whole group (SIGTERM, then SIGKILL), so helpers the child forks
 * (Chromium's zygote, renderers, crashpad) go with it.
 */
export class ManagedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly startTime: number | null;
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | null = null;
  private readonly log: WriteStream;

  private constructor(spec: SpawnSpec) {
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
    const stdio: StdioOptions = ['ignore', 'pipe', 'pipe', ...Array<'pipe'>(spec.extraFds ?? 0).fill('pipe')];
    this.child = spawn(spec.command, [...spec.args], {
      env: spec.env,
      cwd: spec.cwd,
      detached: true,
      stdio,
    });
    if (this.child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
    this.pid = this.child.pid;
    this.startTime = processStartTime(this.pid);
    this.child.stdout?.pipe(this.log, { end: false });
    this.child.stderr?.pipe(this.log, { end: false });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      this.child.once('error', () => {
        this.exitInfo ??= { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
    void this.exited.then(() => setTimeout(() => this.log.end(), 50));
  }

  static start(spec: SpawnSpec): ManagedProcess {
    return new ManagedProcess(spec);
  }

  get running(): boolean {
    return this.exitInfo === null;
  }

  /** Kills the process group. Resolves when the leader has exited and the group is empty. */
  async stop(graceMs = 3000): Promise<void> {
    await killProcessGroup(this.pid, graceMs);
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 1000))]);
  }
}
