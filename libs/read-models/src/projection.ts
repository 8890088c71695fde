import type { RecordedEvent } from '@bpane/event-store';
import type { EntityManager } from 'typeorm';

/** One table a projection owns. `ddl` creates it (and its indexes) under the given quoted name. */
export type ProjectionTable = Readonly<{
  /** Unqualified table name, e.g. `projects`. */
  name: string;
  /**
   * Statements that create the table named `qualified` (already quoted and schema-qualified).
   * `indexPrefix` is unique per physical table; use it to name indexes.
   */
  ddl: (qualified: string, indexPrefix: string) => readonly string[];
}>;

/**
 * Where a projection writes. During normal operation `table('projects')` is the live table; during
 * a rebuild it is the shadow table `projects__rebuild`. Projections must write through it.
 */
export type ProjectionTarget = Readonly<{
  schema: string;
  table: (name: string) => string;
}>;

/**
 * A read model fed by the global log. `apply` runs inside the projector's transaction (the same
 * one that advances the checkpoint) and must be idempotent: every row stores the position of the
 * last event applied to it and updates are guarded with `position < $eventPosition`.
 */
export interface Projection {
  readonly name: string;
  /** Bump to force a rebuild when the projection logic or its tables change. */
  readonly version: number;
  readonly tables: readonly ProjectionTable[];
  canHandle(event: RecordedEvent): boolean;
  apply(event: RecordedEvent, manager: EntityManager, target: ProjectionTarget): Promise<void>;
}
