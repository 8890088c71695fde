import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '@bpane/ddd';
import { projectDecider, projectStreamId, type ProjectCommand } from '@bpane/domain-projects';
import { createPostgresEventStore, type EventStore } from '@bpane/event-store';
import {
  defaultProjections,
  ProjectionPositions,
  readModelEntities,
  ReadModelDatabase,
  rebuildProjections,
} from '@bpane/read-models';
import { createTestDatabase, type TestDatabase } from '@bpane/testing';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let tdb: TestDatabase;
let store: EventStore;
let positions: ProjectionPositions;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  tdb = await createTestDatabase('bpane_pj');
  store = await createPostgresEventStore({ connectionString: tdb.url });
  positions = new ProjectionPositions({ url: tdb.url });
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await positions?.close();
  await store?.close();
  await tdb?.drop();
});

/** Starts `services/projector/src/main.ts` as its own process; resolves once it follows the log. */
const startProjector = (): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/projector/src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        BPANE_PG_URL: tdb.url,
        BPANE_PROJECTOR_BATCH_SIZE: '40',
        BPANE_PROJECTOR_LINGER_MS: '5',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.add(child);
    let log = '';
    const timer = setTimeout(() => reject(new Error(`projector did not start:\n${log}`)), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('"projector started"')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code, signal) => {
      children.delete(child);
      clearTimeout(timer);
      if (!log.includes('"projector started"'))
        reject(new Error(`projector exited (${code ?? signal}):\n${log}`));
    });
  });

const kill = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

/** A writer that keeps creating and changing its own projects until told to stop. */
const writer = (owner: string) => {
  let stop = false;
  let commands = 0;
  const status = new Map<string, 'active' | 'archived'>();
  const ids: string[] = [];
  const exec = async (command: ProjectCommand): Promise<void> => {
    await handleCommand(store, {
      streamId: projectStreamId(command.data.projectId),
      decider: projectDecider,
      command,
    });
    commands++;
  };
  const run = async (): Promise<void> => {
    for (let i = 0; !stop; i++) {
      const metadata = {
        now: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
        actor: { kind: 'user' as const, id: owner },
        correlationId: randomUUID(),
      };
      const projectId = ids[i % Math.max(ids.length, 1)];
      if (i % 3 === 0 || projectId === undefined) {
        const id = randomUUID();
        ids.push(id);
        status.set(id, 'active');
        await exec({
          type: 'CreateProject',
          data: { projectId: id, name: `p${i}`, labels: { n: String(i) } },
          metadata,
        });
      } else if (status.get(projectId) === 'active' && i % 5 !== 0) {
        await exec({
          type: 'UpdateProject',
          data: { projectId, name: `p${i}`, quotas: { maxActiveSessions: i } },
          metadata,
        });
      } else if (status.get(projectId) === 'active') {
        await exec({ type: 'ArchiveProject', data: { projectId }, metadata });
        status.set(projectId, 'archived');
      } else {
        await exec({ type: 'UnarchiveProject', data: { projectId }, metadata });
        status.set(projectId, 'active');
      }
    }
  };
  const done = run();
  done.catch(() => undefined); // surfaced by stop()
  return {
    stop: async () => {
      stop = true;
      await done;
      return commands;
    },
  };
};

const waitUntil = async (check: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const dump = async (db: ReadModelDatabase): Promise<unknown[]> =>
  (
    await db.dataSource.query<{ row: unknown }[]>(
      `SELECT to_jsonb(t) AS row FROM ${db.qualified('projects')} t ORDER BY id`,
    )
  ).map((r) => r.row);

describe('projector process', () => {
  it('survives SIGKILL under load: after restarts the read model equals a from-scratch rebuild', async () => {
    const writers = [writer('alice'), writer('bob'), writer('carol')];
    let child = await startProjector();
    const kills: { checkpoint: bigint; head: bigint }[] = [];

    for (let round = 0; round < 2; round++) {
      // Let the projector commit a few batches while the writers keep appending, then kill it.
      // Positions are not dense: wait for the 120th event written after the current checkpoint.
      const start = await positions.current(['projects']);
      let target: bigint | undefined;
      await waitUntil(async () => {
        const next = await store.readAll({ after: start, maxCount: 120 });
        target = next.length === 120 ? next.at(-1)!.position : undefined;
        return target !== undefined;
      }, 30_000);
      await waitUntil(async () => (await positions.current(['projects'])) >= target!, 30_000);
      await kill(child);
      kills.push({ checkpoint: await positions.current(['projects']), head: await store.headPosition() });
      await new Promise((r) => setTimeout(r, 200)); // writes pile up while it is down
      child = await startProjector();
    }

    const commands = (await Promise.all(writers.map((w) => w.stop()))).reduce((a, b) => a + b, 0);
    const head = await store.headPosition();
    expect(await positions.waitForPosition(head, 60_000, ['projects'])).toBe(true);
    // Every kill left work behind that the restarted process had to pick up.
    for (const k of kills) expect(k.checkpoint).toBeLessThan(head);
    // The second run resumed from what the first one committed.
    expect(kills[1]!.checkpoint).toBeGreaterThanOrEqual(kills[0]!.checkpoint);
    expect(commands).toBeGreaterThan(200);

    const live = await ReadModelDatabase.connect({ url: tdb.url, entities: readModelEntities });
    const scratch = await ReadModelDatabase.connect({
      url: tdb.url,
      schema: 'rm_scratch',
      entities: readModelEntities,
    });
    try {
      await rebuildProjections({ store, db: scratch, projections: defaultProjections() });
      const expected = await dump(scratch);
      expect(expected.length).toBeGreaterThan(50);
      expect(await dump(live)).toEqual(expected);
    } finally {
      await live.close();
      await scratch.close();
    }

    // A graceful stop (SIGTERM) exits cleanly.
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
