import { createHash } from 'node:crypto';
import type pg from 'pg';
import { migrations as defaultMigrations, type Migration, type SqlNames } from './migrations';

/** A schema name the store accepts: a lower-case SQL identifier, short enough for channel names. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,39}$/;

export const sqlNames = (schema: string): SqlNames => ({
  s: `"${schema}"`,
  channel: `bpane_es_${schema}`,
  lockClass: lockClassOf(schema),
});

/** A stable 31-bit number for the schema: the first key of the per-stream advisory locks. */
export const lockClassOf = (schema: string): number => {
  let h = 0x811c9dc5;
  for (const ch of `bpane-event-store:${schema}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
};

const checksumOf = (m: Migration): string =>
  createHash('sha256')
    .update(m.sql({ s: '"<schema>"', channel: '<channel>', lockClass: 0 }))
    .digest('hex');

export type MigrationReport = Readonly<{
  applied: readonly number[];
  alreadyApplied: readonly number[];
  /** Set when start-up had to raise `xid_offset()` (see `ensurePositionFloor`). */
  raisedXidOffsetTo: bigint | null;
}>;

export class MigrationChecksumError extends Error {
  constructor(version: number, name: string) {
    super(`event store migration ${version} (${name}) differs from the one applied to this database`);
    this.name = 'MigrationChecksumError';
  }
}

/**
 * Brings `schema` up to the newest migration. Idempotent. Safe when several processes start at
 * once: the whole run holds a session-level advisory lock keyed by the schema name, so a second
 * runner waits, then finds everything applied. Each migration runs in its own transaction
 * together with its row in `schema_migrations`, so a failed migration leaves nothing behind.
 */
export const runMigrations = async (
  client: pg.ClientBase,
  schema: string,
  migrations: readonly Migration[] = defaultMigrations,
): Promise<MigrationReport> => {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid event store schema name: ${schema}`);
  const names = sqlNames(schema);
  const { s } = names;
  const lockKey = `bpane-event-store-migrations:${schema}`;
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
        version    integer     NOT NULL PRIMARY KEY,
        name       text        NOT NULL,
        checksum   text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number; checksum: string }>(
      `SELECT version, checksum FROM ${s}.schema_migrations ORDER BY version`,
    );
    const stored = new Map(rows.map((r) => [r.version, r.checksum]));
    const applied: number[] = [];
    const alreadyApplied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      const checksum = checksumOf(m);
      const existing = stored.get(m.version);
      if (existing !== undefined) {
        if (existing !== checksum) throw new MigrationChecksumError(m.version, m.name);
        alreadyApplied.push(m.version);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql(names));
        await client.query(
          `INSERT INTO ${s}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`,
          [m.version, m.name, checksum],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      applied.push(m.version);
    }
    const raisedXidOffsetTo = await ensurePositionFloor(client, names);
    return { applied, alreadyApplied, raisedXidOffsetTo };
  } finally {
    await client
      .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey])
      .catch(() => undefined);
  }
};

/**
 * Positions are derived from transaction ids (docs/adr/0001-postgres-event-store-ordering.md). A
 * physical copy or pg_upgrade keeps the transaction counter, but a logical restore (pg_dump →
 * pg_restore) into another cluster starts it over, below the stored positions: new events would
 * sort before old ones and readers would skip them. At start-up the store checks that a new
 * transaction maps above the newest stored position, and otherwise raises `xid_offset()` so that it
 * does. Runs under the migration lock.
 *
 * The check uses this transaction's own, freshly assigned id — never the snapshot's xmin: other
 * processes may be appending right now, and an older transaction still in flight keeps xmin below
 * positions that are already committed. Raising the offset then would move the positions of
 * in-flight appends (and of sessions holding the old offset) behind the readers' fence, and readers
 * would skip them.
 */
const ensurePositionFloor = async (client: pg.ClientBase, { s }: SqlNames): Promise<bigint | null> => {
  const { rows } = await client.query<{ max_position: string | null; xid: string; xid_offset: string }>(`
    SELECT (SELECT position FROM ${s}.events ORDER BY position DESC LIMIT 1)::text AS max_position,
           pg_current_xact_id()::text AS xid,
           ${s}.xid_offset()::text AS xid_offset`);
  const row = rows[0];
  if (row?.max_position == null) return null;
  const maxPosition = BigInt(row.max_position);
  const xid = BigInt(row.xid);
  const offset = BigInt(row.xid_offset);
  if ((xid + offset) * 65536n > maxPosition) return null;
  const raised = maxPosition / 65536n - xid + 1n;
  await client.query(
    `CREATE OR REPLACE FUNCTION ${s}.xid_offset() RETURNS bigint
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT ${raised.toString()}::bigint'`,
  );
  return raised;
};
