import { eventsStreamDefinition, type EventEnvelope } from '@bpane/contracts';
import { handleCommand } from '@bpane/ddd';
import {
  nextRetryDelayMs,
  redactEventData,
  subjectMatchesAny,
  webhookDeliveryId,
  webhookHeaders,
  webhookSubscriptionDecider,
  webhookSubscriptionStreamId,
  webhookSubscriptionUpcasters,
  WEBHOOK_MAX_ATTEMPTS,
} from '@bpane/domain-webhooks';
import { createEventStore, type EventStore } from '@bpane/event-store';
import { connectNats, createEventBus, ensureEventsStream, type EventConsumer } from '@bpane/messaging';
import {
  activeWebhookTargets,
  cancelDelivery,
  ensureWebhookDeliveryLog,
  getDelivery,
  ProjectionPositions,
  ReadModelDatabase,
  readModelEntities,
  recordDeliveryAttempt,
  upsertDelivery,
  webhookTargetById,
} from '@bpane/read-models';
import { loadSecretKey, type SecretKey } from '@bpane/secrets';
import { UnrecoverableError, type Job } from 'bullmq';
import type { NatsConnection } from 'nats';
import type { DispatcherConfig } from './config';
import { deliverOnce } from './http-delivery';
import type { Logger } from './logger';
import { RetryLater, TargetQueues, targetOf, type DeliveryJobData } from './target-queues';

export type WebhookDispatcherOptions = Readonly<{
  config: DispatcherConfig;
  logger: Logger;
  /** Randomness for jitter (default Math.random). */
  random?: () => number;
}>;

/** The JSON body of a delivery (also stored in the delivery log, so every attempt sends the same bytes). */
export const deliveryBody = (e: EventEnvelope): string =>
  JSON.stringify({
    type: e.subject,
    timestamp: e.occurredAt,
    data: {
      event_id: e.eventId,
      event_type: e.type,
      stream_id: e.streamId,
      revision: e.revision,
      position: e.position,
      correlation_id: e.correlationId,
      actor: e.actor,
      payload: redactEventData(e.data),
    },
  });

const SUBSCRIPTIONS_PROJECTION = 'webhook_subscriptions';
/** How long an event waits for the subscriptions read model to reach it before it is retried. */
const PROJECTION_WAIT_MS = 10_000;

/**
 * Consumes every event from JetStream (one durable consumer shared by all instances), matches the
 * owner's active subscriptions and queues one delivery per (subscription, event); per-target BullMQ
 * workers deliver, retry on the schedule and keep the delivery log.
 */
export class WebhookDispatcher {
  readonly #config: DispatcherConfig;
  readonly #log: Logger;
  readonly #random: () => number;
  #db: ReadModelDatabase | undefined;
  #positions: ProjectionPositions | undefined;
  #store: EventStore | undefined;
  #nc: NatsConnection | undefined;
  #consumer: EventConsumer | undefined;
  #queues: TargetQueues | undefined;
  #key: SecretKey | undefined;

  constructor(options: WebhookDispatcherOptions) {
    this.#config = options.config;
    this.#log = options.logger;
    this.#random = options.random ?? Math.random;
  }

  async start(): Promise<void> {
    const c = this.#config;
    this.#key = loadSecretKey({ keyBase64: c.secretKey, keyFile: c.secretKeyFile });
    const url = c.readModelPgUrl ?? c.pgUrl;
    this.#db = await ReadModelDatabase.connect({
      url,
      entities: readModelEntities,
      applicationName: 'bpane-webhook-dispatcher',
    });
    await ensureWebhookDeliveryLog(this.#db);
    this.#positions = new ProjectionPositions({ url, pollIntervalMs: 100 });
    this.#store = await createEventStore(c.eventStore);
    this.#queues = new TargetQueues({
      redisUrl: c.redisUrl,
      prefix: c.queuePrefix,
      concurrencyPerTarget: c.concurrencyPerTarget,
      discoveryIntervalMs: c.discoveryIntervalMs,
      maxAttempts: WEBHOOK_MAX_ATTEMPTS,
      process: (job) =>
        this.deliver(job).catch((error: unknown) => {
          if (!(error instanceof RetryLater) && !(error instanceof UnrecoverableError))
            this.#log.error('delivery attempt could not run', { deliveryId: job.data.deliveryId, error });
          throw error;
        }),
      fallbackDelayMs: (attemptsMade) =>
        nextRetryDelayMs({ attemptsMade, scale: c.retryScale, random: this.#random() }) ?? 0,
      onError: (message, error) => this.#log.warn(message, { error }),
    });
    await this.#queues.start();
    this.#nc = await connectNats({ url: c.natsUrl, name: 'bpane-webhook-dispatcher' });
    const stream = eventsStreamDefinition({ name: c.stream, subjectRoot: c.subjectRoot });
    await ensureEventsStream(await this.#nc.jetstreamManager(), stream);
    const bus = createEventBus({ nc: this.#nc, stream: stream.name, subjectRoot: stream.subjectRoot });
    this.#consumer = await bus.consume('bpane.>', (envelope) => this.fanOut(envelope), {
      durable: c.durable,
      // A fan-out fails while the database or the projector is unavailable; keep trying for about
      // an hour before JetStream gives the event up (logged as an error: its webhooks are lost).
      maxDeliver: 120,
      backoffMs: [500, 2_000, 10_000, 30_000],
      onFailure: (f) =>
        (f.kind === 'dead_letter' || f.kind === 'poison' ? this.#log.error : this.#log.warn)(
          'event not fanned out',
          { kind: f.kind, eventId: f.eventId, subject: f.subject, error: f.error },
        ),
    });
    this.#log.info('dispatching webhooks', {
      stream: stream.name,
      durable: c.durable,
      retryScale: c.retryScale,
    });
  }

  /** Queues the deliveries of one event. Throwing makes JetStream deliver the event again. */
  private async fanOut(e: EventEnvelope): Promise<void> {
    const db = this.#db!;
    // Owner scoping: an event is only ever matched against its own owner's subscriptions.
    if (e.ownerId === null) return;
    const position = BigInt(e.position);
    // Every subscription created before this event must be in the read model before matching.
    if (!(await this.#positions!.waitForPosition(position, PROJECTION_WAIT_MS, [SUBSCRIPTIONS_PROJECTION])))
      throw new Error(`subscriptions read model has not reached position ${position}`);
    const targets = await activeWebhookTargets(db, { ownerId: e.ownerId, before: position });
    for (const t of targets) {
      if (t.ownerId !== e.ownerId || !subjectMatchesAny(t.eventTypes, e.subject)) continue;
      const id = webhookDeliveryId(t.id, e.eventId);
      const record = await upsertDelivery(db, {
        id,
        subscriptionId: t.id,
        ownerId: t.ownerId,
        eventId: e.eventId,
        eventType: e.type,
        position,
        body: deliveryBody(e),
      });
      if (record.state === 'pending') await this.#queues!.enqueue(targetOf(t.url), id);
    }
  }

  /** One attempt of one delivery (a BullMQ job run). */
  private async deliver(job: Job<DeliveryJobData>): Promise<void> {
    const db = this.#db!;
    const c = this.#config;
    const d = await getDelivery(db, job.data.deliveryId);
    if (d === null || d.state !== 'pending') return;
    const t = await webhookTargetById(db, d.subscriptionId);
    if (t === null || t.state !== 'active' || t.ownerId !== d.ownerId) {
      await cancelDelivery(db, d.id);
      return;
    }
    const attempt = job.attemptsMade + 1;
    const startedAt = new Date();
    const secret = this.#key!.decrypt(t.secretCiphertext, t.id);
    const res = await deliverOnce({
      url: t.url,
      headers: webhookHeaders({
        secret,
        id: d.id,
        timestampSec: Math.floor(startedAt.getTime() / 1000),
        body: d.body,
      }),
      body: d.body,
      timeoutMs: c.timeoutMs,
      policy: { allowPrivate: c.allowPrivateTargets },
    });
    const entry = {
      attempt,
      startedAt: startedAt.toISOString(),
      durationMs: res.durationMs,
      statusCode: res.statusCode,
      error: res.error,
    };
    const ok = res.statusCode !== null && res.statusCode >= 200 && res.statusCode < 300;
    if (ok) {
      await recordDeliveryAttempt(db, d.id, { attempt: entry, state: 'delivered', nextAttemptAt: null });
      return;
    }
    if (res.statusCode === 410) {
      await recordDeliveryAttempt(db, d.id, { attempt: entry, state: 'failed', nextAttemptAt: null });
      await this.disable(t.id, t.ownerId, d.id, 'the receiver answered 410 Gone');
      throw new UnrecoverableError('receiver answered 410 Gone; subscription disabled');
    }
    const delay = nextRetryDelayMs({
      attemptsMade: attempt,
      scale: c.retryScale,
      random: this.#random(),
      retryAfterSec: res.retryAfterSec,
    });
    const why = res.error ?? `receiver answered ${res.statusCode}`;
    this.#log.info('delivery attempt failed', { deliveryId: d.id, subscriptionId: t.id, attempt, why });
    if (delay === undefined || attempt >= WEBHOOK_MAX_ATTEMPTS) {
      await recordDeliveryAttempt(db, d.id, { attempt: entry, state: 'failed', nextAttemptAt: null });
      throw new UnrecoverableError(`${why}; retry schedule exhausted`);
    }
    await recordDeliveryAttempt(db, d.id, {
      attempt: entry,
      state: 'pending',
      nextAttemptAt: new Date(Date.now() + delay),
    });
    throw new RetryLater(why, delay);
  }

  /** Records `WebhookSubscriptionDisabled` as the system, on the owner's behalf. */
  private async disable(
    subscriptionId: string,
    ownerId: string,
    deliveryId: string,
    reason: string,
  ): Promise<void> {
    await handleCommand(this.#store!, {
      streamId: webhookSubscriptionStreamId(subscriptionId),
      decider: webhookSubscriptionDecider,
      upcasters: webhookSubscriptionUpcasters,
      command: {
        type: 'DisableWebhookSubscription',
        data: { subscriptionId, reason },
        metadata: {
          now: new Date().toISOString(),
          actor: { kind: 'system', id: 'webhook-dispatcher' },
          correlationId: deliveryId,
          causationId: null,
          ownerId,
        },
      },
    });
    this.#log.info('subscription disabled', { subscriptionId, reason });
  }

  async stop(): Promise<void> {
    await this.#consumer?.stop().catch(() => undefined);
    await this.#queues?.close();
    await this.#nc?.drain().catch(() => undefined);
    await this.#positions?.close().catch(() => undefined);
    await this.#store?.close().catch(() => undefined);
    await this.#db?.close().catch(() => undefined);
  }
}
