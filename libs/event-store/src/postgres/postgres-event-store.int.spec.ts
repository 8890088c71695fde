import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries -- throw-away databases are a test helper
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { newEvent, reader, sleep, uniquePrefix, untilVisible } from '../contract/helpers';
import { StoreClosedError, StoreUnavailableError } from '../errors';
import { createEventStore } from '../create-event-store';
import { runMigrations } from './migration-runner';
import { migrations } from './migrations';
import { createPostgresEventStore, type PostgresEventStore } from './postgres-event-store';

let contractDb: TestDatabase;

describeEventStoreContract('PostgreSQL', {
  store: async () => {
    contractDb = await createTestDatabase('bpane_es_contract');
    return createPostgresEventStore({ connectionString: contractDb.url, schema: 'event_store' });
  },
  childConfig: () => ({
    kind: 'postgres',
    connectionString: contractDb.url,
    schema: 'event_store',
    poolSize: 2,
  }),
  capabilities: { globallyUniqueEventIds: true, idempotencyComparesContent: true },
  beginSlowAppend: async (streamId, events) => {
    const client = new pg.Client({ connectionString: contractDb.url });
    await client.connect();
    await client.query('BEGIN');
    // The same call the adapter makes, inside a transaction we hold open: it takes its transaction
    // id (hence its position) now, and commits only when told.
    await client.query('SELECT * FROM event_store.append_events($1, $2, $3::jsonb)', [
      streamId,
      'any',
      JSON.stringify(events),
    ]);
    return {
      commit: async () => {
        await client.query('COMMIT');
        await client.query(`SELECT pg_notify('bpane_es_event_store', '')`);
        await client.end();
      },
    };
  },
  teardown: async () => {
    await contractDb?.drop();
  },
});

describe('PostgresEventStore specifics', () => {
  let db: TestDatabase;
  const open: PostgresEventStore[] = [];
  const make = async (options: Partial<Parameters<typeof createPostgresEventStore>[0]> = {}) => {
    const store = await createPostgresEventStore({ connectionString: db.url, ...options });
    open.push(store);
    return store;
  };

  beforeAll(async () => {
    db = await createTestDatabase('bpane_es_pg');
  });

  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    await db?.drop();
  });

  describe('migrations', () => {
    it('run once when several processes start at the same time, and are idempotent', async () => {
      const stores = await Promise.all(Array.from({ length: 4 }, () => make({ schema: 'racing' })));
      const applied = stores.map((s) => s.migrationReport.applied.length);
      expect(applied.filter((n) => n > 0)).toHaveLength(1);
      expect(
        stores.every(
          (s) =>
            s.migrationReport.applied.length + s.migrationReport.alreadyApplied.length === migrations.length,
        ),
      ).toBe(true);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const again = await runMigrations(client, 'racing');
        expect(again.applied).toEqual([]);
        const { rows } = await client.query('SELECT version FROM racing.schema_migrations ORDER BY version');
        expect(rows).toEqual(migrations.map((m) => ({ version: m.version })));
      } finally {
        await client.end();
      }
    });

    it('refuse to run when an applied migration was edited', async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await runMigrations(client, 'edited');
        await client.query(`UPDATE edited.schema_migrations SET checksum = 'x' WHERE version = 1`);
        await expect(runMigrations(client, 'edited')).rejects.toThrow(/differs from the one applied/);
      } finally {
        await client.end();
      }
    });

    it('keep two schemas in one database apart', async () => {
      const a = await make({ schema: 'tenant_a' });
      const b = await make({ schema: 'tenant_b' });
      await untilVisible(a, (await a.appendToStream('only-in-a', [newEvent()])).position);
      expect(await b.readAll()).toEqual([]);
      expect((await a.readAll()).map((e) => e.streamId)).toEqual(['only-in-a']);
    });
  });

  it('does not move the position floor when a process opens the store while others append', async () => {
    const store = await make({ schema: 'busy' });
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      // An older transaction stays in flight (it holds the snapshot xmin below what commits next).
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      await store.appendToStream('busy-stream', [newEvent()]);
      const reopened = await make({ schema: 'busy' });
      const offset = await holder.query<{ o: string }>('SELECT busy.xid_offset()::text AS o');
      expect(offset.rows[0]?.o).toBe('0');
      await reopened.close();
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  it('raises the position floor when positions are ahead of the transaction counter (logical restore)', async () => {
    const store = await make({ schema: 'restored' });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // What a pg_dump from an older, busier cluster looks like here: positions far beyond our xids.
      const future = 2n ** 40n * 65536n;
      await client.query(
        `INSERT INTO restored.events (position, stream_id, revision, event_id, type, data, metadata)
         VALUES ($1, 'old-stream', 0, gen_random_uuid(), 'Old', '{}', '{}')`,
        [future.toString()],
      );
    } finally {
      await client.end();
    }
    await store.close();
    const reopened = await make({ schema: 'restored' });
    expect(reopened.migrationReport.raisedXidOffsetTo).not.toBeNull();
    const r = await reopened.appendToStream('new-stream', [newEvent()]);
    expect(r.position).toBeGreaterThan(2n ** 40n * 65536n);
    await untilVisible(reopened, r.position);
    expect((await reopened.readAll()).map((e) => e.streamId)).toEqual(['old-stream', 'new-stream']);
    const again = await make({ schema: 'restored' });
    expect(again.migrationReport.raisedXidOffsetTo).toBeNull();
  });

  it('wakes live subscribers of another store instance by NOTIFY, not by the safety poll', async () => {
    const writer = await make({ schema: 'notify' });
    const follower = await make({ schema: 'notify', safetyPollMs: 60_000 });
    const after = await follower.headPosition();
    const p = uniquePrefix('notify');
    const sub = reader(follower.subscribeToAll({ after, filter: { streamPrefixes: [p] } }));
    expect(await sub.next(200)).toBe('timeout'); // caught up, now waiting
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await writer.appendToStream(`${p}1`, [newEvent()]);
      const got = await sub.next(5_000);
      expect(got).not.toBe('timeout');
      latencies.push(performance.now() - t0);
      await sleep(20);
    }
    expect(Math.max(...latencies)).toBeLessThan(1_000);
  });

  it('delivers events held back by an unrelated open transaction once it ends', async () => {
    const store = await make({ schema: 'heldback', safetyPollMs: 60_000 });
    const p = uniquePrefix('held');
    const after = await store.headPosition();
    const sub = reader(store.subscribeToAll({ after, filter: { streamPrefixes: [p] } }));
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      // Any write transaction anywhere in the cluster holds the fence while it is open.
      await other.query('BEGIN');
      await other.query('CREATE TEMP TABLE scratch (x int)');
      await other.query('INSERT INTO scratch VALUES (1)');
      const event = newEvent();
      await store.appendToStream(`${p}1`, [event]);
      expect(await sub.next(300)).toBe('timeout');
      expect(await store.readAll({ after })).toEqual([]);
      await other.query('COMMIT'); // no NOTIFY: the held-back re-read must find it
      const got = await sub.next(5_000);
      expect(got === 'timeout' || got === 'done' ? got : got.id).toBe(event.id);
    } finally {
      await other.end();
    }
  });

  it('keeps a subscription going when the server drops all the store connections', async () => {
    const applicationName = `bpane-es-drop-${uniquePrefix('x').slice(2, 10)}`;
    const store = await make({ schema: 'dropped', applicationName, safetyPollMs: 60_000 });
    const p = uniquePrefix('drop');
    const after = await store.headPosition();
    const sub = reader(store.subscribeToAll({ after, filter: { streamPrefixes: [p] } }));
    await store.appendToStream(`${p}1`, [newEvent()]);
    expect(await sub.next(5_000)).not.toBe('timeout');
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      expect(rowCount).toBeGreaterThanOrEqual(2); // the pool and the LISTEN connection
    } finally {
      await admin.end();
    }
    // No pause: the pool may still hand out a dropped connection; the store retries on a fresh one.
    await store.appendToStream(`${p}1`, [newEvent()]);
    // Woken by the re-established LISTEN (or the re-read it triggers), not by the 60 s safety poll.
    expect(await sub.next(10_000)).not.toBe('timeout');
  });

  it('refuses clearly and quickly when the server is unreachable', async () => {
    const t0 = Date.now();
    const error = await createPostgresEventStore({
      connectionString: 'postgres://postgres@127.0.0.1:1/nowhere',
      connectTimeoutMs: 2_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).message).toContain('127.0.0.1:1');
    expect(Date.now() - t0).toBeLessThan(5_000);
    const missing = await createPostgresEventStore({
      connectionString: db.url.replace(/\/[^/]*$/, '/bpane_no_such_database'),
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(StoreUnavailableError);
    expect((missing as Error).message).toMatch(/bpane_no_such_database/);
  });

  it('is created by createEventStore from a config, and fails with StoreClosedError after close', async () => {
    const store = await createEventStore({ kind: 'postgres', connectionString: db.url, schema: 'factory' });
    await store.appendToStream('factory-1', [newEvent()]);
    const pending = reader(store.subscribeToAll());
    expect(await pending.next(1_000)).not.toBe('timeout');
    const waiting = pending.next(5_000);
    await store.close();
    expect(await waiting).toBe('done');
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreClosedError);
    await expect(store.appendToStream('factory-1', [newEvent()])).rejects.toBeInstanceOf(StoreClosedError);
    expect(() => store.subscribeToAll()).toThrow(StoreClosedError);
  });
});
