import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand, type CommandMetadata } from '@bpane/ddd';
import {
  webhookDeliveryId,
  webhookSubscriptionDecider,
  webhookSubscriptionStreamId,
  type WebhookSubscriptionCommand,
} from '@bpane/domain-webhooks';
import { createPostgresEventStore, type EventStore } from '@bpane/event-store';
// eslint-disable-next-line @nx/enforce-module-boundaries -- throw-away databases are a test helper
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import { defaultProjections, readModelEntities } from '../catalogue';
import { ReadModelDatabase } from '../database';
import { ProjectionPositions } from '../positions';
import { Projector } from '../projector';
import {
  cancelDelivery,
  ensureWebhookDeliveryLog,
  getDelivery,
  listDeliveries,
  recordDeliveryAttempt,
  upsertDelivery,
} from './delivery-log';
import {
  activeWebhookTargets,
  getWebhookSubscription,
  listWebhookSubscriptions,
  webhookTargetById,
} from './webhook-subscriptions.queries';

let tdb: TestDatabase;
let store: EventStore;
let db: ReadModelDatabase;
let projector: Projector;
let positions: ProjectionPositions;

beforeAll(async () => {
  tdb = await createTestDatabase('bpane_rmwh');
  store = await createPostgresEventStore({ connectionString: tdb.url });
  db = await ReadModelDatabase.connect({ url: tdb.url, entities: readModelEntities });
  projector = new Projector({ store, db, projections: defaultProjections() });
  await projector.start();
  positions = new ProjectionPositions({ url: tdb.url });
  await ensureWebhookDeliveryLog(db);
  await ensureWebhookDeliveryLog(db);
});

afterAll(async () => {
  await projector?.stop();
  await positions?.close();
  await db?.close();
  await store?.close();
  await tdb?.drop();
});

const meta = (owner: string, kind: 'user' | 'system' = 'user'): CommandMetadata => ({
  now: new Date().toISOString(),
  actor: { kind, id: kind === 'system' ? 'webhook-dispatcher' : owner },
  correlationId: randomUUID(),
  causationId: null,
  ownerId: owner,
});

const exec = async (command: WebhookSubscriptionCommand): Promise<bigint> => {
  const r = await handleCommand(store, {
    streamId: webhookSubscriptionStreamId(command.data.subscriptionId),
    decider: webhookSubscriptionDecider,
    command,
  });
  expect(r.position).not.toBeNull();
  expect(await positions.waitForPosition(r.position!, 10_000, ['webhook_subscriptions'])).toBe(true);
  return r.position!;
};

const create = (id: string, owner: string): WebhookSubscriptionCommand => ({
  type: 'CreateWebhookSubscription',
  data: {
    subscriptionId: id,
    url: 'https://hooks.example.com/x',
    eventTypes: ['bpane.projects.*'],
    secretCiphertext: 'v1.n.c.t',
  },
  metadata: meta(owner),
});

describe('webhook_subscriptions read model', () => {
  it('projects create, disable and delete, owner-scoped, with the creating position', async () => {
    const id = randomUUID();
    const at = await exec(create(id, 'alice'));
    expect(await getWebhookSubscription(db, { id, ownerId: 'bob' })).toBeNull();
    expect(await getWebhookSubscription(db, { id, ownerId: 'alice' })).toMatchObject({
      id,
      state: 'active',
      eventTypes: ['bpane.projects.*'],
    });
    const listed = await listWebhookSubscriptions(db, { ownerId: 'alice' });
    expect(Object.keys(listed.items[0] ?? {})).not.toContain('secretCiphertext');
    expect(listed.items.map((s) => s.id)).toEqual([id]);
    expect((await activeWebhookTargets(db, { ownerId: 'alice', before: at })).map((t) => t.id)).not.toContain(
      id,
    );
    const targets = await activeWebhookTargets(db, { ownerId: 'alice', before: at + 1n });
    expect(targets.find((t) => t.id === id)).toMatchObject({
      createdPosition: at,
      secretCiphertext: 'v1.n.c.t',
    });
    expect(await activeWebhookTargets(db, { ownerId: 'bob', before: at + 1n })).toEqual([]);

    await exec({
      type: 'DisableWebhookSubscription',
      data: { subscriptionId: id, reason: 'gone' },
      metadata: meta('alice', 'system'),
    });
    expect(await getWebhookSubscription(db, { id, ownerId: 'alice' })).toMatchObject({
      state: 'disabled',
      disabledReason: 'gone',
    });
    expect(
      (await activeWebhookTargets(db, { ownerId: 'alice', before: 1n << 62n })).map((t) => t.id),
    ).not.toContain(id);

    await exec({ type: 'DeleteWebhookSubscription', data: { subscriptionId: id }, metadata: meta('alice') });
    expect(await getWebhookSubscription(db, { id, ownerId: 'alice' })).toBeNull();
    expect((await webhookTargetById(db, id))?.state).toBe('deleted');
    expect((await listWebhookSubscriptions(db, { ownerId: 'alice' })).items.map((s) => s.id)).not.toContain(
      id,
    );
    await expect(listWebhookSubscriptions(db, { ownerId: 'alice', limit: 0 })).rejects.toMatchObject({
      code: 'invalid_query',
    });
  });
});

describe('webhook delivery log', () => {
  it('stores a delivery once, logs each attempt once and never reopens a finished delivery', async () => {
    const sub = randomUUID();
    const event = randomUUID();
    const id = webhookDeliveryId(sub, event);
    const d = {
      id,
      subscriptionId: sub,
      ownerId: 'alice',
      eventId: event,
      eventType: 'ProjectCreated',
      position: 42n,
      body: '{}',
    };
    expect((await upsertDelivery(db, d)).state).toBe('pending');
    expect((await upsertDelivery(db, { ...d, body: '{"other":1}' })).body).toBe('{}');
    const attempt = (n: number, status: number | null) => ({
      attempt: n,
      startedAt: new Date().toISOString(),
      durationMs: 5,
      statusCode: status,
      error: status === null ? 'ECONNREFUSED' : null,
    });
    const next = new Date(Date.now() + 60_000);
    await recordDeliveryAttempt(db, id, { attempt: attempt(1, null), state: 'pending', nextAttemptAt: next });
    await recordDeliveryAttempt(db, id, { attempt: attempt(1, null), state: 'pending', nextAttemptAt: next });
    expect((await getDelivery(db, id))?.attempts).toHaveLength(1);
    await recordDeliveryAttempt(db, id, {
      attempt: attempt(2, 200),
      state: 'delivered',
      nextAttemptAt: null,
    });
    await recordDeliveryAttempt(db, id, { attempt: attempt(3, 500), state: 'pending', nextAttemptAt: next });
    await cancelDelivery(db, id);
    const final = await getDelivery(db, id);
    expect(final).toMatchObject({ state: 'delivered', nextAttemptAt: null });
    expect(final?.attempts.map((a) => a.statusCode)).toEqual([null, 200]);
    expect(final?.finishedAt).not.toBeNull();
    const page = await listDeliveries(db, { subscriptionId: sub, ownerId: 'alice', limit: 10, offset: 0 });
    expect(page.total).toBe(1);
    expect(
      (await listDeliveries(db, { subscriptionId: sub, ownerId: 'bob', limit: 10, offset: 0 })).total,
    ).toBe(0);
  });
});
