import {
  encodeEnvelope,
  envelopeFromEvent,
  eventsStreamDefinition,
  type EnvelopeSource,
  type EventEnvelope,
  ContractError,
} from '@bpane/contracts';
// eslint-disable-next-line @nx/enforce-module-boundaries -- loopback service addresses are a test helper
import { testServices, uniqueSuffix } from '@bpane/testing';
import { headers, type JetStreamClient, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNats,
  createEventBus,
  ensureEventsStream,
  MessagingError,
  type ConsumerFailure,
} from './index';

const suffix = uniqueSuffix();
const root = `bpane_t${suffix}`;
const def = eventsStreamDefinition({
  name: `T_MSG_${suffix}`,
  subjectRoot: root,
  duplicateWindowMs: 60_000,
  maxAgeMs: 600_000,
  storage: 'memory',
});
let nc: NatsConnection;
let js: JetStreamClient;
let position = 0n;

const event = (streamId: string, type: string, data: EnvelopeSource['data']): EventEnvelope =>
  envelopeFromEvent({
    id: crypto.randomUUID(),
    type,
    data,
    streamId,
    revision: 0n,
    position: ++position,
    recordedAt: new Date(),
    metadata: {
      correlationId: 'c',
      causationId: null,
      actor: { kind: 'system', id: 'test' },
      occurredAt: new Date().toISOString(),
      ownerId: 'owner-1',
    },
  });

const publish = async (e: EventEnvelope): Promise<boolean> => {
  const h = headers();
  h.set('Nats-Msg-Id', e.eventId);
  const ack = await js.publish(e.subject.replace(/^bpane\./, `${root}.`), encodeEnvelope(e), { headers: h });
  return ack.duplicate;
};

const until = async (cond: () => boolean, what: string, ms = 20_000): Promise<void> => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

beforeAll(async () => {
  nc = await connectNats({ url: testServices.natsUrl, name: `messaging-test-${suffix}` });
  js = nc.jetstream();
  await ensureEventsStream(await nc.jetstreamManager(), def);
});

afterAll(async () => {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(def.name).catch(() => undefined);
  await nc.close();
});

describe('ensureEventsStream', () => {
  it('is idempotent and updates the duplicate window of an existing stream', async () => {
    const jsm = await nc.jetstreamManager();
    const again = await ensureEventsStream(jsm, def);
    expect(again.config.subjects).toEqual([`${root}.>`]);
    const changed = await ensureEventsStream(jsm, { ...def, duplicateWindowMs: 120_000 });
    expect(changed.config.duplicate_window).toBe(120_000 * 1_000_000);
    await ensureEventsStream(jsm, def);
  });

  it('tolerates several processes creating the stream at once', async () => {
    const jsm = await nc.jetstreamManager();
    const name = `T_RACE_${suffix}`;
    const racing = [60_000, 90_000, 120_000].map((duplicateWindowMs) =>
      ensureEventsStream(jsm, { ...def, name, subjects: [`${root}_race.>`], duplicateWindowMs }),
    );
    const infos = await Promise.all(racing);
    expect(infos.every((i) => i.config.name === name)).toBe(true);
    await jsm.streams.delete(name);
  });

  it('de-duplicates by Nats-Msg-Id', async () => {
    const e = event('mystery-dedup', 'Nothing', {});
    expect(await publish(e)).toBe(false);
    expect(await publish(e)).toBe(true);
  });
});

describe('event bus consume', () => {
  it('delivers typed project payloads and skips uncontracted subjects under the pattern', async () => {
    const bus = createEventBus({ nc, stream: def.name, subjectRoot: root });
    const seen: string[] = [];
    const created = event('project-a', 'ProjectCreated', {
      projectId: 'a',
      ownerId: 'owner-1',
      name: 'alpha',
      description: null,
      labels: {},
      quotas: { maxActiveSessions: null, maxActiveWorkflowRuns: null, maxRetainedStorageBytes: null },
      createdAt: new Date().toISOString(),
    });
    await publish(created);
    await publish(event('project-a', 'ProjectRenamedSomeday', { projectId: 'a' }));
    await publish(
      event('project-a', 'ProjectArchived', { projectId: 'a', archivedAt: new Date().toISOString() }),
    );
    await publish(event('session-x', 'SessionStarted', { sessionId: 'x' }));
    const consumer = await bus.consume(
      'bpane.projects.*',
      (envelope) => {
        switch (envelope.subject) {
          case 'bpane.projects.ProjectCreated':
            seen.push(`created:${envelope.data.name}`);
            break;
          case 'bpane.projects.ProjectUpdated':
            seen.push(`updated:${envelope.data.projectId}`);
            break;
          case 'bpane.projects.ProjectArchived':
            seen.push(`archived:${envelope.data.projectId}:${envelope.ownerId ?? ''}`);
            break;
          case 'bpane.projects.ProjectUnarchived':
            seen.push(`unarchived:${envelope.data.unarchivedAt}`);
            break;
        }
      },
      { durable: `projects-${suffix}` },
    );
    await until(() => consumer.stats.handled === 2 && consumer.stats.skipped === 1, 'two typed deliveries');
    await consumer.stop();
    expect(seen).toEqual(['created:alpha', 'archived:a:owner-1']);
  });

  it('redelivers a failing message a bounded number of times, then terminates it', async () => {
    const bus = createEventBus({ nc, stream: def.name, subjectRoot: root });
    const failures: ConsumerFailure[] = [];
    let attempts = 0;
    await publish(event('workflowRun-r1', 'WorkflowRunFailed', { runId: 'r1' }));
    const consumer = await bus.consume(
      'bpane.workflows.>',
      (envelope, ctx) => {
        attempts++;
        expect(envelope.data).toEqual({ runId: 'r1' });
        expect(ctx.deliveryCount).toBe(attempts);
        throw new Error('boom');
      },
      { durable: `wf-${suffix}`, maxDeliver: 3, backoffMs: [0], onFailure: (f) => failures.push(f) },
    );
    await until(() => consumer.stats.deadLettered === 1, 'dead letter');
    await consumer.stop();
    expect(attempts).toBe(3);
    expect(failures.map((f) => f.kind)).toEqual(['handler', 'handler', 'dead_letter']);
  });

  it('terminates messages that are not envelopes', async () => {
    const bus = createEventBus({ nc, stream: def.name, subjectRoot: root });
    const failures: ConsumerFailure[] = [];
    await js.publish(`${root}.recordings.Garbage`, new TextEncoder().encode('{"v":1}'));
    const consumer = await bus.consume('bpane.recordings.*', () => undefined, {
      durable: `rec-${suffix}`,
      onFailure: (f) => failures.push(f),
    });
    await until(() => consumer.stats.poison === 1, 'poison');
    await consumer.stop();
    expect(failures[0]?.error).toBeInstanceOf(ContractError);
  });

  it('resumes a durable after stop without re-delivering acked events', async () => {
    const bus = createEventBus({ nc, stream: def.name, subjectRoot: root });
    const got: string[] = [];
    const opts = { durable: `files-${suffix}` };
    await publish(event('fileWorkspace-1', 'FileAdded', { n: 1 }));
    let c = await bus.consume('bpane.files.*', (e) => void got.push(JSON.stringify(e.data['n'])), opts);
    await until(() => got.length === 1, 'first');
    await c.stop();
    await publish(event('fileWorkspace-1', 'FileAdded', { n: 2 }));
    c = await bus.consume('bpane.files.*', (e) => void got.push(JSON.stringify(e.data['n'])), opts);
    await until(() => got.length === 2, 'second');
    await c.stop();
    expect(got).toEqual(['1', '2']);
  });

  it('lets several instances of one worker start together and share the work', async () => {
    const bus = createEventBus({ nc, stream: def.name, subjectRoot: root });
    const got: string[] = [];
    const starts = [5_000, 6_000, 7_000].map((ackWaitMs) =>
      bus.consume('bpane.extensions.*', (e) => void got.push(e.eventId), {
        durable: `ext-${suffix}`,
        ackWaitMs,
      }),
    );
    const consumers = await Promise.all(starts);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const e = event('extension-1', 'ExtensionNoted', { i });
      ids.push(e.eventId);
      await publish(e);
    }
    await until(() => got.length >= 30, 'all deliveries');
    await Promise.all(consumers.map((c) => c.stop()));
    expect([...got].sort()).toEqual([...ids].sort());
  });

  it('rejects bad options with a typed error', async () => {
    const bus = createEventBus({ nc, stream: def.name, subjectRoot: root });
    await expect(bus.consume('other.>', () => undefined, { durable: 'x' })).rejects.toBeInstanceOf(
      MessagingError,
    );
    await expect(
      bus.consume('bpane.>', () => undefined, { durable: 'a.b', maxDeliver: 0 }),
    ).rejects.toMatchObject({
      code: 'invalid_consumer_options',
    });
  });
});
