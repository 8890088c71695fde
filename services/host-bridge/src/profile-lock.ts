import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ProfileInUseError } from './errors';

export const LOCK_FILE = 'bpane-host-bridge.lock';

export type ProfileLock = Readonly<{ path: string; release: () => void }>;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const holderOf = (path: string): number | undefined => {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const pid = (parsed as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Takes the single-writer lock of a profile directory at once, or throws `ProfileInUseError`
 * naming the holder. A lock whose process is gone (or that is unreadable) is stale and replaced.
 */
export const acquireProfileLock = (profileDir: string): ProfileLock => {
  mkdirSync(profileDir, { recursive: true, mode: 0o700 });
  const path = join(profileDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = holderOf(path);
      if (pid !== undefined && isAlive(pid)) throw new ProfileInUseError(profileDir, pid);
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
    closeSync(fd);
    let released = false;
    return {
      path,
      release: () => {
        if (released) return;
        released = true;
        if (holderOf(path) === process.pid) rmSync(path, { force: true });
      },
    };
  }
  const pid = holderOf(path);
  throw new ProfileInUseError(profileDir, pid ?? -1);
};
