import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '@bpane/ddd';
import { projectDecider, projectStreamId } from '@bpane/domain-projects';
import { createPostgresEventStore, type EventStore } from '@bpane/event-store';
// eslint-disable-next-line @nx/enforce-module-boundaries -- throw-away databases are a test helper
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import { readCheckpoints } from './checkpoints';
import { ReadModelDatabase } from './database';

const child = fileURLToPath(new URL('./testing/crash-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let tdb: TestDatabase;
let store: EventStore;
let db: ReadModelDatabase;
const running = new Set<ChildProcess>();

beforeAll(async () => {
  tdb = await createTestDatabase('bpane_rm_crash');
  store = await createPostgresEventStore({ connectionString: tdb.url });
});

afterAll(async () => {
  for (const c of running) c.kill('SIGKILL');
  await db?.close();
  await store?.close();
  await tdb?.drop();
});

const start = (): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', child], {
      cwd: repoRoot,
      env: { ...process.env, BPANE_TEST_PG_URL_CHILD: tdb.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running.add(c);
    let log = '';
    c.stderr.on('data', (b: Buffer) => {
      log += b.toString();
      if (log.includes('child projector started')) resolve(c);
    });
    c.on('exit', (code, signal) => {
      running.delete(c);
      if (!log.includes('child projector started'))
        reject(new Error(`child exited ${code ?? signal}: ${log}`));
    });
  });

const kill = (c: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });

describe('projector crash consistency', () => {
  it('never applies a batch twice nor loses one across SIGKILLs (non-idempotent counter stays exact)', async () => {
    // Writers append continuously; the projector is killed at random moments four times.
    let stop = false;
    const write = async (): Promise<void> => {
      const owner = randomUUID();
      for (let i = 0; !stop; i++) {
        const projectId = randomUUID();
        const metadata = {
          now: new Date().toISOString(),
          actor: { kind: 'user' as const, id: owner },
          correlationId: 'c',
        };
        const streamId = projectStreamId(projectId);
        await handleCommand(store, {
          streamId,
          decider: projectDecider,
          command: { type: 'CreateProject', data: { projectId, name: `n${i}` }, metadata },
        });
        await handleCommand(store, {
          streamId,
          decider: projectDecider,
          command: { type: 'UpdateProject', data: { projectId, name: `m${i}` }, metadata },
        });
      }
    };
    const writers = [write(), write(), write()];
    await new Promise((r) => setTimeout(r, 500)); // a backlog, so the first batches are full
    let c = await start();
    for (let k = 0; k < 4; k++) {
      await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 300)));
      await kill(c);
      c = await start();
    }
    stop = true;
    await Promise.all(writers);

    db = await ReadModelDatabase.connect({ url: tdb.url });
    const head = await store.headPosition();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const cps = await readCheckpoints(db);
      if ((cps.get('stream_counts')?.position ?? 0n) >= head && (cps.get('projects')?.position ?? 0n) >= head)
        break;
      if (Date.now() > deadline) throw new Error('projector did not catch up');
      await new Promise((r) => setTimeout(r, 50));
    }
    await kill(c);

    const perStream = new Map<string, number>();
    for (const e of await store.readAll()) perStream.set(e.streamId, (perStream.get(e.streamId) ?? 0) + 1);
    const actual = [...perStream]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([stream_id, n]) => ({ stream_id, n }));
    const counted = await db.dataSource.query<{ stream_id: string; n: number }[]>(
      `SELECT stream_id, events AS n FROM ${db.qualified('stream_counts')} ORDER BY stream_id COLLATE "C"`,
    );
    expect(actual.length).toBeGreaterThan(50);
    expect(counted).toEqual(actual);
    const projects = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${db.qualified('projects')} WHERE name LIKE 'm%'`,
    );
    expect(projects[0]!.n).toBe(actual.length);
  });
});
