export * from './types';
export * from './errors';
export * from './config';
export { createEventStore } from './create-event-store';
export { waitForPosition, type WaitForPositionOptions } from './wait-for-position';
export { MAX_EVENTS_PER_APPEND, MAX_EVENT_TYPE_LENGTH, MAX_STREAM_ID_LENGTH, isUuid } from './validation';
export {
  PostgresEventStore,
  createPostgresEventStore,
  postgresEventStoreDefaults,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store';
export { runMigrations, type MigrationReport } from './postgres/migration-runner';
