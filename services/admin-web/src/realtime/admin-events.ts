/**
 * The admin events feed (docs/admin-events.md): mints a single-use ticket, opens the WebSocket,
 * authenticates in the first message and reports each event. After a disconnect it reconnects
 * with the last position it saw, so nothing is missed or repeated; no polling.
 */

export type AdminEvent = Readonly<{
  op: 'event';
  position: string;
  stream_id: string;
  type: string;
  occurred_at: string;
  data: unknown;
}>;

export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export type FeedOptions = Readonly<{
  /** Mints a ticket: `POST /api/v1/admin/events/access-tokens`. */
  ticket: () => Promise<string>;
  /** The WebSocket URL of `/api/v1/admin/events`. */
  url: string;
  onEvent: (event: AdminEvent) => void;
  onStatus?: (status: FeedStatus, detail?: string) => void;
  /** Resume after this position (e.g. the last one seen before a reload). */
  after?: string;
  /** Backoff after the n-th failed attempt in a row, ms. */
  backoff?: (attempt: number) => number;
}>;

export const defaultBackoff = (attempt: number): number => Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));

/** The WebSocket URL of the admin events feed for a page origin. */
export const feedUrl = (origin: string): string => `${origin.replace(/^http/, 'ws')}/api/v1/admin/events`;

export class AdminEventsFeed {
  #ws: WebSocket | undefined;
  #stopped = false;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #position: string | undefined;

  constructor(private readonly o: FeedOptions) {
    this.#position = o.after;
  }

  /** The last position received. */
  get position(): string | undefined {
    return this.#position;
  }

  start(): void {
    this.#stopped = false;
    void this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#ws?.close(1000);
    this.#ws = undefined;
    this.o.onStatus?.('stopped');
  }

  async #connect(): Promise<void> {
    this.o.onStatus?.(this.#failures === 0 ? 'connecting' : 'reconnecting');
    let ticket: string;
    try {
      ticket = await this.o.ticket();
    } catch (e) {
      this.#retry(e instanceof Error ? e.message : String(e));
      return;
    }
    if (this.#stopped) return;
    const ws = new WebSocket(this.o.url);
    this.#ws = ws;
    ws.onopen = () => {
      ws.send(
        JSON.stringify({
          op: 'auth',
          ticket,
          ...(this.#position === undefined ? {} : { after: this.#position }),
        }),
      );
    };
    ws.onmessage = (m: MessageEvent<unknown>) => {
      if (typeof m.data !== 'string') return;
      const msg = JSON.parse(m.data) as { op: string; position?: string; code?: string; message?: string };
      if (msg.op === 'ready') {
        this.#failures = 0;
        this.#position ??= msg.position;
        this.o.onStatus?.('live');
      } else if (msg.op === 'event') {
        this.#position = msg.position;
        this.o.onEvent(msg as AdminEvent);
      } else if (msg.op === 'error') {
        this.o.onStatus?.('reconnecting', `${msg.code ?? 'error'}: ${msg.message ?? ''}`);
      }
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.#ws !== ws) return;
      this.#ws = undefined;
      if (!this.#stopped) this.#retry(`closed ${e.code}${e.reason === '' ? '' : ` ${e.reason}`}`);
    };
  }

  #retry(detail: string): void {
    if (this.#stopped) return;
    const delay = (this.o.backoff ?? defaultBackoff)(this.#failures++);
    this.o.onStatus?.('reconnecting', detail);
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }
}
