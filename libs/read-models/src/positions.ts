import pg from 'pg';
import { assertIdentifier, CHECKPOINT_CHANNEL, DEFAULT_READ_MODEL_SCHEMA } from './database';
import { ReadModelError } from './errors';

export type ProjectionPositionsOptions = Readonly<{
  url: string;
  schema?: string;
  /** Re-check interval when no notification arrives (default 1000 ms). */
  pollIntervalMs?: number;
}>;

type Waiter = () => void;

/**
 * Read-your-writes support: how far the projector has got, and a bounded wait until it passes a
 * position. Uses one connection that LISTENs for checkpoint notifications (sent by the projector
 * on commit) and re-reads the checkpoint table; polling is the fallback.
 */
export class ProjectionPositions {
  readonly #schema: string;
  readonly #url: string;
  #client: pg.Client | undefined;
  readonly #pollMs: number;
  readonly #waiters = new Set<Waiter>();
  #connected: Promise<pg.Client> | undefined;
  #closed = false;

  constructor(options: ProjectionPositionsOptions) {
    this.#schema = assertIdentifier(options.schema ?? DEFAULT_READ_MODEL_SCHEMA, 'schema');
    this.#url = options.url;
    this.#pollMs = options.pollIntervalMs ?? 1000;
  }

  /** The listening connection; a broken one (database restart) is replaced on the next call. */
  #connect(): Promise<pg.Client> {
    this.#connected ??= (async () => {
      const client = new pg.Client({
        connectionString: this.#url,
        application_name: 'bpane-read-model-positions',
      });
      client.on('notification', (msg) => {
        if (msg.channel !== CHECKPOINT_CHANNEL || !msg.payload?.startsWith(`${this.#schema}:`)) return;
        for (const w of [...this.#waiters]) w();
      });
      client.on('error', () => {
        // Forget the broken connection; waiters re-check (and reconnect) right away.
        if (this.#client === client) {
          this.#client = undefined;
          this.#connected = undefined;
        }
        client.end().catch(() => undefined);
        for (const w of [...this.#waiters]) w();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
      } catch (cause) {
        this.#connected = undefined;
        await client.end().catch(() => undefined);
        throw new ReadModelError('database_unavailable', 'cannot listen for read-model checkpoints', {
          cause,
        });
      }
      this.#client = client;
      return client;
    })();
    return this.#connected;
  }

  /**
   * The lowest checkpoint among `projections` (default: all known). A projection that has no
   * checkpoint row yet counts as 0.
   */
  async current(projections?: readonly string[]): Promise<bigint> {
    if (this.#closed) throw new ReadModelError('projector_stopped', 'positions reader is closed');
    const client = await this.#connect();
    const table = `"${this.#schema}"."checkpoints"`;
    const exists = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
      table,
    ]);
    if (exists.rows[0]?.present !== true) return 0n;
    if (projections === undefined) {
      const r = await client.query<{ p: string | null }>(`SELECT min(position)::text AS p FROM ${table}`);
      return BigInt(r.rows[0]?.p ?? '0');
    }
    if (projections.length === 0) return 0n;
    const r = await client.query<{ projection: string; p: string }>(
      `SELECT projection, position::text AS p FROM ${table} WHERE projection = ANY($1)`,
      [projections],
    );
    const known = new Map(r.rows.map((row) => [row.projection, BigInt(row.p)]));
    let min: bigint | undefined;
    for (const name of projections) {
      const v = known.get(name) ?? 0n;
      if (min === undefined || v < min) min = v;
    }
    return min ?? 0n;
  }

  /**
   * Resolves true once the checkpoints of `projections` (default: all) are at or past `position`,
   * false after `timeoutMs`.
   */
  async waitForPosition(
    position: bigint,
    timeoutMs: number,
    projections?: readonly string[],
  ): Promise<boolean> {
    if (position < 0n) {
      throw new ReadModelError('invalid_position', `position must be ≥ 0, got ${position}`);
    }
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new ReadModelError('invalid_query', `timeoutMs must be a non-negative number`, {
        details: { timeoutMs },
      });
    }
    const deadline = Date.now() + timeoutMs;
    await this.#connect();
    for (;;) {
      if ((await this.current(projections)) >= position) return true;
      const left = deadline - Date.now();
      if (left <= 0 || this.#closed) return false;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, this.#pollMs));
        this.#waiters.add(done);
      });
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of [...this.#waiters]) w();
    const connecting = this.#connected;
    this.#connected = undefined;
    if (connecting !== undefined) {
      const client = await connecting.catch(() => undefined);
      await client?.end().catch(() => undefined);
    }
  }
}
