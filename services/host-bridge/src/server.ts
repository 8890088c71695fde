import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { HOST_BRIDGE_CDP_PATH, HOST_BRIDGE_INFO_PATH, type HostBridgeInfo } from '@bpane/host-bridge-client';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { isHostAllowed, tokenFromAuthorization, tokenMatches } from './security';

export type Log = (line: string) => void;

export type BridgeServer = Readonly<{
  port: number;
  close: () => Promise<void>;
}>;

export type BridgeServerOptions = Readonly<{
  bind: string;
  port: number;
  token: string;
  allowedHosts: ReadonlySet<string>;
  info: HostBridgeInfo;
  devtoolsUrl: string;
  log: Log;
}>;

type Verdict = Readonly<{ ok: true }> | Readonly<{ ok: false; status: 401 | 403 | 404; reason: string }>;

const STATUS_TEXT = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' } as const;

/** Host first (DNS rebinding), then the token. Never includes the presented token in `reason`. */
const check = (req: IncomingMessage, options: BridgeServerOptions): Verdict => {
  if (!isHostAllowed(req.headers.host, options.allowedHosts))
    return {
      ok: false,
      status: 403,
      reason: `Host header ${JSON.stringify(req.headers.host ?? '')} not allowed`,
    };
  const token = tokenFromAuthorization(req.headers.authorization);
  if (!tokenMatches(token, options.token))
    return { ok: false, status: 401, reason: token === undefined ? 'missing token' : 'wrong token' };
  return { ok: true };
};

const peer = (req: IncomingMessage): string =>
  `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;

const pathOf = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0] ?? '/';

// Browser-level commands a remote runtime may not send: the browser belongs to the bridge.
const BLOCKED_BROWSER_COMMANDS = new Set(['Browser.close', 'Browser.crash', 'Browser.crashGpuProcess']);

type CdpMessage = { id?: number; method?: string; sessionId?: string; result?: { targetId?: string } };

const parse = (data: RawData, isBinary: boolean): CdpMessage | undefined => {
  if (isBinary) return undefined;
  try {
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8');
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    return value;
  } catch {
    return undefined;
  }
};

/**
 * Relays one authenticated client to the browser's DevTools endpoint. Pages the client creates
 * (`Target.createTarget`) are closed when it disconnects, so a runtime that goes away leaves no
 * page behind; `Browser.close` is answered without closing the bridge-owned browser.
 */
const relay = (client: WebSocket, options: BridgeServerOptions, id: number): void => {
  const upstream = new WebSocket(options.devtoolsUrl, {
    perMessageDeflate: false,
    maxPayload: 256 * 1024 * 1024,
  });
  const pending: { data: RawData; isBinary: boolean }[] = [];
  const createRequests = new Set<number>();
  const createdTargets = new Set<string>();
  let closing = false;

  const finish = (): void => {
    if (closing) return;
    closing = true;
    if (client.readyState === WebSocket.OPEN) client.close(1011, 'browser connection closed');
    if (upstream.readyState !== WebSocket.OPEN) {
      upstream.terminate();
      return;
    }
    // Close what this client opened, then drop the upstream connection.
    let next = 2_000_000_000;
    for (const targetId of createdTargets)
      upstream.send(JSON.stringify({ id: next++, method: 'Target.closeTarget', params: { targetId } }));
    if (createdTargets.size > 0)
      options.log(`connection #${id}: closing ${createdTargets.size} page(s) it opened`);
    const timer = setTimeout(() => upstream.terminate(), 2_000);
    let answered = 0;
    upstream.on('message', () => {
      answered += 1;
      if (answered >= createdTargets.size) {
        clearTimeout(timer);
        upstream.close();
      }
    });
    if (createdTargets.size === 0) {
      clearTimeout(timer);
      upstream.close();
    }
  };

  const toBrowser = (data: RawData, isBinary: boolean): void => {
    const msg = parse(data, isBinary);
    if (
      msg?.method !== undefined &&
      msg.sessionId === undefined &&
      BLOCKED_BROWSER_COMMANDS.has(msg.method)
    ) {
      options.log(
        `connection #${id}: ${msg.method} refused (the bridge owns the browser); disconnecting the client`,
      );
      if (msg.id !== undefined) client.send(JSON.stringify({ id: msg.id, result: {} }));
      client.close(1000, 'browser stays with the bridge');
      return;
    }
    if (msg?.method === 'Target.createTarget' && msg.id !== undefined && msg.sessionId === undefined)
      createRequests.add(msg.id);
    upstream.send(data, { binary: isBinary });
  };

  client.on('message', (data, isBinary) => {
    if (upstream.readyState === WebSocket.OPEN) toBrowser(data, isBinary);
    else pending.push({ data, isBinary });
  });
  upstream.on('open', () => {
    for (const m of pending.splice(0)) toBrowser(m.data, m.isBinary);
  });
  upstream.on('message', (data, isBinary) => {
    if (closing) return;
    if (createRequests.size > 0) {
      const msg = parse(data, isBinary);
      if (msg?.id !== undefined && msg.sessionId === undefined && createRequests.delete(msg.id)) {
        const targetId = msg.result?.targetId;
        if (targetId !== undefined) createdTargets.add(targetId);
      }
    }
    if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
  });
  client.on('close', () => {
    options.log(`connection #${id} closed`);
    finish();
  });
  client.on('error', () => finish());
  upstream.on('close', () => finish());
  upstream.on('error', (error) => {
    options.log(`connection #${id}: browser endpoint error: ${error.message}`);
    finish();
  });
};

export const startBridgeServer = async (options: BridgeServerOptions): Promise<BridgeServer> => {
  let connections = 0;
  const sockets = new Set<Socket>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 256 * 1024 * 1024,
  });

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const verdict = check(req, options);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (!verdict.ok) {
      options.log(
        `rejected HTTP ${req.method ?? '?'} ${pathOf(req)} from ${peer(req)}: ${verdict.status} ${verdict.reason}`,
      );
      send(verdict.status, {
        code: verdict.status === 401 ? 'unauthenticated' : 'forbidden',
        message: verdict.reason,
      });
      return;
    }
    if (req.method === 'GET' && pathOf(req) === HOST_BRIDGE_INFO_PATH) {
      send(200, options.info);
      return;
    }
    send(404, { code: 'not_found', message: `no such endpoint: ${pathOf(req)}` });
  };

  const server = createServer(onRequest);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket, head) => {
    const verdict: Verdict = check(req, options);
    const refuse = (status: 401 | 403 | 404, reason: string): void => {
      options.log(`rejected WebSocket ${pathOf(req)} from ${peer(req)}: ${status} ${reason}`);
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
      );
    };
    if (!verdict.ok) return refuse(verdict.status, verdict.reason);
    if (pathOf(req) !== HOST_BRIDGE_CDP_PATH) return refuse(404, `no WebSocket endpoint at ${pathOf(req)}`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      connections += 1;
      options.log(`accepted connection #${connections} from ${peer(req)} (Host ${req.headers.host ?? ''})`);
      relay(ws, options, connections);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.bind, port: options.port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
};
