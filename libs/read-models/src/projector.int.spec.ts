import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore, type EventStore, type RecordedEvent } from '@bpane/event-store';
// eslint-disable-next-line @nx/enforce-module-boundaries -- throw-away databases are a test helper
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import { readCheckpoints } from './checkpoints';
import { ReadModelDatabase } from './database';
import type { Projection } from './projection';
import { Projector } from './projector';

let tdb: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  tdb = await createTestDatabase('bpane_rm_pj');
  store = await createPostgresEventStore({ connectionString: tdb.url });
});

afterAll(async () => {
  await store?.close();
  await tdb?.drop();
});

/** A projection that records which events it saw and fails on events `shouldFail` picks. */
const recorder = (shouldFail: (e: RecordedEvent) => boolean): Projection => ({
  name: 'recorder',
  version: 1,
  tables: [
    {
      name: 'seen',
      ddl: (t) => [`CREATE TABLE ${t} (id uuid PRIMARY KEY, position bigint NOT NULL)`],
    },
  ],
  canHandle: (e) => e.streamId.startsWith('thing-'),
  apply: async (e, m, target) => {
    if (shouldFail(e)) throw new Error(`cannot apply ${e.id}`);
    await m.query(
      `INSERT INTO ${target.table('seen')} (id, position) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [e.id, e.position.toString()],
    );
  },
});

const append = async (streamId: string, label: string) =>
  store.appendToStream(streamId, [
    {
      id: randomUUID(),
      type: 'ThingHappened',
      data: { label },
      metadata: {
        correlationId: 'c',
        causationId: null,
        actor: { kind: 'system', id: 't' },
        occurredAt: 'now',
      },
    },
  ]);

const seen = async (db: ReadModelDatabase): Promise<number> =>
  Number(
    (await db.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${db.qualified('seen')}`))[0]!.n,
  );

describe('Projector failure handling', () => {
  it('retries a failed batch from the checkpoint and carries on when the failure was transient', async () => {
    const db = await ReadModelDatabase.connect({ url: tdb.url, schema: 'rm_transient' });
    const stream = `thing-${randomUUID()}`;
    await append(stream, 'a');
    await append(stream, 'flaky');
    const last = await append(stream, 'c');
    let failed = 0;
    const projector = new Projector({
      store,
      db,
      projections: [
        recorder((e) => {
          if (e.data['label'] !== 'flaky' || failed > 0) return false;
          failed++;
          return true;
        }),
      ],
      batchSize: 1,
    });
    await projector.start();
    try {
      const deadline = Date.now() + 20_000;
      while (projector.position < last.position && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(failed).toBe(1);
      expect(projector.running).toBe(true);
      expect(await seen(db)).toBe(3);
    } finally {
      await projector.stop();
      await db.close();
    }
  });

  it('gives up on a poison event after the allowed attempts, keeping everything before it', async () => {
    const db = await ReadModelDatabase.connect({ url: tdb.url, schema: 'rm_poison' });
    const stream = `thing-${randomUUID()}`;
    await append(stream, 'a');
    const before = await append(stream, 'b');
    await append(stream, 'poison');
    await append(stream, 'd');
    const projector = new Projector({
      store,
      db,
      projections: [recorder((e) => e.data['label'] === 'poison')],
      batchSize: 1,
      maxBatchAttempts: 2,
    });
    await projector.start();
    try {
      await expect(projector.done).rejects.toThrow(/cannot apply/);
      expect(projector.running).toBe(false);
      const checkpoint = (await readCheckpoints(db)).get('recorder')?.position;
      expect(checkpoint).toBeGreaterThanOrEqual(before.position);
      expect(await seen(db)).toBeGreaterThanOrEqual(2);
      // Nothing from the poison event onwards.
      const rows = await db.dataSource.query<{ p: string }[]>(
        `SELECT max(position)::text AS p FROM ${db.qualified('seen')}`,
      );
      expect(BigInt(rows[0]!.p)).toBe(checkpoint);
      // The lock was released: another projector can take over at once.
      const next = new Projector({ store, db, projections: [recorder(() => false)], standbyPollMs: 50 });
      await next.start();
      await next.stop();
    } finally {
      await projector.stop();
      await db.close();
    }
  });
});
