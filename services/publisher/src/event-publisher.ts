import {
  encodeEnvelope,
  envelopeFromEvent,
  type EventsStreamDefinition,
  HEADERS,
  toWireSubject,
} from '@bpane/contracts';
import { type EventStore, type RecordedEvent } from '@bpane/event-store';
import { ensureEventsStream } from '@bpane/messaging';
import { headers, type JetStreamClient, type NatsConnection, type PubAck } from 'nats';
import { type CheckpointStore } from './checkpoint-store';
import { PublisherError } from './errors';
import { type Logger, silentLogger } from './logger';

export type EventPublisherOptions = Readonly<{
  store: EventStore;
  nc: NatsConnection;
  checkpoints: CheckpointStore;
  stream: EventsStreamDefinition;
  /** Publishes awaiting their JetStream ack at once (pipelining window; default 256). */
  maxInFlight?: number;
  /** How often the acknowledged position is written to PostgreSQL (default 200 ms). */
  checkpointIntervalMs?: number;
  /** How long one publish may wait for its ack (default 5 000 ms). */
  publishTimeoutMs?: number;
  /** First retry delay after a failure; doubles up to 30 s (default 500 ms). */
  retryDelayMs?: number;
  logger?: Logger;
}>;

export type PublisherStats = {
  published: number;
  duplicates: number;
  restarts: number;
  /** Highest position of the contiguous acknowledged prefix of the log. */
  ackedPosition: bigint;
  /** Position stored in `publisher.checkpoints`. */
  savedPosition: bigint;
};

type InFlight = {
  position: bigint;
  state: 'pending' | 'ok' | 'failed';
  error?: unknown;
  settled: Promise<void>;
};

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/**
 * Forwards every event of the global log to JetStream, in log order, at least once:
 * the message id is the event id (JetStream drops re-publishes inside the duplicate window) and
 * the checkpoint only ever moves to the end of the contiguous prefix of acknowledged publishes.
 * Publishes are pipelined (up to `maxInFlight` awaiting acks). Any failure — NATS, PostgreSQL,
 * a missing ack — restarts the pass from the saved checkpoint after a growing delay.
 */
export class EventPublisher {
  readonly stats: PublisherStats = {
    published: 0,
    duplicates: 0,
    restarts: 0,
    ackedPosition: 0n,
    savedPosition: 0n,
  };
  private readonly js: JetStreamClient;
  private readonly log: Logger;

  constructor(private readonly o: EventPublisherOptions) {
    this.js = o.nc.jetstream({ timeout: o.publishTimeoutMs ?? 5_000 });
    this.log = o.logger ?? silentLogger;
  }

  /** Runs until `signal` aborts; then finishes in-flight publishes and saves the checkpoint. */
  async run(signal: AbortSignal): Promise<void> {
    const base = this.o.retryDelayMs ?? 500;
    let delay = base;
    while (!signal.aborted) {
      try {
        await ensureEventsStream(await this.o.nc.jetstreamManager(), this.o.stream);
        const progressed = await this.pass(signal);
        delay = progressed ? base : delay;
      } catch (error) {
        if (signal.aborted) break;
        this.stats.restarts++;
        this.log.warn('publisher pass failed; restarting from the checkpoint', { error, retryInMs: delay });
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  private publish(event: RecordedEvent): Promise<PubAck> {
    const envelope = envelopeFromEvent(event);
    const h = headers();
    h.set(HEADERS.eventType, event.type);
    h.set(HEADERS.position, envelope.position);
    h.set(HEADERS.streamId, event.streamId);
    return this.js.publish(
      toWireSubject(envelope.subject, this.o.stream.subjectRoot),
      encodeEnvelope(envelope),
      {
        msgID: event.id,
        headers: h,
        expect: { streamName: this.o.stream.name },
      },
    );
  }

  /** One subscription from the checkpoint; returns whether anything was acknowledged. */
  private async pass(signal: AbortSignal): Promise<boolean> {
    const start = (await this.o.checkpoints.load()) ?? 0n;
    this.stats.ackedPosition = start;
    this.stats.savedPosition = start;
    const maxInFlight = this.o.maxInFlight ?? 256;
    const inner = new AbortController();
    const stopInner = (): void => inner.abort();
    signal.addEventListener('abort', stopInner);
    const inflight: InFlight[] = [];
    let failure: unknown = null;
    let saving: Promise<void> = Promise.resolve();
    let progressed = false;

    const settleHead = (): void => {
      while (inflight[0]?.state === 'ok') {
        this.stats.ackedPosition = inflight.shift()!.position;
        progressed = true;
      }
      const head = inflight[0];
      if (head?.state === 'failed' && failure === null) failure = head.error;
    };
    const saveCheckpoint = (): Promise<void> => {
      saving = saving.then(async () => {
        settleHead();
        const target = this.stats.ackedPosition;
        if (target <= this.stats.savedPosition) return;
        try {
          await this.o.checkpoints.save(target);
          this.stats.savedPosition = target;
        } catch (error) {
          failure ??= error;
          inner.abort();
        }
      });
      return saving;
    };
    const timer = setInterval(() => void saveCheckpoint(), this.o.checkpointIntervalMs ?? 200);

    const subscription = this.o.store.subscribeToAll({ after: start, signal: inner.signal });
    try {
      for await (const event of subscription) {
        if (failure !== null) break;
        const entry: InFlight = { position: event.position, state: 'pending', settled: Promise.resolve() };
        entry.settled = this.publish(event).then(
          (ack) => {
            entry.state = 'ok';
            this.stats.published++;
            if (ack.duplicate) this.stats.duplicates++;
          },
          (error: unknown) => {
            entry.state = 'failed';
            entry.error = new PublisherError(
              'publish_failed',
              `publish of event ${event.id} was not acknowledged`,
              {
                cause: error,
                details: { eventId: event.id, position: event.position.toString() },
              },
            );
            inner.abort();
          },
        );
        inflight.push(entry);
        if (inflight.length >= maxInFlight) await inflight[0]!.settled;
        settleHead();
      }
    } catch (error) {
      if (!inner.signal.aborted) failure ??= error;
    } finally {
      clearInterval(timer);
      signal.removeEventListener('abort', stopInner);
      inner.abort();
      await subscription.close().catch(() => undefined);
      await Promise.all(inflight.map((e) => e.settled));
      await saveCheckpoint();
    }
    if (failure !== null) {
      throw failure instanceof Error
        ? failure
        : new PublisherError('publish_failed', 'publisher pass failed', { cause: failure });
    }
    return progressed;
  }
}
