import { readdirSync, readFileSync } from 'node:fs';

/** Start time (clock ticks since boot, /proc field 22) of a live, non-zombie process; else null. */
export const processStartTime = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z') return null;
    const v = Number(rest[19]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
};

const processGroupOf = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const v = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
};

/** True when `pid` runs and (if given) was started at `startTime` — a reused pid is not ours. */
export const isSameProcessAlive = (pid: number, startTime: number | null): boolean => {
  const st = processStartTime(pid);
  return st !== null && (startTime === null || st === startTime);
};

export const groupMembers = (pgid: number): number[] => {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    if (processGroupOf(pid) === pgid && processStartTime(pid) !== null) out.push(pid);
  }
  return out;
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const signalGroup = (pgid: number, sig: NodeJS.Signals): void => {
  try {
    process.kill(-pgid, sig);
  } catch {
    /* the group is gone */
  }
};

/** SIGTERM (unless `graceMs` is 0), then SIGKILL; resolves when the group is empty or after a bound. */
export const killGroup = async (pgid: number, graceMs: number): Promise<void> => {
  if (graceMs > 0) {
    signalGroup(pgid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      if (groupMembers(pgid).length === 0) return;
      await sleep(50);
    }
  }
  signalGroup(pgid, 'SIGKILL');
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && groupMembers(pgid).length > 0) await sleep(25);
};
