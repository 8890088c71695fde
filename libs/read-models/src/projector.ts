import type { EventStore, RecordedEvent, Subscription } from '@bpane/event-store';
import { applyEvents } from './apply';
import { advanceCheckpoint, readCheckpoints } from './checkpoints';
import type { ReadModelDatabase } from './database';
import { ReadModelError } from './errors';
import type { Projection } from './projection';
import type { QueryRunner } from 'typeorm';
import { rebuildProjections, type RebuildProgress } from './rebuild';
import { ensureLiveTables } from './tables';

export type ProjectorLogger = Readonly<{
  info: (message: string, fields?: Record<string, unknown>) => void;
  error: (message: string, fields?: Record<string, unknown>) => void;
}>;

export type BatchInfo = Readonly<{
  events: number;
  applied: number;
  fromPosition: bigint;
  toPosition: bigint;
  durationMs: number;
}>;

export type ProjectorOptions = Readonly<{
  store: EventStore;
  db: ReadModelDatabase;
  projections: readonly Projection[];
  /** Most events per transaction (default 500). */
  batchSize?: number;
  /** How long to wait for more events before committing a partial batch (default 5 ms). */
  lingerMs?: number;
  /** Rebuild projections whose stored version differs from their code version (default true). */
  rebuildOnVersionChange?: boolean;
  /**
   * Hold a PostgreSQL advisory lock per read-model schema so only one projector runs; a second
   * one waits in `start()` (standby) until the first stops or dies (default true).
   */
  exclusive?: boolean;
  /** How often a standby projector retries the lock (default 1000 ms). */
  standbyPollMs?: number;
  /** Attempts per batch before the projector gives up (default 5). */
  maxBatchAttempts?: number;
  logger?: ProjectorLogger;
  onBatch?: (batch: BatchInfo) => void;
  onRebuildProgress?: (progress: RebuildProgress) => void;
}>;

export const projectorDefaults = {
  batchSize: 500,
  lingerMs: 5,
  maxBatchAttempts: 5,
  standbyPollMs: 1000,
} as const;

const silent: ProjectorLogger = { info: () => undefined, error: () => undefined };
const TIMEOUT = Symbol('timeout');

/**
 * Follows the global log from the checkpoints and applies events in batches; each batch commits
 * the projections' writes together with their checkpoint rows, so a crash loses nothing and
 * applies nothing twice.
 */
export class Projector {
  readonly #o: ProjectorOptions;
  readonly #log: ProjectorLogger;
  readonly #positions = new Map<string, bigint>();
  #abort = new AbortController();
  #subscription: Subscription | undefined;
  #loop: Promise<void> | undefined;
  #state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  #leaderLock: QueryRunner | undefined;
  /** Consecutive failed attempts; reset by every committed batch. */
  #failures = 0;

  constructor(options: ProjectorOptions) {
    const names = options.projections.map((p) => p.name);
    if (new Set(names).size !== names.length) {
      throw new ReadModelError('duplicate_projection', `duplicate projection names: ${names.join(', ')}`);
    }
    this.#o = options;
    this.#log = options.logger ?? silent;
  }

  /** Lowest committed checkpoint over all projections. */
  get position(): bigint {
    let min: bigint | undefined;
    for (const p of this.#o.projections) {
      const v = this.#positions.get(p.name) ?? 0n;
      if (min === undefined || v < min) min = v;
    }
    return min ?? 0n;
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  /** Prepares tables, rebuilds outdated projections, then follows the log in the background. */
  async start(): Promise<void> {
    if (this.#state !== 'idle') {
      throw new ReadModelError('projector_running', `projector already ${this.#state}`);
    }
    this.#state = 'running';
    const { db, projections } = this.#o;
    if (this.#o.exclusive !== false && !(await this.#acquireLeaderLock())) return;
    try {
      await db.dataSource.transaction(async (m) => {
        await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`bpane-read-models:${db.schema}`]);
        for (const p of projections) await ensureLiveTables(db, m, p);
      });
      const checkpoints = await readCheckpoints(db);
      const outdated = projections.filter((p) => {
        const row = checkpoints.get(p.name);
        return row !== undefined && row.version !== p.version;
      });
      if (outdated.length > 0 && this.#o.rebuildOnVersionChange !== false) {
        this.#log.info('rebuilding projections whose version changed', {
          projections: outdated.map((p) => `${p.name}@${checkpoints.get(p.name)?.version}→${p.version}`),
        });
        await rebuildProjections({
          store: this.#o.store,
          db,
          projections: outdated,
          ...(this.#o.onRebuildProgress === undefined ? {} : { onProgress: this.#o.onRebuildProgress }),
        });
      }
      for (const [name, row] of await readCheckpoints(db)) this.#positions.set(name, row.position);
      this.#log.info('projector started', {
        projections: projections.map((p) => p.name),
        position: this.position.toString(),
      });
    } catch (error) {
      this.#state = 'stopped';
      await this.#releaseLeaderLock().catch(() => undefined);
      throw error;
    }
    this.#loop = this.#run();
  }

  get #lockKey(): string {
    return `bpane-projector:${this.#o.db.schema}`;
  }

  /** Waits for the leader lock; false when `stop()` was called while waiting. */
  async #acquireLeaderLock(): Promise<boolean> {
    const runner = this.#o.db.dataSource.createQueryRunner();
    await runner.connect();
    let waiting = false;
    for (;;) {
      const rows = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS ok`, [
        this.#lockKey,
      ])) as {
        ok: boolean;
      }[];
      if (rows[0]?.ok === true) {
        this.#leaderLock = runner;
        if (waiting) this.#log.info('projector lock acquired; taking over', { schema: this.#o.db.schema });
        return true;
      }
      if (!waiting) {
        waiting = true;
        this.#log.info('another projector holds the lock; standing by', { schema: this.#o.db.schema });
      }
      await new Promise((r) => setTimeout(r, this.#o.standbyPollMs ?? projectorDefaults.standbyPollMs));
      if (this.#state !== 'running') {
        await runner.release();
        return false;
      }
    }
  }

  async #releaseLeaderLock(): Promise<void> {
    const runner = this.#leaderLock;
    this.#leaderLock = undefined;
    if (runner === undefined) return;
    try {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [this.#lockKey]);
    } finally {
      await runner.release();
    }
  }

  /** Resolves when the loop ends (after `stop()`); rejects when the projector gave up. */
  get done(): Promise<void> {
    return this.#loop ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    if (this.#state !== 'running') return;
    this.#state = 'stopping';
    this.#abort.abort();
    await this.#subscription?.close();
    try {
      await this.#loop;
    } catch {
      // The loop's own failure is reported through `done`.
    }
    await this.#releaseLeaderLock();
    this.#state = 'stopped';
    this.#log.info('projector stopped', { position: this.position.toString() });
  }

  async #run(): Promise<void> {
    const maxAttempts = this.#o.maxBatchAttempts ?? projectorDefaults.maxBatchAttempts;
    this.#failures = 0;
    while (this.#state === 'running') {
      try {
        await this.#follow();
        if (this.#state !== 'running') return;
        // The subscription ended although nobody stopped the projector: follow again.
        throw new ReadModelError('projector_stopped', 'the event subscription ended unexpectedly');
      } catch (error) {
        if (this.#state !== 'running') return;
        this.#failures++;
        const failures = this.#failures;
        this.#log.error('projector batch failed', {
          attempt: failures,
          error: error instanceof Error ? error.message : String(error),
        });
        if (failures >= maxAttempts) {
          this.#state = 'stopped';
          await this.#releaseLeaderLock().catch(() => undefined);
          throw error;
        }
        // Resubscribe from the committed checkpoints after a short back-off.
        await new Promise((r) => setTimeout(r, 100 * 2 ** failures));
        this.#abort = new AbortController();
      }
    }
  }

  async #follow(): Promise<void> {
    const batchSize = this.#o.batchSize ?? projectorDefaults.batchSize;
    const lingerMs = this.#o.lingerMs ?? projectorDefaults.lingerMs;
    const after = this.position;
    const subscription = this.#o.store.subscribeToAll({
      ...(after === 0n ? {} : { after }),
      signal: this.#abort.signal,
    });
    this.#subscription = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    let pending = iterator.next();
    try {
      for (;;) {
        const first = await pending;
        if (first.done === true) return;
        const batch: RecordedEvent[] = [first.value];
        pending = iterator.next();
        let ended = false;
        while (batch.length < batchSize) {
          let timer: NodeJS.Timeout | undefined;
          const next = await Promise.race([
            pending,
            new Promise<typeof TIMEOUT>((r) => {
              timer = setTimeout(() => r(TIMEOUT), lingerMs);
            }),
          ]);
          clearTimeout(timer);
          if (next === TIMEOUT) break;
          if (next.done === true) {
            ended = true;
            break;
          }
          batch.push(next.value);
          pending = iterator.next();
        }
        await this.#commit(batch);
        if (ended) return;
      }
    } finally {
      // A read still in flight may fail once the subscription closes; nobody awaits it any more.
      pending.catch(() => undefined);
      await subscription.close();
    }
  }

  async #commit(batch: readonly RecordedEvent[]): Promise<void> {
    const { db, projections } = this.#o;
    const t0 = Date.now();
    const last = batch.at(-1)!.position;
    const applied = await db.dataSource.transaction(async (m) => {
      const n = await applyEvents(db, m, projections, batch, this.#positions, false);
      for (const p of projections) {
        if ((this.#positions.get(p.name) ?? 0n) < last)
          await advanceCheckpoint(db, m, p.name, p.version, last);
      }
      return n;
    });
    for (const p of projections) {
      if ((this.#positions.get(p.name) ?? 0n) < last) this.#positions.set(p.name, last);
    }
    this.#failures = 0;
    this.#o.onBatch?.({
      events: batch.length,
      applied,
      fromPosition: batch[0]!.position,
      toPosition: last,
      durationMs: Date.now() - t0,
    });
  }
}
