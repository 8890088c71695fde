import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { decodeEnvelope, eventsStreamDefinition, type EventEnvelope } from '@bpane/contracts';
import { createPostgresEventStore, type EventStore, type NewEvent } from '@bpane/event-store';
import { connectNats, createEventBus, ensureEventsStream } from '@bpane/messaging';
import { createTestDatabase, testServices, uniqueSuffix, type TestDatabase } from '@bpane/testing';
import { AckPolicy, DeliverPolicy, type NatsConnection } from 'nats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CheckpointStore } from './checkpoint-store';
import { EventPublisher } from './event-publisher';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let db: TestDatabase;
let store: EventStore;
let nc: NatsConnection;
let pool: pg.Pool;
const streamsToDelete: string[] = [];

const newEvent = (type: string, data: NewEvent['data']): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: {
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: 'user', id: 'user-1' },
    occurredAt: new Date().toISOString(),
    ownerId: 'user-1',
  },
});

const projectCreated = (projectId: string): NewEvent =>
  newEvent('ProjectCreated', {
    projectId,
    ownerId: 'user-1',
    name: `project ${projectId.slice(0, 8)}`,
    description: null,
    labels: {},
    quotas: { maxActiveSessions: null, maxActiveWorkflowRuns: null, maxRetainedStorageBytes: null },
    createdAt: new Date().toISOString(),
  });

/** Appends `n` events over a handful of streams (projects and sessions), one append per event. */
const appendMany = async (n: number, tag: string): Promise<void> => {
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) {
      const id = randomUUID();
      await store.appendToStream(`project-${id}`, [projectCreated(id)]);
    } else {
      await store.appendToStream(`session-${tag}-${i % 7}`, [newEvent('SessionNoted', { tag, i })]);
    }
  }
};

/** Every message currently in the stream, in stream order, decoded. */
const readStreamMessages = async (streamName: string): Promise<EventEnvelope[]> => {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(streamName);
  const total = info.state.messages;
  if (total === 0) return [];
  const consumerName = `read_${uniqueSuffix()}`;
  await jsm.consumers.add(streamName, {
    name: consumerName,
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    inactive_threshold: 30_000_000_000,
  });
  const consumer = await nc.jetstream().consumers.get(streamName, consumerName);
  const out: EventEnvelope[] = [];
  while (out.length < total) {
    const batch = await consumer.fetch({ max_messages: Math.min(500, total - out.length), expires: 2_000 });
    for await (const m of batch) out.push(decodeEnvelope(m.data));
  }
  await jsm.consumers.delete(streamName, consumerName);
  return out;
};

const until = async (cond: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  db = await createTestDatabase('bpane_pub');
  store = await createPostgresEventStore({ connectionString: db.url });
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  nc = await connectNats({ url: testServices.natsUrl, name: 'publisher-test' });
});

afterAll(async () => {
  const jsm = await nc.jetstreamManager();
  for (const s of streamsToDelete) await jsm.streams.delete(s).catch(() => undefined);
  await nc.close();
  await pool.end();
  await store.close();
  await db.drop();
});

const freshStream = (): ReturnType<typeof eventsStreamDefinition> => {
  const suffix = uniqueSuffix();
  const def = eventsStreamDefinition({
    name: `T_PUB_${suffix}`,
    subjectRoot: `bpane_t${suffix}`,
    storage: 'memory',
  });
  streamsToDelete.push(def.name);
  return def;
};

describe('EventPublisher (in process)', () => {
  it('forwards every event once, in log order, catch-up then live, and checkpoints the head', async () => {
    const def = freshStream();
    await appendMany(120, 'a');
    const checkpoints = new CheckpointStore(pool, `inproc-${uniqueSuffix()}`);
    await checkpoints.migrate();
    const publisher = new EventPublisher({ store, nc, checkpoints, stream: def, maxInFlight: 16 });
    const abort = new AbortController();
    const running = publisher.run(abort.signal);
    onTestFinished(async () => {
      abort.abort();
      await running;
    });
    // the durable consumer helper receives typed payloads while the publisher runs
    const received: string[] = [];
    await ensureEventsStream(await nc.jetstreamManager(), def);
    const bus = createEventBus({ nc, stream: def.name, subjectRoot: def.subjectRoot });
    const consumer = await bus.consume(
      'bpane.projects.*',
      (envelope) => {
        if (envelope.subject === 'bpane.projects.ProjectCreated') received.push(envelope.data.projectId);
      },
      { durable: 'projects_worker' },
    );
    await appendMany(60, 'b');
    const head = await store.headPosition();
    await until(() => publisher.stats.savedPosition === head, 'checkpoint at head');
    abort.abort();
    await running;

    const ours = await store.readAll(); // the whole log of this test's database
    const messages = await readStreamMessages(def.name);
    expect(messages.map((m) => m.eventId)).toEqual(ours.map((e) => e.id));
    expect(messages.map((m) => BigInt(m.position))).toEqual(ours.map((e) => e.position));
    expect(messages.find((m) => m.streamId.startsWith('session-'))?.subject).toBe(
      'bpane.sessions.SessionNoted',
    );
    expect(await checkpoints.load()).toBe(head);
    expect(publisher.stats.duplicates).toBe(0);

    const createdIds = ours.filter((e) => e.type === 'ProjectCreated').map((e) => e.data['projectId']);
    await until(() => received.length === createdIds.length, 'typed project deliveries');
    await consumer.stop();
    expect(received).toEqual(createdIds);
  });

  it('resumes from its checkpoint without re-publishing', async () => {
    const def = freshStream();
    const checkpoints = new CheckpointStore(pool, `resume-${uniqueSuffix()}`);
    await checkpoints.migrate();
    const first = (await store.readAll({ maxCount: 10 }))[9]!;
    await checkpoints.save(first.position);
    const publisher = new EventPublisher({ store, nc, checkpoints, stream: def });
    const abort = new AbortController();
    const running = publisher.run(abort.signal);
    onTestFinished(async () => {
      abort.abort();
      await running;
    });
    const head = await store.headPosition();
    await until(() => publisher.stats.savedPosition === head, 'checkpoint at head');
    abort.abort();
    await running;
    const messages = await readStreamMessages(def.name);
    const expected = (await store.readAll({ after: first.position })).map((e) => e.id);
    expect(messages.map((m) => m.eventId)).toEqual(expected);
  });
});

type Child = { proc: ChildProcess; stderr: string[]; exited: Promise<number | null> };

const startChild = (env: Record<string, string>): Child => {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'services/publisher/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  let partial = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    stderr.push(...lines.filter((l) => l.length > 0));
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  // A failed assertion must not leave a publisher running behind the test.
  onTestFinished(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  });
  return { proc, stderr, exited };
};

describe('publisher process', () => {
  it('loses nothing when SIGKILLed mid-run; JetStream drops the re-published duplicates', async () => {
    const def = freshStream();
    const name = `proc_${uniqueSuffix()}`;
    const env = {
      BPANE_PG_URL: db.url,
      BPANE_NATS_URL: testServices.natsUrl,
      BPANE_EVENTS_STREAM: def.name,
      BPANE_SUBJECT_ROOT: def.subjectRoot,
      BPANE_PUBLISHER_NAME: name,
      // a slow checkpoint makes the killed publisher leave many published-but-unsaved events behind
      BPANE_PUBLISHER_CHECKPOINT_INTERVAL_MS: '60000',
    };
    const checkpoints = new CheckpointStore(pool, name);
    await checkpoints.migrate();
    const startAt = await store.headPosition();
    await checkpoints.save(startAt);
    const jsm = await nc.jetstreamManager();

    const writer = appendMany(400, 'k');
    const first = startChild(env);
    await until(async () => {
      try {
        return (await jsm.streams.info(def.name)).state.messages >= 50;
      } catch {
        return false;
      }
    }, 'first publishes');
    first.proc.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const publishedBeforeKill = (await jsm.streams.info(def.name)).state.messages;
    expect(await checkpoints.load()).toBe(startAt);
    await writer;

    const second = startChild({ ...env, BPANE_PUBLISHER_CHECKPOINT_INTERVAL_MS: '50' });
    const head = await store.headPosition();
    await until(async () => (await checkpoints.load()) === head, 'second publisher reaches the head');
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const expected = (await store.readAll({ after: startAt })).map((e) => e.id);
    const messages = await readStreamMessages(def.name);
    expect(messages.map((m) => m.eventId)).toEqual(expected);
    const stopped = second.stderr
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['message'] === 'publisher stopped');
    expect(stopped?.['duplicates']).toBe(publishedBeforeKill);
  });

  it('runs one active publisher per name (leader lock) and exits 0 on SIGTERM while waiting', async () => {
    const def = freshStream();
    const name = `lock_${uniqueSuffix()}`;
    const env = {
      BPANE_PG_URL: db.url,
      BPANE_EVENTS_STREAM: def.name,
      BPANE_SUBJECT_ROOT: def.subjectRoot,
      BPANE_PUBLISHER_NAME: name,
    };
    const leader = startChild(env);
    await until(() => leader.stderr.some((l) => l.includes('"publishing"')), 'leader publishing');
    const follower = startChild(env);
    await until(
      () => follower.stderr.some((l) => l.includes('waiting for the publisher leader lock')),
      'follower waiting',
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(follower.stderr.some((l) => l.includes('"publishing"'))).toBe(false);
    follower.proc.kill('SIGTERM');
    leader.proc.kill('SIGTERM');
    expect(await follower.exited).toBe(0);
    expect(await leader.exited).toBe(0);
  });

  it('refuses a bad configuration with a clear message and exit code 1', async () => {
    const child = startChild({ BPANE_NATS_URL: 'not a url', BPANE_PUBLISHER_MAX_IN_FLIGHT: '0' });
    expect(await child.exited).toBe(1);
    const text = child.stderr.join('\n');
    expect(text).toContain('BPANE_NATS_URL must be a URL');
    expect(text).toContain('BPANE_PUBLISHER_MAX_IN_FLIGHT must be ≥ 1');
  });
});
