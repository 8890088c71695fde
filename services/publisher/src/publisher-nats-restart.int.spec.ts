import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEnvelope, eventsStreamDefinition } from '@bpane/contracts';
import { createPostgresEventStore, type EventStore } from '@bpane/event-store';
import { connectNats } from '@bpane/messaging';
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import { AckPolicy, type NatsConnection } from 'nats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore } from './checkpoint-store';
import { EventPublisher } from './event-publisher';

/** A private NATS server (ephemeral port, own store directory) that this test may kill. */
let port = 0;
let storeDir: string;
let server: ChildProcess | null = null;
let db: TestDatabase;
let store: EventStore;
let pool: pg.Pool;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });

const startServer = async (): Promise<void> => {
  server = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: 'ignore',
  });
  const t0 = Date.now();
  for (;;) {
    try {
      const probe = await connectNats({ url: `nats://127.0.0.1:${port}`, name: 'probe', timeoutMs: 500 });
      await probe.close();
      return;
    } catch {
      if (Date.now() - t0 > 15_000) throw new Error('private nats-server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

const killServer = async (): Promise<void> => {
  const s = server;
  server = null;
  if (s === null || s.exitCode !== null) return;
  const exited = new Promise((r) => s.on('exit', r));
  s.kill('SIGKILL');
  await exited;
};

const appendSome = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) {
    await store.appendToStream(`recording-${randomUUID()}`, [
      {
        id: randomUUID(),
        type: 'RecordingNoted',
        data: { i },
        metadata: {
          correlationId: randomUUID(),
          causationId: null,
          actor: { kind: 'system', id: 't' },
          occurredAt: new Date().toISOString(),
        },
      },
    ]);
  }
};

beforeAll(async () => {
  port = await freePort();
  storeDir = await mkdtemp(join(tmpdir(), 'bpane-nats-'));
  await startServer();
  db = await createTestDatabase('bpane_pub_nats');
  store = await createPostgresEventStore({ connectionString: db.url });
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await killServer();
  await rm(storeDir, { recursive: true, force: true });
  await pool.end();
  await store.close();
  await db.drop();
});

describe('publisher across a NATS server restart', () => {
  it('reconnects and resumes; every event ends up in the stream exactly once', async () => {
    const def = eventsStreamDefinition({ name: 'T_RESTART', subjectRoot: 'bpane_restart' });
    const nc: NatsConnection = await connectNats({
      url: `nats://127.0.0.1:${port}`,
      name: 'publisher-under-test',
    });
    const checkpoints = new CheckpointStore(pool, 'restart');
    await checkpoints.migrate();
    const publisher = new EventPublisher({
      store,
      nc,
      checkpoints,
      stream: def,
      publishTimeoutMs: 1_000,
      retryDelayMs: 100,
    });
    const abort = new AbortController();
    const running = publisher.run(abort.signal);

    await appendSome(100);
    const firstHead = await store.headPosition();
    while (publisher.stats.savedPosition < firstHead) await new Promise((r) => setTimeout(r, 20));

    await killServer();
    await appendSome(100); // appended while NATS is down: appends never depend on the bus
    await new Promise((r) => setTimeout(r, 1_500));
    expect(publisher.stats.savedPosition).toBe(firstHead);
    await startServer();

    const head = await store.headPosition();
    const t0 = Date.now();
    while (publisher.stats.savedPosition < head && Date.now() - t0 < 60_000)
      await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await running;
    expect(publisher.stats.savedPosition).toBe(head);
    expect(publisher.stats.restarts).toBeGreaterThan(0);

    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(def.name);
    expect(info.state.messages).toBe(200);
    await jsm.consumers.add(def.name, { name: 'check', ack_policy: AckPolicy.None });
    const consumer = await nc.jetstream().consumers.get(def.name, 'check');
    const ids: string[] = [];
    while (ids.length < 200) {
      const batch = await consumer.fetch({ max_messages: 200 - ids.length, expires: 2_000 });
      for await (const m of batch) ids.push(decodeEnvelope(m.data).eventId);
    }
    const expected = (await store.readAll()).map((e) => e.id);
    expect([...ids].sort()).toEqual([...expected].sort());
    expect(new Set(ids).size).toBe(200);
    await nc.close();
  });
});
