import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eventsStreamDefinition, KNOWN_SUBJECTS, type KnownEnvelope } from '@bpane/contracts';
import { handleCommand } from '@bpane/ddd';
import {
  projectDecider,
  projectEventTypes,
  projectStreamId,
  type CreateProject,
} from '@bpane/domain-projects';
import { createPostgresEventStore, type EventStore } from '@bpane/event-store';
import { connectNats, createEventBus, ensureEventsStream, type EventConsumer } from '@bpane/messaging';
import { getProject, ProjectionPositions, ReadModelDatabase, readModelEntities } from '@bpane/read-models';
import { createTestDatabase, testServices, uniqueSuffix, type TestDatabase } from '@bpane/testing';
import { type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The whole write path of the control plane, each part in its own process where it runs in
 * production: a CreateProject command through the command pipeline → PostgreSQL event store →
 * projector service → projects read model, and → publisher service → JetStream → a typed durable
 * consumer receiving `bpane.projects.ProjectCreated`.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const suffix = uniqueSuffix();
const stream = eventsStreamDefinition({
  name: `T_E2E_${suffix}`,
  subjectRoot: `bpane_e2e${suffix}`,
  storage: 'memory',
});
let db: TestDatabase;
let store: EventStore;
let nc: NatsConnection;
let readModels: ReadModelDatabase;
let positions: ProjectionPositions;
const children: ChildProcess[] = [];

const startService = (name: 'projector' | 'publisher'): ChildProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: repoRoot,
    env: {
      ...process.env,
      BPANE_PG_URL: db.url,
      BPANE_NATS_URL: testServices.natsUrl,
      BPANE_EVENTS_STREAM: stream.name,
      BPANE_SUBJECT_ROOT: stream.subjectRoot,
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  children.push(child);
  return child;
};

beforeAll(async () => {
  db = await createTestDatabase('bpane_e2e_flow');
  store = await createPostgresEventStore({ connectionString: db.url });
  nc = await connectNats({ url: testServices.natsUrl, name: 'projects-flow-e2e' });
  await ensureEventsStream(await nc.jetstreamManager(), stream);
  startService('projector');
  startService('publisher');
  readModels = await ReadModelDatabase.connect({ url: db.url, entities: readModelEntities, poolSize: 2 });
  positions = new ProjectionPositions({ url: db.url, pollIntervalMs: 200 });
});

afterAll(async () => {
  const exits = children.map(
    (c) => new Promise((resolve) => (c.exitCode !== null ? resolve(c.exitCode) : c.on('exit', resolve))),
  );
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(exits);
  await positions.close();
  await readModels.dataSource.destroy();
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(stream.name).catch(() => undefined);
  await nc.close();
  await store.close();
  await db.drop();
});

describe('projects write path', () => {
  it('every project event type has an integration contract', () => {
    for (const type of projectEventTypes) expect(KNOWN_SUBJECTS).toContain(`bpane.projects.${type}`);
  });

  it('CreateProject reaches the read model and a typed NATS consumer', async () => {
    const received: KnownEnvelope<'bpane.projects.ProjectCreated'>[] = [];
    const bus = createEventBus({ nc, stream: stream.name, subjectRoot: stream.subjectRoot });
    const consumer: EventConsumer = await bus.consume(
      'bpane.projects.*',
      (envelope) => {
        if (envelope.subject === 'bpane.projects.ProjectCreated') received.push(envelope);
      },
      { durable: `e2e_${suffix}` },
    );

    const projectId = randomUUID();
    const correlationId = randomUUID();
    const command: CreateProject = {
      type: 'CreateProject',
      data: {
        projectId,
        name: 'support-tenant',
        labels: { team: 'support' },
        quotas: { maxActiveSessions: 5 },
      },
      metadata: { now: new Date().toISOString(), actor: { kind: 'user', id: 'alice' }, correlationId },
    };
    const result = await handleCommand(store, {
      streamId: projectStreamId(projectId),
      decider: projectDecider,
      command,
    });
    const position = result.position!;

    // read model: visible once the projector has passed the write's position
    expect(await positions.waitForPosition(position, 60_000)).toBe(true);
    const view = await getProject(readModels, { id: projectId, ownerId: 'alice' });
    expect(view).toMatchObject({
      id: projectId,
      name: 'support-tenant',
      state: 'active',
      labels: { team: 'support' },
    });
    expect(view?.position).toBe(position);

    // bus: the publisher forwarded the event; the consumer got a typed, validated payload
    const t0 = Date.now();
    while (received.length === 0 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50));
    await consumer.stop();
    expect(received).toHaveLength(1);
    const envelope = received[0]!;
    expect(envelope).toMatchObject({
      subject: 'bpane.projects.ProjectCreated',
      type: 'ProjectCreated',
      eventId: result.events[0]!.id,
      streamId: projectStreamId(projectId),
      revision: '0',
      position: position.toString(),
      ownerId: 'alice',
      correlationId,
      actor: { kind: 'user', id: 'alice' },
    });
    expect(envelope.data.quotas.maxActiveSessions).toBe(5);
    expect(envelope.data.name).toBe('support-tenant');
  });
});
