import pg from 'pg';
import { PublisherError } from './errors';

/**
 * The publisher's checkpoint (`publisher.checkpoints`): the position up to which every event of
 * the global log has been acknowledged by JetStream. One row per publisher name, so several
 * installations (or a test) can share a database.
 */
export class CheckpointStore {
  private lockClient: pg.Client | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly name: string,
    private readonly schema = 'publisher',
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new PublisherError('checkpoint_failed', `invalid checkpoint schema name: ${schema}`);
    }
  }

  async migrate(): Promise<void> {
    await this.run('create checkpoint table', async () => {
      const client = await this.pool.connect();
      try {
        // Serialise concurrent first starts (CREATE … IF NOT EXISTS races on the catalog).
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
          `bpane-publisher-migrate:${this.schema}`,
        ]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
        await client.query(`
          CREATE TABLE IF NOT EXISTS "${this.schema}".checkpoints (
            name       text        NOT NULL PRIMARY KEY,
            position   bigint      NOT NULL CHECK (position >= 0),
            updated_at timestamptz NOT NULL DEFAULT now()
          )`);
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [
          `bpane-publisher-migrate:${this.schema}`,
        ]);
      } finally {
        client.release();
      }
    });
  }

  /** The stored checkpoint; `null` when this publisher has never published anything. */
  async load(): Promise<bigint | null> {
    return this.run('read checkpoint', async () => {
      const { rows } = await this.pool.query<{ position: string }>(
        `SELECT position::text AS position FROM "${this.schema}".checkpoints WHERE name = $1`,
        [this.name],
      );
      return rows[0] === undefined ? null : BigInt(rows[0].position);
    });
  }

  /** Moves the checkpoint forward (never backwards, whatever the caller passes). */
  async save(position: bigint): Promise<void> {
    await this.run('write checkpoint', async () => {
      await this.pool.query(
        `INSERT INTO "${this.schema}".checkpoints (name, position) VALUES ($1, $2::bigint)
         ON CONFLICT (name) DO UPDATE SET position = GREATEST("${this.schema}".checkpoints.position, EXCLUDED.position),
                                          updated_at = now()`,
        [this.name, position.toString()],
      );
    });
  }

  /**
   * Waits until this process is the only active publisher with this name (a session advisory
   * lock on a dedicated connection; a crashed holder's lock goes with its connection).
   * Returns false when `signal` aborted the wait.
   */
  async acquireLeadership(connectionString: string, signal: AbortSignal, pollMs = 1_000): Promise<boolean> {
    const client = new pg.Client({ connectionString, application_name: `bpane-publisher-lock:${this.name}` });
    await this.run('connect for the leader lock', () => client.connect());
    client.on('error', () => undefined);
    const key = `bpane-publisher:${this.schema}:${this.name}`;
    try {
      while (!signal.aborted) {
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
          [key],
        );
        if (rows[0]?.ok === true) {
          this.lockClient = client;
          return true;
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, pollMs);
          signal.addEventListener('abort', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    } catch (cause) {
      await client.end().catch(() => undefined);
      throw new PublisherError('checkpoint_failed', 'leader lock query failed', { cause });
    }
    await client.end().catch(() => undefined);
    return false;
  }

  async releaseLeadership(): Promise<void> {
    const c = this.lockClient;
    this.lockClient = null;
    if (c !== null) await c.end().catch(() => undefined);
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (cause) {
      throw new PublisherError('checkpoint_failed', `publisher checkpoint: cannot ${what}`, { cause });
    }
  }
}
