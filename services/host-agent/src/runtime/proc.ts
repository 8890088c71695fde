import { readdirSync, readFileSync } from 'node:fs';

/**
 * Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or null when
 * the process does not exist. Paired with the pid it identifies a process even after pid reuse.
 */
export const processStartTime = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); field 22 is rest[19].
    if (rest[0] === 'Z') return null; // a zombie is as good as gone
    const v = Number(rest[19]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
};

/** Process group id of a live process, or null. */
export const processGroupOf = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(rest[2]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
};

/** True when the process with this pid exists and (if given) started at `startTime`. */
export const isSameProcessAlive = (pid: number, startTime?: number | null): boolean => {
  const st = processStartTime(pid);
  if (st === null) return false;
  return startTime == null || st === startTime;
};

/** All live pids whose process group is `pgid`. */
export const membersOfGroup = (pgid: number): number[] => {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (processGroupOf(pid) === pgid && processStartTime(pid) !== null) out.push(pid);
  }
  return out;
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Kills a whole process group: SIGTERM, then SIGKILL after `graceMs` if anything in the group is
 * still alive. Resolves when the group is empty (or after a bounded wait).
 */
export const killProcessGroup = async (pgid: number, graceMs = 2000): Promise<void> => {
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pgid, sig);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (membersOfGroup(pgid).length === 0) return;
    await sleep(25);
  }
  signal('SIGKILL');
  const hard = Date.now() + 2000;
  while (Date.now() < hard) {
    if (membersOfGroup(pgid).length === 0) return;
    await sleep(25);
  }
};
