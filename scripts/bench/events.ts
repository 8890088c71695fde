/**
 * Event-sourcing throughput and latency on the PostgreSQL event store.
 *
 *   npm run bench:events [-- --quick] [--out bench-results/events.json]
 *
 * Uses a fresh database (dropped at the end) on BPANE_BENCH_PG_URL (default: the loopback server)
 * and the NATS server at BPANE_NATS_URL (default nats://127.0.0.1:4222), and measures:
 *   append_single_writer_eps   one writer, one event per append, back to back
 *   append_8_writers_eps       8 concurrent writers, one event per append, distinct streams
 *   projection_lag_p50/p95_ms  at a steady 1,000 events/s: append acknowledged → projected row
 *                              visible (the projector's checkpoint notification for a position at
 *                              or past the event, committed in the same transaction as the row)
 *   rebuild_eps                `rebuildProjections` over the whole log (shadow tables, then swap)
 *   nats_publish_lag_p95_ms    at a steady 1,000 events/s: append acknowledged → message received
 *                              from JetStream, through the publisher running as its own process
 * and writes bench-results/events.json plus a summary on stdout. `--quick` finishes in < 30 s.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createPostgresEventStore, type EventStore, type NewEvent } from '@bpane/event-store';
import { connectNats } from '@bpane/messaging';
import {
  CHECKPOINT_CHANNEL,
  defaultProjections,
  ReadModelDatabase,
  readModelEntities,
  rebuildProjections,
} from '@bpane/read-models';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results/events.json' },
  },
});
const quick = values.quick;
const adminUrl = process.env['BPANE_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env['BPANE_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const plan = quick
  ? { appendMs: 800, lagMs: 2_000, natsMs: 1_500, rebuildEvents: 4_000, drainMs: 3_000 }
  : { appendMs: 10_000, lagMs: 15_000, natsMs: 10_000, rebuildEvents: 60_000, drainMs: 10_000 };
const STEADY_RATE = 1_000;

const TARGETS = {
  append_single_writer_eps: 3_000,
  append_8_writers_eps: 10_000,
  projection_lag_p95_ms: 50,
  rebuild_eps: 20_000,
} as const;

const log = (text: string): void => void process.stderr.write(`[bench:events] ${text}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

const projectCreated = (projectId: string): NewEvent => ({
  id: randomUUID(),
  type: 'ProjectCreated',
  data: {
    projectId,
    ownerId: 'bench-owner',
    name: `bench ${projectId.slice(0, 8)}`,
    description: null,
    labels: { bench: 'events' },
    quotas: { maxActiveSessions: null, maxActiveWorkflowRuns: null, maxRetainedStorageBytes: null },
    createdAt: new Date().toISOString(),
  },
  metadata: {
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: 'user', id: 'bench-owner' },
    occurredAt: new Date().toISOString(),
    ownerId: 'bench-owner',
  },
});

const appendOne = async (store: EventStore): Promise<{ position: bigint; ackedAt: number }> => {
  const id = randomUUID();
  const r = await store.appendToStream(`project-${id}`, [projectCreated(id)], {
    expectedRevision: 'no_stream',
  });
  return { position: r.position, ackedAt: performance.now() };
};

const projectUpdated = (projectId: string, n: number): NewEvent => ({
  id: randomUUID(),
  type: 'ProjectUpdated',
  data: {
    projectId,
    name: `bench ${projectId.slice(0, 8)} #${n}`,
    description: `revision ${n}`,
    labels: { bench: 'events' },
    quotas: { maxActiveSessions: n, maxActiveWorkflowRuns: null, maxRetainedStorageBytes: null },
    changedFields: ['name', 'description', 'quotas'],
    updatedAt: new Date().toISOString(),
  },
  metadata: {
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: 'user', id: 'bench-owner' },
    occurredAt: new Date().toISOString(),
    ownerId: 'bench-owner',
  },
});

/** Adds `count` events quickly: 8 writers, one project stream of 50 events (1 created + 49 updated) per append. */
const fill = async (store: EventStore, count: number): Promise<void> => {
  let left = count;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (left > 0) {
        const n = Math.min(50, left);
        left -= n;
        const id = randomUUID();
        const events = [
          projectCreated(id),
          ...Array.from({ length: n - 1 }, (_, i) => projectUpdated(id, i + 1)),
        ];
        await store.appendToStream(`project-${id}`, events, { expectedRevision: 'no_stream' });
      }
    }),
  );
};

/** `writers` loops appending one event per call for `ms`; returns events per second. */
const appendFor = async (store: EventStore, writers: number, ms: number): Promise<number> => {
  let count = 0;
  const end = performance.now() + ms;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < end) {
        await appendOne(store);
        count++;
      }
    }),
  );
  return count / ((performance.now() - t0) / 1000);
};

/**
 * Appends at a steady `rate` for `ms` (up to 16 appends in flight, so a slow append does not
 * hold back the schedule). Calls `onAcked` for each event when its append is acknowledged.
 */
const appendSteadily = async (
  store: EventStore,
  rate: number,
  ms: number,
  onAcked: (position: bigint, ackedAt: number, eventId: string) => void,
): Promise<{ sent: number; late: number }> => {
  const t0 = performance.now();
  const total = Math.floor((rate * ms) / 1000);
  const inflight = new Set<Promise<void>>();
  let late = 0;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    else if (wait < -50) late++;
    while (inflight.size >= 16) await Promise.race(inflight);
    const projectId = randomUUID();
    const event = projectCreated(projectId);
    const p = store
      .appendToStream(`project-${projectId}`, [event], { expectedRevision: 'no_stream' })
      .then((r) => onAcked(r.position, performance.now(), event.id))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  return { sent: total, late };
};

/** Mean latency of an autocommitted one-row INSERT into a logged table (the WAL flush). */
const commitLatency = async (url: string): Promise<number> => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('CREATE TABLE bench_commit (id serial PRIMARY KEY, v text)');
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 300) {
    await c.query("INSERT INTO bench_commit (v) VALUES ('x')");
    n++;
  }
  const ms = (performance.now() - t0) / n;
  await c.query('DROP TABLE bench_commit');
  await c.end();
  return ms;
};

/** A BrowserPane service (`services/<name>/src/main.ts`) as a child process; its logs are dropped. */
const startService = (name: string, env: Record<string, string>): { stop: () => Promise<void> } => {
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
};

const main = async (): Promise<void> => {
  const started = performance.now();
  const dbName = `bpane_bench_events_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const url = dbUrl.toString();
  const cleanups: (() => Promise<unknown>)[] = [];
  const result: Record<string, unknown> = {};
  try {
    const store = await createPostgresEventStore({ connectionString: url, poolSize: 12 });
    cleanups.push(() => store.close());

    const countEvents = async (): Promise<number> => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const r = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM event_store.events');
      await c.end();
      return Number(r.rows[0]!.n);
    };

    // 1. appends (one event per append: each append is one committed transaction)
    await appendFor(store, 1, 200); // warm-up (connections, plans)
    const single = await appendFor(store, 1, plan.appendMs);
    log(`single writer: ${Math.round(single)} events/s`);
    const eight = await appendFor(store, 8, plan.appendMs);
    log(`8 writers: ${Math.round(eight)} events/s`);
    // Diagnostics: the same loops without waiting for the WAL flush (synchronous_commit=off on
    // the bench connections only) show how much of an append is the disk's fsync.
    const asyncUrl = new URL(url);
    asyncUrl.searchParams.set('options', '-c synchronous_commit=off');
    const asyncStore = await createPostgresEventStore({ connectionString: asyncUrl.toString(), poolSize: 8 });
    const singleAsync = await appendFor(asyncStore, 1, Math.min(plan.appendMs, 1_000));
    const eightAsync = await appendFor(asyncStore, 8, Math.min(plan.appendMs, 1_000));
    await asyncStore.close();
    log(
      `without fsync wait: single writer ${Math.round(singleAsync)} events/s, 8 writers ${Math.round(eightAsync)} events/s`,
    );
    const fsync = await commitLatency(url);
    log(`bare PostgreSQL commit of a one-row insert: ${round(fsync, 2)} ms`);

    // 3. projection lag at a steady 1,000 events/s, the projector running as its own process
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    cleanups.push(() => listener.end());
    let visibleUpTo = 0n;
    const pending: { position: bigint; ackedAt: number }[] = [];
    const lags: number[] = [];
    const settle = (now: number): void => {
      for (let i = pending.length - 1; i >= 0; i--) {
        const p = pending[i]!;
        if (p.position <= visibleUpTo) {
          lags.push(Math.max(0, now - p.ackedAt));
          pending.splice(i, 1);
        }
      }
    };
    let measuring = true;
    listener.on('notification', (msg) => {
      if (!measuring) return;
      const now = performance.now();
      const position = BigInt(msg.payload?.split(':').at(-1) ?? '0');
      if (position > visibleUpTo) visibleUpTo = position;
      settle(now);
    });
    await listener.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
    const head = await store.headPosition();
    const caughtUp = await countEvents();
    const catchUpStart = performance.now();
    const projector = startService('projector', { BPANE_PG_URL: url });
    cleanups.push(() => projector.stop());
    while (visibleUpTo < head) await sleep(10);
    const catchUpEps = caughtUp / ((performance.now() - catchUpStart) / 1000);
    log(
      `projector caught up with ${caughtUp} events at ${Math.round(catchUpEps)} events/s (including its start-up)`,
    );
    const steady = await appendSteadily(store, STEADY_RATE, plan.lagMs, (position, ackedAt) => {
      if (position <= visibleUpTo) lags.push(0);
      else pending.push({ position, ackedAt });
    });
    const lagDeadline = performance.now() + plan.drainMs;
    while (pending.length > 0 && performance.now() < lagDeadline) await sleep(10);
    measuring = false; // later checkpoints (the rebuild's) must not count as late sightings
    const unseen = pending.length;
    // Not visible by the deadline: counted with their age at the deadline (a lower bound).
    const frozenAt = performance.now();
    for (const p of pending) lags.push(frozenAt - p.ackedAt);
    await projector.stop();
    const rm = await ReadModelDatabase.connect({ url, entities: readModelEntities, poolSize: 4 });
    cleanups.push(() => rm.dataSource.destroy());
    lags.sort((a, b) => a - b);
    log(
      `projection lag over ${lags.length} events: p50 ${round(percentile(lags, 50))} ms, p95 ${round(percentile(lags, 95))} ms (${unseen} never seen, ${steady.late} sent late)`,
    );

    // 4. rebuild (over a log filled up to the rebuild size)
    const before = await countEvents();
    if (before < plan.rebuildEvents) await fill(store, plan.rebuildEvents - before);
    const have = await countEvents();
    log(`log holds ${have} events`);
    let lastProgress = 0;
    const rebuilt = await rebuildProjections({
      store,
      db: rm,
      projections: defaultProjections(),
      pageSize: 1_000,
      onProgress: (p) => {
        if (performance.now() - lastProgress > 1_000) {
          lastProgress = performance.now();
          log(`rebuild ${p.phase} ${p.eventsDone} events, ${Math.round(p.eventsPerSecond)} events/s`);
        }
      },
    });
    const rebuildEps = rebuilt.eventsDone / (rebuilt.elapsedMs / 1000);
    log(
      `rebuild: ${rebuilt.eventsDone} events in ${rebuilt.elapsedMs} ms = ${Math.round(rebuildEps)} events/s`,
    );

    // 5. NATS: the publisher as its own process; backlog first, then lag at a steady 1,000 events/s
    const suffix = randomUUID().slice(0, 8);
    const root = `bpane_bench${suffix}`;
    const streamName = `BENCH_EVENTS_${suffix}`;
    const nc = await connectNats({ url: natsUrl, name: 'bench-events' });
    cleanups.push(async () => {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(streamName).catch(() => undefined);
      await nc.close();
    });
    const received = new Map<string, number>();
    const sub = nc.subscribe(`${root}.>`, {
      callback: (_err, msg) => {
        const id = msg.headers?.get('Nats-Msg-Id');
        if (id !== undefined && id !== '') received.set(id, performance.now());
      },
    });
    cleanups.push(() => Promise.resolve(sub.unsubscribe()));
    const headBeforeNats = await store.headPosition();
    const eventsBeforeNats = await countEvents();
    const publisher = startService('publisher', {
      BPANE_PG_URL: url,
      BPANE_NATS_URL: natsUrl,
      BPANE_EVENTS_STREAM: streamName,
      BPANE_SUBJECT_ROOT: root,
      BPANE_PUBLISHER_NAME: 'bench',
    });
    cleanups.push(() => publisher.stop());
    const ckpt = new pg.Client({ connectionString: url });
    await ckpt.connect();
    cleanups.push(() => ckpt.end());
    const checkpoint = async (): Promise<bigint> => {
      try {
        const r = await ckpt.query<{ p: string }>(
          `SELECT position::text AS p FROM publisher.checkpoints WHERE name = 'bench'`,
        );
        return BigInt(r.rows[0]?.p ?? '0');
      } catch {
        return 0n;
      }
    };
    let backlogStart = 0;
    while (received.size === 0) {
      await sleep(5);
      if (received.size === 0) backlogStart = performance.now();
    }
    while ((await checkpoint()) < headBeforeNats) await sleep(20);
    const backlogEps = eventsBeforeNats / ((performance.now() - backlogStart) / 1000);
    log(`publisher backlog: ${eventsBeforeNats} events at ${Math.round(backlogEps)} events/s`);
    const acked = new Map<string, number>();
    await appendSteadily(store, STEADY_RATE, plan.natsMs, (_position, ackedAt, eventId) =>
      acked.set(eventId, ackedAt),
    );
    const natsDeadline = performance.now() + plan.drainMs;
    while ([...acked.keys()].some((id) => !received.has(id)) && performance.now() < natsDeadline)
      await sleep(20);
    const natsLags = [...acked].flatMap(([id, at]) => {
      const got = received.get(id);
      return got === undefined ? [] : [Math.max(0, got - at)];
    });
    natsLags.sort((a, b) => a - b);
    const natsMissing = acked.size - natsLags.length;
    log(
      `NATS lag over ${natsLags.length} events: p50 ${round(percentile(natsLags, 50))} ms, p95 ${round(percentile(natsLags, 95))} ms (${natsMissing} missing)`,
    );

    Object.assign(result, {
      append_single_writer_eps: Math.round(single),
      append_single_writer_async_commit_eps: Math.round(singleAsync),
      append_8_writers_async_commit_eps: Math.round(eightAsync),
      pg_commit_latency_ms: round(fsync, 2),
      append_8_writers_eps: Math.round(eight),
      projection_lag_p50_ms: round(percentile(lags, 50)),
      projection_lag_p95_ms: round(percentile(lags, 95)),
      rebuild_eps: Math.round(rebuildEps),
      nats_publish_lag_p95_ms: round(percentile(natsLags, 95)),
      nats_publish_lag_p50_ms: round(percentile(natsLags, 50)),
      nats_publish_backlog_eps: Math.round(backlogEps),
      projector_catch_up_eps: Math.round(catchUpEps),
      details: {
        quick,
        cpus: cpus().length,
        load_average_1m: round(loadavg()[0] ?? 0, 2),
        node: process.version,
        steady_rate_eps: STEADY_RATE,
        append_phase_ms: plan.appendMs,
        projection_lag_samples: lags.length,
        projection_lag_p99_ms: round(percentile(lags, 99)),
        projection_lag_unseen: unseen,
        steady_appends_sent_late: steady.late,
        rebuild_events: rebuilt.eventsDone,
        nats_lag_samples: natsLags.length,
        nats_lag_missing: natsMissing,
        targets: TARGETS,
        wall_seconds: 0,
      },
    });
  } finally {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
  (result['details'] as Record<string, unknown>)['wall_seconds'] = round(
    (performance.now() - started) / 1000,
  );
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);

  const mark = (key: keyof typeof TARGETS, value: number, higherIsBetter: boolean): string =>
    (higherIsBetter ? value >= TARGETS[key] : value <= TARGETS[key]) ? 'ok' : 'MISSED';
  const r = result as Record<string, number>;
  const rows: [string, string, string, string][] = [
    [
      'append, 1 writer',
      `${r['append_single_writer_eps']} events/s`,
      `≥ ${TARGETS.append_single_writer_eps}`,
      mark('append_single_writer_eps', r['append_single_writer_eps']!, true),
    ],
    [
      'append, 8 writers',
      `${r['append_8_writers_eps']} events/s`,
      `≥ ${TARGETS.append_8_writers_eps}`,
      mark('append_8_writers_eps', r['append_8_writers_eps']!, true),
    ],
    ['append, 1 writer, no fsync wait', `${r['append_single_writer_async_commit_eps']} events/s`, '', ''],
    ['append, 8 writers, no fsync wait', `${r['append_8_writers_async_commit_eps']} events/s`, '', ''],
    ['PostgreSQL commit latency', `${r['pg_commit_latency_ms']} ms`, '', ''],
    ['projection lag p50', `${r['projection_lag_p50_ms']} ms`, '', ''],
    [
      'projection lag p95',
      `${r['projection_lag_p95_ms']} ms`,
      `≤ ${TARGETS.projection_lag_p95_ms}`,
      mark('projection_lag_p95_ms', r['projection_lag_p95_ms']!, false),
    ],
    [
      'rebuild',
      `${r['rebuild_eps']} events/s`,
      `≥ ${TARGETS.rebuild_eps}`,
      mark('rebuild_eps', r['rebuild_eps']!, true),
    ],
    ['NATS publish lag p95', `${r['nats_publish_lag_p95_ms']} ms`, '', ''],
    ['publisher backlog', `${r['nats_publish_backlog_eps']} events/s`, '', ''],
    ['projector catch-up', `${r['projector_catch_up_eps']} events/s`, '', ''],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  process.stdout.write(
    `events benchmark${quick ? ' (quick)' : ''}: ${cpus().length} CPUs, ${process.version}\n`,
  );
  for (const row of rows)
    process.stdout.write(
      `  ${row[0].padEnd(w[0]!)}  ${row[1].padStart(w[1]!)}  ${row[2].padEnd(w[2]!)}  ${row[3]}\n`,
    );
  process.stdout.write(`wrote ${values.out}\n`);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:events failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
