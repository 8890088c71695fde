import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { redactEventData } from '@bpane/domain-webhooks';
import type { EventStore, RecordedEvent, Subscription } from '@bpane/event-store';
import type { ProjectionPositions } from '@bpane/read-models';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { EVENT_STORE, POSITIONS } from '../infra/tokens';
import { AdminEventTickets, TicketError } from './ticket-store';

export const ADMIN_EVENTS_PATH = '/api/v1/admin/events';

/** Close codes (4000–4999 are the application's). */
export const ADMIN_EVENTS_CLOSE = {
  badRequest: 4400,
  unauthorized: 4401,
  authTimeout: 4408,
  slowConsumer: 4429,
  goingAway: 1001,
} as const;

const AUTH_TIMEOUT_MS = 10_000;
const PING_INTERVAL_MS = 20_000;
/** A client that lets this much pile up unread is dropped; it resumes with `after`. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** How long a delta waits for the read models to include it before it is sent anyway. */
const PROJECTION_WAIT_MS = 5_000;
const DECIMAL = /^(0|[1-9][0-9]{0,18})$/;

export type AdminEventDelta = {
  op: 'event';
  position: string;
  stream_id: string;
  type: string;
  occurred_at: string;
  data: Record<string, unknown>;
};

type AuthMessage = { op: 'auth'; ticket: string; after?: string };

const send = (ws: WebSocket, message: object): void => {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
};

const fail = (ws: WebSocket, closeCode: number, code: string, message: string): void => {
  send(ws, { op: 'error', code, message });
  ws.close(closeCode, code);
};

const parseAuth = (raw: RawData): AuthMessage | string => {
  let value: unknown;
  try {
    const text = Buffer.isBuffer(raw)
      ? raw.toString('utf8')
      : Array.isArray(raw)
        ? Buffer.concat(raw).toString('utf8')
        : Buffer.from(raw).toString('utf8');
    value = JSON.parse(text);
  } catch {
    return 'the first message must be JSON: {"op":"auth","ticket":"…","after":"<position>"}';
  }
  if (typeof value !== 'object' || value === null) return 'the first message must be a JSON object';
  const v = value as Record<string, unknown>;
  if (v['op'] !== 'auth') return 'the first message must have op "auth"';
  if (typeof v['ticket'] !== 'string') return 'ticket must be a string';
  if (v['after'] !== undefined && (typeof v['after'] !== 'string' || !DECIMAL.test(v['after'])))
    return 'after must be a decimal position string';
  for (const k of Object.keys(v))
    if (!['op', 'ticket', 'after'].includes(k)) return `unknown field ${k} in the auth message`;
  return v as AuthMessage;
};

/**
 * The admin events feed: a WebSocket on the gateway's HTTP server. The first message carries a
 * single-use ticket (and optionally a resume position); then the owner's events stream as deltas,
 * each sent once the read models include it, catching up from the event store and continuing live.
 */
@Injectable()
export class AdminEventsSocket implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #logger = new Logger('admin-events');
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  readonly #subscriptions = new Set<Subscription>();
  #server: Server | undefined;
  readonly #onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void =>
    this.upgrade(req, socket, head);

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(AdminEventTickets) private readonly tickets: AdminEventTickets,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POSITIONS) private readonly positions: ProjectionPositions,
  ) {}

  onApplicationBootstrap(): void {
    this.#server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.#server.on('upgrade', this.#onUpgrade);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.#server?.off('upgrade', this.#onUpgrade);
    for (const ws of this.#wss.clients) ws.close(ADMIN_EVENTS_CLOSE.goingAway, 'server shutting down');
    await Promise.allSettled([...this.#subscriptions].map((s) => s.close()));
    for (const ws of this.#wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    if (url.pathname.replace(/\/$/, '') !== ADMIN_EVENTS_PATH) {
      // Another upgrade handler may own this path; with none, refuse it.
      if ((this.#server?.listenerCount('upgrade') ?? 0) <= 1) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      }
      return;
    }
    const after = url.searchParams.get('after');
    if (after !== null && !DECIMAL.test(after)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, after ?? undefined));
  }

  private connected(ws: WebSocket, queryAfter: string | undefined): void {
    let alive = true;
    const timer = setTimeout(
      () => fail(ws, ADMIN_EVENTS_CLOSE.authTimeout, 'auth_timeout', 'no auth message within 10 s'),
      AUTH_TIMEOUT_MS,
    );
    ws.once('message', (raw) => {
      clearTimeout(timer);
      const auth = parseAuth(raw);
      if (typeof auth === 'string') return fail(ws, ADMIN_EVENTS_CLOSE.badRequest, 'bad_request', auth);
      this.tickets.redeem(auth.ticket).then(
        async (ownerId) => {
          const start = auth.after ?? queryAfter ?? (await this.store.headPosition()).toString();
          send(ws, { op: 'ready', position: start });
          ws.on('message', () =>
            fail(ws, ADMIN_EVENTS_CLOSE.badRequest, 'bad_request', 'the feed takes no messages after auth'),
          );
          await this.stream(ws, ownerId, BigInt(start));
        },
        (error: unknown) => {
          if (error instanceof TicketError)
            return fail(ws, ADMIN_EVENTS_CLOSE.unauthorized, error.code, error.message);
          this.#logger.error(
            `ticket check failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          return fail(ws, 1011, 'internal', 'the ticket could not be checked');
        },
      );
    });
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, PING_INTERVAL_MS);
    ws.on('pong', () => {
      alive = true;
    });
    ws.on('close', () => {
      clearTimeout(timer);
      clearInterval(ping);
    });
  }

  private async stream(ws: WebSocket, ownerId: string, after: bigint): Promise<void> {
    const subscription = this.store.subscribeToAll({ after });
    this.#subscriptions.add(subscription);
    const stop = (): void => {
      void subscription.close();
    };
    ws.on('close', stop);
    try {
      for await (const event of subscription) {
        if (ws.readyState !== WebSocket.OPEN) break;
        if (event.metadata.ownerId !== ownerId) continue;
        await this.positions.waitForPosition(event.position, PROJECTION_WAIT_MS);
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          fail(ws, ADMIN_EVENTS_CLOSE.slowConsumer, 'slow_consumer', 'too far behind; reconnect with after');
          break;
        }
        send(ws, toDelta(event));
      }
    } catch (error) {
      this.#logger.error(
        `event subscription failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      fail(ws, 1011, 'internal', 'the event feed failed; reconnect with after');
    } finally {
      this.#subscriptions.delete(subscription);
      ws.off('close', stop);
      await subscription.close().catch(() => undefined);
    }
  }
}

export const toDelta = (e: RecordedEvent): AdminEventDelta => ({
  op: 'event',
  position: e.position.toString(),
  stream_id: e.streamId,
  type: e.type,
  occurred_at: e.metadata.occurredAt,
  data: redactEventData(e.data as Record<string, unknown>),
});
