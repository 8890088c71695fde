import { describeEventStoreContract } from '../contract/event-store.contract';
import { createEventStoreDbEventStore } from './eventstoredb-event-store';
import { startFakeEventStoreDb, type FakeEventStoreDb } from './fake-eventstoredb-server';

/**
 * The EventStoreDB adapter, through the real `@eventstore/db-client`, against an in-memory gRPC
 * stand-in (fake-eventstoredb-server.ts). This proves the adapter's use of the client and its
 * mapping of the port; it does not prove EventStoreDB's own behaviour — that is the job of
 * eventstoredb-event-store.int.spec.ts with BPANE_EVENTSTORE_URL.
 */
let fake: FakeEventStoreDb | undefined;

describeEventStoreContract('EventStoreDB adapter on an in-memory gRPC stand-in', {
  store: async () => {
    fake = await startFakeEventStoreDb();
    return createEventStoreDbEventStore({ kind: 'eventstoredb', connectionString: fake.url });
  },
  childConfig: () => ({ kind: 'eventstoredb', connectionString: fake!.url }),
  capabilities: { globallyUniqueEventIds: false, idempotencyComparesContent: false },
  // In-process gRPC on both ends is slow; the full 8 × 5,000 case is for real servers.
  concurrency: { writers: 8, eventsPerWriter: 500 },
  teardown: async () => {
    await fake?.close();
  },
});
