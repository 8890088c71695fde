import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SHADOW_SUFFIX, type ReadModelDatabase } from './database';
import type { Projection } from './projection';

export const tableExists = async (
  db: ReadModelDatabase,
  manager: EntityManager,
  table: string,
): Promise<boolean> => {
  const rows = await manager.query<{ present: boolean }[]>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    db.qualified(table),
  ]);
  return rows[0]?.present === true;
};

/** Creates the live tables a projection owns when they are missing. */
export const ensureLiveTables = async (
  db: ReadModelDatabase,
  manager: EntityManager,
  projection: Projection,
): Promise<void> => {
  for (const table of projection.tables) {
    if (await tableExists(db, manager, table.name)) continue;
    for (const sql of table.ddl(db.qualified(table.name), table.name)) await manager.query(sql);
  }
};

/** Drops and recreates the shadow tables (`<table>__rebuild`) of a projection. */
export const createShadowTables = async (
  db: ReadModelDatabase,
  manager: EntityManager,
  projection: Projection,
): Promise<void> => {
  for (const table of projection.tables) {
    const shadow = `${table.name}${SHADOW_SUFFIX}`;
    await manager.query(`DROP TABLE IF EXISTS ${db.qualified(shadow)}`);
    // Index names are schema-wide; a fresh suffix keeps them from clashing with the live table's.
    const prefix = `${table.name}_${randomBytes(3).toString('hex')}`;
    for (const sql of table.ddl(db.qualified(shadow), prefix)) await manager.query(sql);
  }
};

/**
 * Replaces the live tables with the shadow tables inside the caller's transaction. Readers see
 * either the old or the new tables, never a mix.
 */
export const swapShadowTables = async (
  db: ReadModelDatabase,
  manager: EntityManager,
  projection: Projection,
): Promise<void> => {
  for (const table of projection.tables) {
    await manager.query(`DROP TABLE IF EXISTS ${db.qualified(table.name)}`);
    await manager.query(
      `ALTER TABLE ${db.qualified(`${table.name}${SHADOW_SUFFIX}`)} RENAME TO "${table.name}"`,
    );
  }
};

/** Takes ACCESS EXCLUSIVE locks on the live tables that exist (waits for running batches). */
export const lockLiveTables = async (
  db: ReadModelDatabase,
  manager: EntityManager,
  projections: readonly Projection[],
): Promise<void> => {
  for (const p of projections) {
    for (const table of p.tables) {
      if (await tableExists(db, manager, table.name)) {
        await manager.query(`LOCK TABLE ${db.qualified(table.name)} IN ACCESS EXCLUSIVE MODE`);
      }
    }
  }
};
