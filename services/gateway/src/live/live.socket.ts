import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LIVE_CLOSE, parsePreamble, webSocketTransport, type LiveRefusal } from '@bpane/live-transport';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { cdpVersion } from './live.controller';
import { LIVE_SESSION_DIRECTORY, type LiveSessionDirectory } from './live-directory';
import { LiveHubs } from './live-hubs';
import { LiveTicketError, LiveTickets } from './live-tickets';

const LIVE_PATH = /^\/api\/v1\/sessions\/([^/]{1,200})\/live\/?$/;
const CDP_WS_PATH =
  /^\/api\/v1\/sessions\/([^/]{1,200})\/cdp(\/devtools\/(?:browser|page)\/[A-Za-z0-9-]{1,100})$/;
const PREAMBLE_TIMEOUT_MS = 10_000;

const refuseHttp = (socket: Duplex, status: number, text: string): void => {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/** Reads the bearer value of an Authorization header (automation tokens). */
export const bearerOf = (header: string | string[] | undefined): string | undefined => {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer (\S+)$/.exec(value ?? '');
  return m?.[1];
};

/**
 * The WebSocket side of the live path on the gateway's HTTP server:
 *
 * - `GET /api/v1/sessions/{id}/live`: a viewer. The first message is the text preamble
 *   `{"op":"auth","ticket":"bplt_…"}`; then the binary protocol, with the hub as host side. A bad,
 *   expired, reused or foreign ticket gets `{"op":"error","code","message"}` and close 4110.
 * - `GET /api/v1/sessions/{id}/cdp/devtools/browser/{id}`: an automation client (Playwright's
 *   `connectOverCDP`) with `Authorization: Bearer bpat_…`; piped to the host agent's DevTools proxy.
 */
@Injectable()
export class LiveSocket implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #logger = new Logger('live');
  readonly #wss = new WebSocketServer({
    noServer: true,
    maxPayload: 16 * 1024 * 1024,
    perMessageDeflate: false,
  });
  readonly #pipes = new Set<Duplex>();
  #server: Server | undefined;
  readonly #onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    void this.upgrade(req, socket, head);
  };

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(LiveTickets) private readonly tickets: LiveTickets,
    @Inject(LiveHubs) private readonly hubs: LiveHubs,
    @Inject(LIVE_SESSION_DIRECTORY) private readonly directory: LiveSessionDirectory,
  ) {}

  /**
   * Playwright asks for `…/cdp/json/version/` (trailing slash); Nest folds that into the route
   * without one, so the slash form is registered on Fastify directly (same handler).
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get('/api/v1/sessions/:session_id/cdp/json/version/', (req: FastifyRequest) =>
      cdpVersion(this.tickets, this.directory, (req.params as { session_id: string }).session_id, req),
    );
  }

  onApplicationBootstrap(): void {
    this.#server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.#server.on('upgrade', this.#onUpgrade);
  }

  beforeApplicationShutdown(): void {
    this.#server?.off('upgrade', this.#onUpgrade);
    for (const s of this.#pipes) s.destroy();
    for (const ws of this.#wss.clients) ws.terminate();
    this.#wss.close();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
    const live = LIVE_PATH.exec(path);
    if (live !== null) {
      const sessionId = decodeURIComponent(live[1]!);
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.viewer(ws, sessionId));
      return;
    }
    const cdp = CDP_WS_PATH.exec(path);
    if (cdp !== null) {
      await this.automation(req, socket, head, decodeURIComponent(cdp[1]!), cdp[2]!);
      return;
    }
    // another upgrade handler may own this path; with none, refuse it
    if ((this.#server?.listenerCount('upgrade') ?? 0) <= 1) refuseHttp(socket, 404, 'Not Found');
  }

  private viewer(ws: WebSocket, sessionId: string): void {
    const refuse = (close: number, code: string, message: string): void => {
      const body: LiveRefusal = { op: 'error', code, message };
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(body));
      ws.close(close, code);
    };
    const timer = setTimeout(
      () => refuse(LIVE_CLOSE.handshakeTimeout, 'auth_timeout', 'no auth message within 10 s'),
      PREAMBLE_TIMEOUT_MS,
    );
    ws.once('message', (raw: RawData, isBinary: boolean) => {
      clearTimeout(timer);
      if (isBinary)
        return refuse(
          LIVE_CLOSE.badRequest,
          'bad_request',
          'the first message must be the text auth message',
        );
      const preamble = parsePreamble(
        Buffer.isBuffer(raw)
          ? raw.toString('utf8')
          : Buffer.concat(Array.isArray(raw) ? raw : [Buffer.from(raw)]).toString('utf8'),
      );
      if ('error' in preamble) return refuse(LIVE_CLOSE.badRequest, 'bad_request', preamble.error);
      // from here on the socket carries the binary protocol; early frames wait in the transport
      const transport = webSocketTransport(ws);
      void (async () => {
        try {
          const ticket = await this.tickets.redeem(preamble.ticket, 'viewer', sessionId);
          const hub = await this.hubs.hubFor(sessionId);
          if (hub === undefined)
            return refuse(LIVE_CLOSE.goingAway, 'session_not_live', 'the session has no running runtime');
          await hub.join(transport, {
            ticketRole: ticket.role === 'viewer' ? 'viewer' : 'interactive',
            principalId: ticket.ownerId,
            principalKind: 'user',
          });
        } catch (error) {
          if (error instanceof LiveTicketError)
            return refuse(LIVE_CLOSE.unauthorized, error.code, error.message);
          this.#logger.error(
            `live connection failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          refuse(LIVE_CLOSE.internalError, 'internal', 'the connection could not be set up');
        }
      })();
    });
    ws.on('close', () => clearTimeout(timer));
    ws.on('error', () => undefined);
  }

  private async automation(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    sessionId: string,
    devtoolsPath: string,
  ): Promise<void> {
    let principal: string;
    try {
      principal = (await this.tickets.redeem(bearerOf(req.headers.authorization), 'automation', sessionId))
        .ownerId;
    } catch (error) {
      if (error instanceof LiveTicketError) return refuseHttp(socket, 401, 'Unauthorized');
      return refuseHttp(socket, 500, 'Internal Server Error');
    }
    const target = await this.directory.lookup(sessionId);
    if (target === undefined) return refuseHttp(socket, 404, 'Not Found');
    const base = new URL(target.hostLinkUrl);
    const upstream = connect(Number(base.port), base.hostname);
    const lines = [
      `GET /cdp${devtoolsPath} HTTP/1.1`,
      `Host: ${base.host}`,
      `Authorization: Bearer ${target.hostLinkSecret}`,
    ];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      if (/^(host|authorization|origin|cookie)$/i.test(name)) continue;
      lines.push(`${name}: ${req.rawHeaders[i + 1]!}`);
    }
    const connectionId = randomUUID();
    let attached = false;
    const end = (): void => {
      socket.destroy();
      upstream.destroy();
      this.#pipes.delete(socket);
      if (attached) this.hubs.existing(sessionId)?.automationDetached(connectionId, 'CDP connection closed');
      attached = false;
    };
    this.#pipes.add(socket);
    upstream.once('connect', () => {
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
      attached = true;
      void this.hubs.hubFor(sessionId).then((hub) => hub?.automationAttached(connectionId, principal));
    });
    upstream.on('error', end);
    upstream.on('close', end);
    socket.on('error', end);
    socket.on('close', end);
  }
}
