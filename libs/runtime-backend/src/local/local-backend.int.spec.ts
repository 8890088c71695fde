import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runtimeBackendContract } from '../testing/backend-contract';
import { defaultHostAgentCommand, LocalRuntimeBackend } from './local-backend';
import { groupMembers, isSameProcessAlive, sleep } from './proc';

const repoRoot = resolve(import.meta.dirname, '../../../..');
/** The sources through tsx: the tests run the host agent as it is in this tree. */
const command = [process.execPath, '--import', 'tsx', join(repoRoot, 'services/host-agent/src/main.ts')];

const fixtureFor = (root: string) => {
  const made: LocalRuntimeBackend[] = [];
  return {
    make: (limits: { maxActive?: number | null; maxStarting?: number | null }) => {
      const b = new LocalRuntimeBackend({ dataRoot: root, command, cwd: repoRoot, audio: false, ...limits });
      made.push(b);
      return b;
    },
    exists: (_id: string, pid: number | null) => pid !== null && groupMembers(pid).length > 0,
    cleanup: async () => {
      const b = new LocalRuntimeBackend({ dataRoot: root, command, cwd: repoRoot });
      for (const r of await b.list()) await b.stop(r.runtimeId, { force: true });
      rmSync(root, { recursive: true, force: true });
    },
  };
};

runtimeBackendContract('local', () => fixtureFor(mkdtempSync(join(tmpdir(), 'bpane-rtb-'))));

describe('local runtime backend', () => {
  const root = mkdtempSync(join(tmpdir(), 'bpane-rtb-local-'));
  const fx = fixtureFor(root);
  afterAll(() => fx.cleanup(), 60_000);

  it('keeps the profile across runtimes and reaps the tree of an agent that died', async () => {
    const backend = fx.make({});
    const sessionId = crypto.randomUUID();
    const first = await backend.start({ sessionId, viewport: { width: 800, height: 600 } });
    expect(existsSync(join(backend.profileDir(sessionId), 'profile'))).toBe(true);
    await backend.stop(first.runtimeId);
    expect(existsSync(join(backend.profileDir(sessionId), 'profile'))).toBe(true);

    const second = await backend.start({ sessionId, viewport: { width: 800, height: 600 } });
    expect(second.runtimeId).not.toBe(first.runtimeId);
    expect(second.profileKey).toBe(sessionId);
    // The agent dies without cleaning up: its Xvfb and Chromium keep running in their own groups.
    process.kill(second.pid!, 'SIGKILL');
    while (isSameProcessAlive(second.pid!, null)) await sleep(20);
    const listed = (await backend.list()).find((r) => r.runtimeId === second.runtimeId);
    expect(listed?.alive).toBe(false);
    expect((await backend.health(second.runtimeId)).status).toBe('gone');
    await backend.stop(second.runtimeId, { force: true });
    expect(await backend.list()).toEqual([]);
    // Nothing started under this data root survives (Chromium's command line names the profile).
    await sleep(200);
    const { execFileSync } = await import('node:child_process');
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps.includes(backend.profileDir(sessionId))).toBe(false);
  }, 120_000);

  it('resolves the default command from the working directory', () => {
    const cmd = defaultHostAgentCommand(repoRoot);
    expect(cmd[0]).toBe(process.execPath);
    expect(cmd.at(-1)).toMatch(/host-agent\/(src\/main\.ts|main\.mjs)$/);
  });
});
