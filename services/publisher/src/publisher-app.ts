import { eventsStreamDefinition } from '@bpane/contracts';
import { createEventStore } from '@bpane/event-store';
import { connectNats } from '@bpane/messaging';
import pg from 'pg';
import { CheckpointStore } from './checkpoint-store';
import { type PublisherConfig } from './config';
import { EventPublisher } from './event-publisher';
import { type Logger } from './logger';

export type PublisherApp = Readonly<{
  publisher: EventPublisher;
  /** Resolves when the publisher has stopped (after `stop()`). */
  done: Promise<void>;
  stop: () => Promise<void>;
}>;

/**
 * Wires the publisher from its config: event store, checkpoint table, NATS, the events stream,
 * then waits for the leader lock and runs until stopped.
 */
export const startPublisher = async (config: PublisherConfig, logger: Logger): Promise<PublisherApp> => {
  const stream = eventsStreamDefinition({
    name: config.stream,
    subjectRoot: config.subjectRoot,
    duplicateWindowMs: config.duplicateWindowMs,
  });
  const store = await createEventStore(config.eventStore);
  const pool = new pg.Pool({
    connectionString: config.pgUrl,
    max: 2,
    application_name: `bpane-publisher:${config.name}`,
  });
  pool.on('error', (error) => logger.warn('checkpoint pool connection error', { error }));
  const checkpoints = new CheckpointStore(pool, config.name, config.checkpointSchema);
  const nc = await connectNats({ url: config.natsUrl, name: `bpane-publisher:${config.name}` });
  const publisher = new EventPublisher({
    store,
    nc,
    checkpoints,
    stream,
    maxInFlight: config.maxInFlight,
    checkpointIntervalMs: config.checkpointIntervalMs,
    publishTimeoutMs: config.publishTimeoutMs,
    logger,
  });
  const abort = new AbortController();
  const done = (async () => {
    try {
      await checkpoints.migrate();
      logger.info('waiting for the publisher leader lock', { name: config.name });
      if (await checkpoints.acquireLeadership(config.pgUrl, abort.signal)) {
        logger.info('publishing', {
          stream: stream.name,
          subjects: stream.subjects,
          from: (await checkpoints.load())?.toString() ?? '0',
        });
        await publisher.run(abort.signal);
      }
    } finally {
      await checkpoints.releaseLeadership();
      await nc.drain().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await store.close().catch(() => undefined);
      logger.info('publisher stopped', {
        published: publisher.stats.published,
        duplicates: publisher.stats.duplicates,
        checkpoint: publisher.stats.savedPosition.toString(),
      });
    }
  })();
  return {
    publisher,
    done,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
};
