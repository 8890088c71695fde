import { describe, expect, it } from 'vitest';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { createEventStore } from '../create-event-store';
import { StoreUnavailableError } from '../errors';
import { createEventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * The contract against a real EventStoreDB / KurrentDB server, when one is configured
 * (BPANE_EVENTSTORE_URL, e.g. esdb://127.0.0.1:2113?tls=false). Tests use their own stream-id
 * prefixes, so a shared server is fine. Without a server, the adapter must still refuse an
 * unreachable URL clearly and in bounded time.
 */
const url = process.env['BPANE_EVENTSTORE_URL'];

if (url !== undefined && url !== '') {
  describeEventStoreContract('EventStoreDB', {
    store: () => createEventStoreDbEventStore({ kind: 'eventstoredb', connectionString: url }),
    childConfig: () => ({ kind: 'eventstoredb', connectionString: url }),
    // Event ids are unique per stream only, and a retry is recognised by id (and type), not payload.
    capabilities: { globallyUniqueEventIds: false, idempotencyComparesContent: false },
  });
}

describe('EventStoreDB adapter without a server', () => {
  it('refuses an unreachable server with StoreUnavailableError in bounded time', async () => {
    const t0 = Date.now();
    const error = await createEventStore({
      kind: 'eventstoredb',
      connectionString: 'esdb://127.0.0.1:1?tls=false',
      connectTimeoutMs: 2_000,
    }).catch((e: unknown) => e);
    const elapsed = Date.now() - t0;
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).code).toBe('store_unavailable');
    expect((error as StoreUnavailableError).message).toMatch(/EventStoreDB unreachable at 127\.0\.0\.1:1/);
    expect(elapsed).toBeLessThan(4_000);
  });

  it('gives up on a server that never answers (black-holed address) within the connect timeout', async () => {
    const t0 = Date.now();
    const error = await createEventStore({
      kind: 'eventstoredb',
      connectionString: 'esdb://10.255.255.1:2113?tls=false',
      connectTimeoutMs: 1_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('accepts kurrentdb:// URLs and rejects other schemes as configuration errors', async () => {
    const kurrent = await createEventStore({
      kind: 'eventstoredb',
      connectionString: 'kurrentdb://127.0.0.1:1?tls=false',
      connectTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(kurrent).toBeInstanceOf(StoreUnavailableError);
    const wrong = await createEventStore({
      kind: 'eventstoredb',
      connectionString: 'http://127.0.0.1:2113',
    }).catch((e: unknown) => e);
    expect((wrong as { code?: string }).code).toBe('invalid_config');
  });
});
