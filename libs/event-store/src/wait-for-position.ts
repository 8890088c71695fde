import { StoreUnavailableError } from './errors';
import type { EventStore } from './types';

export type WaitForPositionOptions = Readonly<{ timeoutMs?: number; pollMs?: number; signal?: AbortSignal }>;

/**
 * Resolves once global readers (`readAll`, `headPosition`, `subscribeToAll`) can see `position` —
 * e.g. the position an append returned. An append is visible in its stream at once; the PostgreSQL
 * store shows it to global readers once every older transaction has ended, normally within
 * milliseconds (docs/adr/0001-postgres-event-store-ordering.md). Rejects with
 * `StoreUnavailableError` after `timeoutMs` (default 10 s), or with the signal's reason on abort.
 */
export const waitForPosition = async (
  store: Pick<EventStore, 'headPosition'>,
  position: bigint,
  { timeoutMs = 10_000, pollMs = 5, signal }: WaitForPositionOptions = {},
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while ((await store.headPosition()) < position) {
    signal?.throwIfAborted();
    if (Date.now() > deadline) {
      throw new StoreUnavailableError(
        `position ${position} not visible to global readers after ${timeoutMs} ms (a long transaction may hold the read fence)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
};
