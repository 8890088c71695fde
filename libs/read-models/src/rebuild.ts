import type { EventStore, RecordedEvent } from '@bpane/event-store';
import { applyEvents } from './apply';
import { lockCheckpoint, setCheckpoint } from './checkpoints';
import type { ReadModelDatabase } from './database';
import { ReadModelError } from './errors';
import type { Projection } from './projection';
import { createShadowTables, lockLiveTables, swapShadowTables } from './tables';

export type RebuildProgress = Readonly<{
  phase: 'replay' | 'swap' | 'done';
  projections: readonly string[];
  /** Events read from the log so far. */
  eventsDone: number;
  /** Position of the last event read. */
  position: bigint;
  /** Head of the log when the rebuild started (the target of the replay phase). */
  headPosition: bigint;
  /** Fraction of the position range covered, 0..1. */
  fraction: number;
  eventsPerSecond: number;
  /** Estimated seconds left (null until it can be estimated). */
  etaSeconds: number | null;
  elapsedMs: number;
}>;

export type RebuildOptions = Readonly<{
  store: EventStore;
  db: ReadModelDatabase;
  projections: readonly Projection[];
  /** Events read and applied per transaction (default 1000). */
  pageSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
  signal?: AbortSignal;
}>;

export type RebuildResult = Readonly<{
  projections: readonly string[];
  eventsDone: number;
  /** Checkpoint set for the rebuilt projections. */
  position: bigint;
  elapsedMs: number;
}>;

export const DEFAULT_REBUILD_PAGE_SIZE = 1000;

const readPage = (store: EventStore, after: bigint, maxCount: number): Promise<RecordedEvent[]> =>
  store.readAll(after === 0n ? { maxCount } : { after, maxCount });

/**
 * Replays the whole log into fresh shadow tables (`<table>__rebuild`), then, in one transaction,
 * catches up the last events, renames the shadow tables over the live ones and sets the
 * checkpoints. A projector running at the same time keeps working: the swap waits for its batch,
 * and anything it applies afterwards is a no-op thanks to the per-row position guards.
 */
export const rebuildProjections = async (options: RebuildOptions): Promise<RebuildResult> => {
  const { store, db, projections } = options;
  const pageSize = options.pageSize ?? DEFAULT_REBUILD_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100_000) {
    throw new ReadModelError('invalid_query', `pageSize must be an integer from 1 to 100000`, {
      details: { pageSize },
    });
  }
  const names = projections.map((p) => p.name);
  if (new Set(names).size !== names.length) {
    throw new ReadModelError('duplicate_projection', `duplicate projection names: ${names.join(', ')}`);
  }
  const started = Date.now();
  const headPosition = await store.headPosition();
  const zero = new Map<string, bigint>();

  await db.dataSource.transaction(async (m) => {
    for (const p of projections) await createShadowTables(db, m, p);
  });

  let position = 0n;
  let eventsDone = 0;
  let firstPosition: bigint | null = null;
  const report = (phase: RebuildProgress['phase']): void => {
    if (options.onProgress === undefined) return;
    const elapsedMs = Date.now() - started;
    const span = headPosition - (firstPosition ?? 0n);
    const covered = position - (firstPosition ?? 0n);
    const fraction =
      phase === 'done' || headPosition === 0n
        ? 1
        : span <= 0n
          ? 1
          : Math.min(1, Number(covered) / Number(span));
    const eventsPerSecond = elapsedMs > 0 ? (eventsDone * 1000) / elapsedMs : 0;
    const etaSeconds =
      fraction >= 1 ? 0 : fraction > 0 ? ((elapsedMs / fraction) * (1 - fraction)) / 1000 : null;
    options.onProgress({
      phase,
      projections: names,
      eventsDone,
      position,
      headPosition,
      fraction,
      eventsPerSecond,
      etaSeconds,
      elapsedMs,
    });
  };

  // Replay: page by page, each page in its own transaction, until the log is exhausted.
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await readPage(store, position, pageSize);
    if (page.length === 0) break;
    firstPosition ??= page[0]!.position;
    await db.dataSource.transaction(async (m) => {
      await applyEvents(db, m, projections, page, zero, true);
    });
    position = page.at(-1)!.position;
    eventsDone += page.length;
    report('replay');
    if (page.length < pageSize && position >= headPosition) break;
  }

  report('swap');
  const finalPosition = await db.dataSource.transaction(async (m) => {
    // Lock order (tables, then checkpoint rows) matches the projector's batches: no deadlock.
    await lockLiveTables(db, m, projections);
    let live = 0n;
    for (const p of projections) {
      const row = await lockCheckpoint(db, m, p.name, p.version);
      if (row.position > live) live = row.position;
    }
    // Events committed since the replay finished (bounded by what the live projector has seen).
    for (;;) {
      const tail = await readPage(store, position, pageSize);
      if (tail.length === 0) break;
      await applyEvents(db, m, projections, tail, zero, true);
      position = tail.at(-1)!.position;
      eventsDone += tail.length;
      if (tail.length < pageSize) break;
    }
    const checkpoint = position > live ? position : live;
    for (const p of projections) {
      await swapShadowTables(db, m, p);
      await setCheckpoint(db, m, p.name, p.version, checkpoint);
    }
    return checkpoint;
  });
  position = finalPosition;
  report('done');
  return { projections: names, eventsDone, position: finalPosition, elapsedMs: Date.now() - started };
};
