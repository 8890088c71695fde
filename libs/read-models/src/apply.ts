import type { RecordedEvent } from '@bpane/event-store';
import type { EntityManager } from 'typeorm';
import type { ReadModelDatabase } from './database';
import type { Projection } from './projection';

/** Applies `events` (ascending positions) to every projection whose position is below each event. */
export const applyEvents = async (
  db: ReadModelDatabase,
  manager: EntityManager,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
  from: ReadonlyMap<string, bigint>,
  shadow: boolean,
): Promise<number> => {
  const target = db.target(shadow);
  let applied = 0;
  for (const projection of projections) {
    const after = from.get(projection.name) ?? 0n;
    for (const event of events) {
      if (event.position <= after || !projection.canHandle(event)) continue;
      await projection.apply(event, manager, target);
      applied++;
    }
  }
  return applied;
};
