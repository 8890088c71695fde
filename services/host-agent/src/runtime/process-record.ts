import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcessAlive, killProcessGroup, processStartTime } from './proc';

/**
 * The on-disk record of the processes a host agent started, so that a later agent can reap them
 * if this one dies without cleaning up (SIGKILL, OOM). One file per runtime:
 * `<rootDir>/<runtimeId>/processes.json`. Every child is started in its own process group, and the
 * record stores pid, process group and start time (so a reused pid is never killed).
 */
export type RecordedProcess = Readonly<{ name: string; pid: number; pgid: number; startTime: number | null }>;

export type ProcessRecord = Readonly<{
  runtimeId: string;
  agentPid: number;
  agentStartTime: number | null;
  display: number | null;
  children: readonly RecordedProcess[];
}>;

export const RECORD_FILE = 'processes.json';

export class ProcessRecordFile {
  private children: RecordedProcess[] = [];
  private display: number | null = null;
  readonly path: string;

  constructor(
    private readonly runtimeDir: string,
    private readonly runtimeId: string,
  ) {
    this.path = join(runtimeDir, RECORD_FILE);
  }

  add(child: RecordedProcess): void {
    this.children = [...this.children.filter((c) => c.name !== child.name), child];
    this.flush();
  }

  remove(name: string): void {
    this.children = this.children.filter((c) => c.name !== name);
    this.flush();
  }

  setDisplay(display: number | null): void {
    this.display = display;
    this.flush();
  }

  delete(): void {
    rmSync(this.path, { force: true });
  }

  private flush(): void {
    mkdirSync(this.runtimeDir, { recursive: true });
    const record: ProcessRecord = {
      runtimeId: this.runtimeId,
      agentPid: process.pid,
      agentStartTime: processStartTime(process.pid),
      display: this.display,
      children: this.children,
    };
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(record, null, 2));
    renameSync(tmp, this.path); // atomic: a reaper never reads half a record
  }
}

export type ReapReport = Readonly<{ runtimeId: string; reaped: readonly RecordedProcess[] }>;

const readRecord = (path: string): ProcessRecord | null => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ProcessRecord;
  } catch {
    return null;
  }
};

/**
 * Finds records under `rootDir` whose agent is dead and kills the process groups they name
 * (only those whose leader still has the recorded start time). Records of live agents other than
 * this process are left alone. Returns what it reaped.
 */
export const reapStaleRuntimes = async (rootDir: string, onlyRuntimeId?: string): Promise<ReapReport[]> => {
  if (!existsSync(rootDir)) return [];
  const reports: ReapReport[] = [];
  for (const entry of readdirSync(rootDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (onlyRuntimeId !== undefined && entry.name !== onlyRuntimeId) continue;
    const path = join(rootDir, entry.name, RECORD_FILE);
    const record = readRecord(path);
    if (record === null) continue;
    const agentAlive =
      record.agentPid !== process.pid && isSameProcessAlive(record.agentPid, record.agentStartTime);
    if (agentAlive) continue;
    const reaped: RecordedProcess[] = [];
    // Reverse start order: Chromium before the X server it draws on.
    for (const child of [...record.children].reverse()) {
      if (!isSameProcessAlive(child.pid, child.startTime)) continue;
      await killProcessGroup(child.pgid, 1500);
      reaped.push(child);
    }
    rmSync(path, { force: true });
    reports.push({ runtimeId: record.runtimeId, reaped });
  }
  return reports;
};
