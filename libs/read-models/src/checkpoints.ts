import type { EntityManager } from 'typeorm';
import { CHECKPOINT_CHANNEL, type ReadModelDatabase } from './database';

export type CheckpointRow = Readonly<{ projection: string; position: bigint; version: number }>;

export const readCheckpoints = async (
  db: ReadModelDatabase,
  manager: EntityManager = db.dataSource.manager,
): Promise<Map<string, CheckpointRow>> => {
  const rows = await manager.query<{ projection: string; position: string; version: number }[]>(
    `SELECT projection, position::text AS position, version FROM ${db.qualified('checkpoints')}`,
  );
  return new Map(
    rows.map((r) => [
      r.projection,
      { projection: r.projection, position: BigInt(r.position), version: r.version },
    ]),
  );
};

/**
 * Advances (never rewinds) the checkpoint of `projection` inside the caller's transaction and
 * announces the new position on commit (NOTIFY is transactional).
 */
export const advanceCheckpoint = async (
  db: ReadModelDatabase,
  manager: EntityManager,
  projection: string,
  version: number,
  position: bigint,
): Promise<void> => {
  await manager.query(
    `INSERT INTO ${db.qualified('checkpoints')} (projection, position, version, updated_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (projection) DO UPDATE
       SET position = GREATEST(${db.qualified('checkpoints')}.position, EXCLUDED.position),
           updated_at = now()`,
    [projection, position.toString(), version],
  );
  await manager.query(`SELECT pg_notify($1, $2)`, [
    CHECKPOINT_CHANNEL,
    `${db.schema}:${projection}:${position}`,
  ]);
};

/** Sets the checkpoint exactly (used by a rebuild's swap). */
export const setCheckpoint = async (
  db: ReadModelDatabase,
  manager: EntityManager,
  projection: string,
  version: number,
  position: bigint,
): Promise<void> => {
  await manager.query(
    `INSERT INTO ${db.qualified('checkpoints')} (projection, position, version, updated_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (projection) DO UPDATE
       SET position = EXCLUDED.position, version = EXCLUDED.version, updated_at = now()`,
    [projection, position.toString(), version],
  );
  await manager.query(`SELECT pg_notify($1, $2)`, [
    CHECKPOINT_CHANNEL,
    `${db.schema}:${projection}:${position}`,
  ]);
};

/** Locks the checkpoint row of `projection` until the end of the transaction (creating it if needed). */
export const lockCheckpoint = async (
  db: ReadModelDatabase,
  manager: EntityManager,
  projection: string,
  version: number,
): Promise<CheckpointRow> => {
  await manager.query(
    `INSERT INTO ${db.qualified('checkpoints')} (projection, position, version) VALUES ($1, 0, $2)
     ON CONFLICT (projection) DO NOTHING`,
    [projection, version],
  );
  const rows = await manager.query<{ projection: string; position: string; version: number }[]>(
    `SELECT projection, position::text AS position, version FROM ${db.qualified('checkpoints')}
      WHERE projection = $1 FOR UPDATE`,
    [projection],
  );
  const row = rows[0]!;
  return { projection: row.projection, position: BigInt(row.position), version: row.version };
};
