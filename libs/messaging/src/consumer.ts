import {
  assertSubjectPattern,
  ContractError,
  DEFAULT_SUBJECT_ROOT,
  decodeEnvelope,
  type EventEnvelope,
  isKnownSubject,
  KNOWN_SUBJECTS,
  type KnownEnvelope,
  type SubjectsMatching,
  subjectMatches,
  toCanonicalSubject,
  toWireSubject,
} from '@bpane/contracts';
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  nanos,
} from 'nats';
import { MessagingError } from './errors';

/**
 * The envelope a handler receives for a subject pattern: the typed union of the known subjects it
 * matches (`'bpane.projects.*'` → ProjectCreated | ProjectUpdated | ProjectArchived), or the
 * untyped envelope when the pattern matches no contract yet.
 */
export type EnvelopeFor<P extends string> = [SubjectsMatching<P>] extends [never]
  ? EventEnvelope
  : KnownEnvelope<SubjectsMatching<P>>;

export type DeliveryContext = Readonly<{
  /** 1 on the first delivery. */
  deliveryCount: number;
  redelivered: boolean;
  /** The JetStream stream sequence of the message. */
  streamSequence: number;
  /** Tells the server the handler is still working (resets the ack timer). */
  working: () => void;
}>;

export type EventHandler<P extends string> = (
  envelope: EnvelopeFor<P>,
  context: DeliveryContext,
) => void | Promise<void>;

export type ConsumerFailure = Readonly<{
  /**
   * `handler`: the handler threw and the message will be delivered again;
   * `dead_letter`: the handler threw on the last allowed delivery, the message is terminated;
   * `poison`: the message is not a valid envelope, it is terminated at once;
   * `subscription`: pulling from JetStream failed (the consumer stops).
   */
  kind: 'handler' | 'dead_letter' | 'poison' | 'subscription';
  error: unknown;
  subject: string;
  eventId: string | null;
  deliveryCount: number;
}>;

export type ConsumeOptions = Readonly<{
  /** Durable consumer name: one per worker kind; instances with the same name share the work. */
  durable: string;
  /** Deliveries before a failing message is terminated (default 5). */
  maxDeliver?: number;
  /** How long the server waits for an ack before redelivering (default 30 000 ms). */
  ackWaitMs?: number;
  /** Delay before redelivery after the n-th failure; the last entry repeats (default 1 s, 5 s, 30 s). */
  backoffMs?: readonly number[];
  /** Where a new durable starts: every retained event (`all`, default) or only new ones. */
  deliverFrom?: 'all' | 'new';
  /** Messages pulled per request (default 64). */
  batchSize?: number;
  /** Called on every failure (default: nothing; the consumer keeps going). */
  onFailure?: (failure: ConsumerFailure) => void;
}>;

export type ConsumerStats = {
  handled: number;
  failed: number;
  deadLettered: number;
  poison: number;
  skipped: number;
};

export interface EventConsumer {
  readonly durable: string;
  readonly stats: Readonly<ConsumerStats>;
  /** Resolves when the consumer has stopped (after `stop()` or a subscription failure). */
  readonly done: Promise<void>;
  /** Stops pulling, lets the running handler finish, hands unprocessed messages back. */
  stop(): Promise<void>;
}

export type EventBusOptions = Readonly<{
  nc: NatsConnection;
  /** JetStream stream that carries the events (default `BPANE_EVENTS`). */
  stream: string;
  /** Subject root on the wire (default `bpane`; tests use their own). */
  subjectRoot?: string;
}>;

export interface EventBus {
  consume<const P extends string>(
    pattern: P,
    handler: EventHandler<P>,
    options: ConsumeOptions,
  ): Promise<EventConsumer>;
}

const DURABLE = /^[A-Za-z0-9_-]{1,128}$/;

const validate = (pattern: string, o: ConsumeOptions): void => {
  const problems: string[] = [];
  try {
    assertSubjectPattern(pattern);
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (!DURABLE.test(o.durable)) problems.push(`durable "${o.durable}" must match ${DURABLE.source}`);
  const positive = (name: string, v: number | undefined): void => {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 1))
      problems.push(`${name} must be a positive integer`);
  };
  positive('maxDeliver', o.maxDeliver);
  positive('ackWaitMs', o.ackWaitMs);
  positive('batchSize', o.batchSize);
  if (o.backoffMs?.some((d) => !Number.isSafeInteger(d) || d < 0))
    problems.push('backoffMs must be non-negative integers');
  if (problems.length > 0) {
    throw new MessagingError('invalid_consumer_options', `invalid consumer options: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
};

const ensureDurable = async (
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> => {
  try {
    let exists = true;
    try {
      await jsm.consumers.info(stream, config.durable_name);
    } catch (e) {
      if (!(e instanceof Error && /consumer not found/i.test(e.message))) throw e;
      exists = false;
    }
    if (!exists) {
      try {
        await jsm.consumers.add(stream, config);
        return;
      } catch (e) {
        // Another instance of the same worker created it in between: update it like an existing one.
        if (!(e instanceof Error && /already (exists|in use)/i.test(e.message))) throw e;
      }
    }
    await jsm.consumers.update(stream, config.durable_name, {
      filter_subject: config.filter_subject,
      max_deliver: config.max_deliver,
      ack_wait: config.ack_wait,
      max_ack_pending: config.max_ack_pending,
    });
  } catch (cause) {
    throw new MessagingError(
      'consumer_setup_failed',
      `cannot create durable consumer ${config.durable_name}`,
      {
        cause,
        details: { stream, durable: config.durable_name },
      },
    );
  }
};

/** Typed durable pull consumers over the events stream (explicit acks, bounded redelivery). */
export const createEventBus = (options: EventBusOptions): EventBus => {
  const root = options.subjectRoot ?? DEFAULT_SUBJECT_ROOT;
  return {
    async consume(pattern, handler, o) {
      validate(pattern, o);
      const jsm = await options.nc.jetstreamManager();
      const js: JetStreamClient = options.nc.jetstream();
      const maxDeliver = o.maxDeliver ?? 5;
      const backoff = o.backoffMs ?? [1_000, 5_000, 30_000];
      const batch = o.batchSize ?? 64;
      await ensureDurable(jsm, options.stream, {
        durable_name: o.durable,
        filter_subject: toWireSubject(pattern, root),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: o.deliverFrom === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
        max_deliver: maxDeliver,
        ack_wait: nanos(o.ackWaitMs ?? 30_000),
        max_ack_pending: Math.max(1_000, batch * 4),
      });
      const consumer = await js.consumers.get(options.stream, o.durable);
      const messages: ConsumerMessages = await consumer.consume({ max_messages: batch });
      // A pattern with contracts delivers only contracted subjects (others are acked and counted).
      const typed = KNOWN_SUBJECTS.some((s) => subjectMatches(pattern, s));
      const stats: ConsumerStats = { handled: 0, failed: 0, deadLettered: 0, poison: 0, skipped: 0 };
      let stopping = false;
      const report = (f: ConsumerFailure): void => {
        try {
          o.onFailure?.(f);
        } catch {
          // a failing observer must not stop the consumer
        }
      };

      const handleOne = async (m: JsMsg): Promise<void> => {
        const deliveryCount = m.info.deliveryCount;
        let envelope: EventEnvelope;
        try {
          envelope = decodeEnvelope(m.data);
          const canonical = toCanonicalSubject(m.subject, root);
          if (canonical !== envelope.subject) {
            throw new ContractError(
              'invalid_envelope',
              `envelope subject ${envelope.subject} does not match message subject ${canonical}`,
            );
          }
        } catch (error) {
          stats.poison++;
          m.term(error instanceof Error ? error.message.slice(0, 200) : 'invalid envelope');
          report({
            kind: 'poison',
            error,
            subject: m.subject,
            eventId: m.headers?.get('Nats-Msg-Id') ?? null,
            deliveryCount,
          });
          return;
        }
        if (typed && !isKnownSubject(envelope.subject)) {
          stats.skipped++;
          m.ack();
          return;
        }
        try {
          await handler(envelope as EnvelopeFor<typeof pattern>, {
            deliveryCount,
            redelivered: m.redelivered,
            streamSequence: m.seq,
            working: () => m.working(),
          });
          stats.handled++;
          m.ack();
        } catch (error) {
          if (deliveryCount >= maxDeliver) {
            stats.deadLettered++;
            m.term(`handler failed ${deliveryCount} times`);
            report({
              kind: 'dead_letter',
              error,
              subject: envelope.subject,
              eventId: envelope.eventId,
              deliveryCount,
            });
          } else {
            stats.failed++;
            const delay =
              backoff.length === 0 ? 0 : (backoff[Math.min(deliveryCount, backoff.length) - 1] ?? 0);
            m.nak(delay);
            report({
              kind: 'handler',
              error,
              subject: envelope.subject,
              eventId: envelope.eventId,
              deliveryCount,
            });
          }
        }
      };

      const done = (async () => {
        try {
          for await (const m of messages) {
            if (stopping) {
              m.nak();
              continue;
            }
            await handleOne(m);
          }
        } catch (error) {
          report({ kind: 'subscription', error, subject: pattern, eventId: null, deliveryCount: 0 });
        } finally {
          if (!options.nc.isClosed()) await options.nc.flush().catch(() => undefined);
        }
      })();

      return {
        durable: o.durable,
        stats,
        done,
        async stop() {
          if (!stopping) {
            stopping = true;
            await messages.close();
          }
          await done;
        },
      };
    },
  };
};
