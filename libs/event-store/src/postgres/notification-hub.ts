import pg from 'pg';

export type HubLogger = Readonly<{ warn: (message: string, details?: Record<string, unknown>) => void }>;

/**
 * One LISTEN connection per store, shared by all its subscriptions. Every commit of an append sends
 * `pg_notify(<channel>, '')`; the hub bumps `generation` and wakes the waiting subscriptions, which
 * then re-read the log. Notifications carry no data: they only say "look again", so a lost one
 * costs latency (the subscriptions' safety poll), never an event. When the connection drops, the
 * hub reconnects with backoff and bumps `generation` (anything may have been missed meanwhile).
 */
export class NotificationHub {
  generation = 0;
  private client: pg.Client | null = null;
  private readonly waiters = new Set<() => void>();
  private started: Promise<void> | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoffMs = 100;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly logger: HubLogger | undefined,
  ) {}

  /** Starts listening (once). Resolves when LISTEN is in place or the first attempt failed. */
  start(): Promise<void> {
    this.started ??= this.connect();
    return this.started;
  }

  get listening(): boolean {
    return this.client !== null;
  }

  /** Registers a one-shot waker; returns a function that unregisters it. */
  onNotify(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }

  /** Wakes this process's subscriptions now (after a local append), without a round trip. */
  bump(): void {
    this.generation++;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.config);
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('LISTEN connection ended')));
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.bump();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.backoffMs = 100;
      this.bump(); // anything committed before LISTEN took effect: look again
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.lost(client, error);
    }
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.closed || (this.client !== null && this.client !== client)) return;
    if (this.client === client) this.client = null;
    if (this.retryTimer !== null) return;
    this.logger?.warn(
      'event store LISTEN connection lost; subscriptions fall back to polling until it is back',
      {
        error: error instanceof Error ? error.message : String(error),
        retryInMs: this.backoffMs,
      },
    );
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.backoffMs);
    this.retryTimer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    this.bump();
    if (client !== null) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * Sends the "events were appended" notification after an append has committed, outside the
 * append's transaction: a notifying transaction holds a database-wide lock from pre-commit until
 * its commit is flushed, so NOTIFY inside appends would serialise every writer (ADR 0001).
 *
 * Coalesced and rate-limited: a NOTIFY goes out at once when none was sent in the last
 * `minIntervalMs`; appends committing meanwhile share one NOTIFY at the end of the interval. So
 * a quiet system wakes other processes' subscribers within a round trip, and a busy one spends at
 * most 1000 / minIntervalMs small transactions a second on wake-ups. The notifying transaction
 * commits asynchronously (it carries no data). If the process dies between an append and its
 * NOTIFY, other processes' subscribers see the event on their next safety poll.
 */
export class AppendNotifier {
  private inFlight = false;
  private pending = false;
  private closed = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private readonly sql: string;

  constructor(
    private readonly pool: pg.Pool,
    channel: string,
    private readonly minIntervalMs: number,
  ) {
    this.sql = `SET LOCAL synchronous_commit = off; SELECT pg_notify('${channel}', '')`;
  }

  poke(): void {
    if (this.closed) return;
    this.pending = true;
    if (this.inFlight || this.timer !== null) return;
    const wait = this.lastSentAt + this.minIntervalMs - performance.now();
    if (wait <= 0) {
      void this.send();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.send();
    }, wait);
  }

  private async send(): Promise<void> {
    if (this.closed || !this.pending) return;
    this.inFlight = true;
    this.pending = false;
    this.lastSentAt = performance.now();
    try {
      await this.pool.query(this.sql);
    } catch {
      // Subscribers fall back to their safety poll; nothing is lost.
    } finally {
      this.inFlight = false;
    }
    if (this.pending) this.poke();
  }

  /** Stops notifying and waits for a NOTIFY in flight. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    while (this.inFlight) await new Promise((r) => setTimeout(r, 5));
  }
}
