import { isBpaneError } from '@bpane/errors';
import { createEventStore, eventStoreConfigFromEnv, type EventStore } from '@bpane/event-store';
import pg from 'pg';
import { CliError } from './errors';
import { type ResolvedSettings } from './settings';

/** The event store the settings point at (closed by the caller). */
export const openEventStore = async (settings: ResolvedSettings): Promise<EventStore> => {
  const env: Record<string, string | undefined> = {
    BPANE_EVENT_STORE: settings.get('eventStore'),
    BPANE_PG_URL: settings.get('pgUrl'),
    BPANE_EVENT_STORE_PG_SCHEMA: settings.get('eventStoreSchema'),
    BPANE_EVENT_STORE_PG_POOL_SIZE: '2',
    BPANE_EVENTSTORE_URL: settings.get('eventStoreUrl'),
  };
  let config;
  try {
    config = eventStoreConfigFromEnv(env);
  } catch (cause) {
    throw new CliError('config', isBpaneError(cause) ? cause.message : 'invalid event store settings', {
      cause,
    });
  }
  try {
    return await createEventStore(config);
  } catch (cause) {
    throw new CliError('unavailable', `cannot open the event store: ${(cause as Error).message}`, { cause });
  }
};

/**
 * Exact number of events in a PostgreSQL event store (for the rebuild progress total); null for
 * other adapters or when it cannot be counted.
 */
export const countEvents = async (settings: ResolvedSettings): Promise<number | null> => {
  if (settings.get('eventStore') !== 'postgres') return null;
  const schema = settings.get('eventStoreSchema') ?? 'event_store';
  if (!/^[a-z_][a-z0-9_]{0,39}$/.test(schema)) return null;
  const client = new pg.Client({ connectionString: settings.get('pgUrl'), application_name: 'bpane-cli' });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".events`);
    return rows[0] === undefined ? null : Number(rows[0].n);
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
};
