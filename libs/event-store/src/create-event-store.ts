import type { EventStoreConfig } from './config';
import { createPostgresEventStore } from './postgres/postgres-event-store';
import type { EventStore } from './types';

/**
 * Creates the configured adapter. The EventStoreDB client (gRPC) is loaded only when it is used.
 * Throws `StoreUnavailableError` when the store cannot be reached in bounded time.
 */
export const createEventStore = async (config: EventStoreConfig): Promise<EventStore> => {
  switch (config.kind) {
    case 'postgres':
      return createPostgresEventStore({
        connectionString: config.connectionString,
        schema: config.schema,
        poolSize: config.poolSize,
      });
    case 'eventstoredb': {
      const { createEventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store');
      return createEventStoreDbEventStore(config);
    }
  }
};
