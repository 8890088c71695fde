/**
 * Append throughput of the PostgreSQL event store, on a fresh throw-away database.
 *
 *   npx tsx libs/event-store/bench/append.ts [--events 20000] [--writers 1,8] [--batch 1] [--streams 100]
 *                                            [--subscribe] [--nice=-10] [--json]
 *
 * Each writer appends `--events / writers` events sequentially (awaiting each append), `--batch`
 * events per append, to streams chosen round-robin from its own `--streams` streams, with an exact
 * expected revision (the command-handler path). `--subscribe` also runs a live subscriber and
 * reports when it has seen the last event. Admin URL: BPANE_TEST_PG_URL (default loopback).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, setPriority } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
// eslint-disable-next-line @nx/enforce-module-boundaries -- throw-away databases are a test helper
import { createTestDatabase } from '@bpane/testing';
import { createPostgresEventStore, type NewEvent } from '../src/index';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    writers: { type: 'string', default: '1,8' },
    batch: { type: 'string', default: '1' },
    streams: { type: 'string', default: '100' },
    subscribe: { type: 'boolean', default: false },
    'notify-interval': { type: 'string' },
    /** Run this process and its PostgreSQL backends at this nice value (needs privileges; e.g. -10 on a shared, busy machine). */
    nice: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const total = Number(values.events);
const batch = Number(values.batch);
const streamsPerWriter = Number(values.streams);

const metadata = {
  correlationId: randomUUID(),
  causationId: null,
  actor: { kind: 'system', id: 'bench' },
  occurredAt: new Date().toISOString(),
} as const;

const event = (i: number): NewEvent => ({
  id: randomUUID(),
  type: 'BenchEventHappened',
  data: { i, text: 'a realistic, smallish payload', flags: [true, false], nested: { at: Date.now() } },
  metadata,
});

type Result = {
  writers: number;
  batch: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  appendsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  subscriberCaughtUpSeconds?: number;
  /** CPU per append: this process + the store's PostgreSQL backends (when PostgreSQL is local). */
  cpuMsPerAppend: { node: number; postgres: number | null };
  loadAverage1m: number;
};

/** utime + stime of a local process in ms, or null when /proc does not show it. */
const processCpuMs = (pid: number): number | null => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ = 100 on Linux
  } catch {
    return null;
  }
};

const backendsCpuMs = async (url: string, applicationName: string): Promise<Map<number, number>> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processCpuMs(pid);
      if (ms !== null) out.set(pid, ms);
    }
    return out;
  } finally {
    await client.end();
  }
};

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

const run = async (writers: number): Promise<Result> => {
  const db = await createTestDatabase('bpane_bench');
  const applicationName = `bpane-bench-${randomUUID().slice(0, 8)}`;
  const store = await createPostgresEventStore({
    connectionString: db.url,
    poolSize: Math.max(writers, 2) + 1,
    applicationName,
    ...(values['notify-interval'] === undefined
      ? {}
      : { notifyIntervalMs: Number(values['notify-interval']) }),
  });
  try {
    // Warm up: connections, prepared statements, plans.
    await Promise.all(
      Array.from({ length: writers }, (_, w) => store.appendToStream(`warmup-${w}`, [event(0)])),
    );
    const perWriter = Math.floor(total / writers / batch);
    const expectedEvents = perWriter * batch * writers;
    let subscriberDone: Promise<number> | undefined;
    const started = performance.now();
    if (values.subscribe) {
      const head = await store.headPosition();
      const sub = store.subscribeToAll({ after: head });
      subscriberDone = (async () => {
        let seen = 0;
        for await (const _ of sub) if (++seen === expectedEvents) break;
        return (performance.now() - started) / 1000;
      })();
    }
    const latencies: number[] = [];
    const backendsBefore = await backendsCpuMs(db.url, applicationName);
    if (values.nice !== undefined) {
      for (const pid of [process.pid, ...backendsBefore.keys()]) setPriority(pid, Number(values.nice));
    }
    const nodeBefore = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const revisions = new Map<string, bigint>();
        for (let i = 0; i < perWriter; i++) {
          const stream = `bench-${w}-${i % streamsPerWriter}`;
          const expected = revisions.get(stream) ?? 'no_stream';
          const events = Array.from({ length: batch }, (_, j) => event(i * batch + j));
          const a = performance.now();
          const result = await store.appendToStream(stream, events, { expectedRevision: expected });
          latencies.push(performance.now() - a);
          revisions.set(stream, result.nextExpectedRevision);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const nodeCpu = process.cpuUsage(nodeBefore);
    const backendsAfter = await backendsCpuMs(db.url, applicationName);
    let postgresMs: number | null = backendsAfter.size === 0 ? null : 0;
    for (const [pid, ms] of backendsAfter)
      postgresMs = (postgresMs ?? 0) + ms - (backendsBefore.get(pid) ?? 0);
    const appends = expectedEvents / batch;
    const subscriberCaughtUpSeconds = subscriberDone === undefined ? undefined : await subscriberDone;
    latencies.sort((a, b) => a - b);
    return {
      writers,
      batch,
      events: expectedEvents,
      seconds: Number(seconds.toFixed(3)),
      eventsPerSecond: Math.round(expectedEvents / seconds),
      appendsPerSecond: Math.round(expectedEvents / batch / seconds),
      p50Ms: Number(percentile(latencies, 50).toFixed(2)),
      p99Ms: Number(percentile(latencies, 99).toFixed(2)),
      cpuMsPerAppend: {
        node: Number(((nodeCpu.user + nodeCpu.system) / 1000 / appends).toFixed(3)),
        postgres: postgresMs === null ? null : Number((postgresMs / appends).toFixed(3)),
      },
      loadAverage1m: Number(loadavg()[0]!.toFixed(1)),
      ...(subscriberCaughtUpSeconds === undefined
        ? {}
        : { subscriberCaughtUpSeconds: Number(subscriberCaughtUpSeconds.toFixed(3)) }),
    };
  } finally {
    await store.close();
    await db.drop();
  }
};

const results: Result[] = [];
for (const w of values.writers.split(',').map(Number)) {
  const r = await run(w);
  results.push(r);
  if (!values.json) {
    console.log(
      `${String(r.writers).padStart(2)} writer(s), ${r.batch} event(s)/append: ${r.events} events in ${r.seconds}s = ` +
        `${r.eventsPerSecond} events/s (${r.appendsPerSecond} appends/s), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms; ` +
        `CPU per append: node ${r.cpuMsPerAppend.node} ms + postgres ${r.cpuMsPerAppend.postgres ?? '?'} ms; ` +
        `load ${r.loadAverage1m} on ${cpus().length} CPUs` +
        (r.subscriberCaughtUpSeconds === undefined
          ? ''
          : `, subscriber caught up at ${r.subscriberCaughtUpSeconds}s`),
    );
  }
}
if (values.json) console.log(JSON.stringify(results, null, 2));
