import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HealthProbe = Readonly<{
  live: () => { ok: boolean } & Record<string, unknown>;
  ready: () => Promise<{ ready: boolean } & Record<string, unknown>>;
}>;

/**
 * A small HTTP server with two routes: `GET /healthz` (liveness: 200 while the agent and its X
 * server run) and `GET /readyz` (readiness: 200 once every runtime process runs and Chromium
 * answers on its DevTools port). Anything else is a 404. JSON bodies.
 */
export class HealthServer {
  private server: Server | null = null;

  constructor(private readonly probe: HealthProbe) {}

  async listen(host: string, port: number): Promise<number> {
    const server = createServer((req, res) => {
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'GET') return send(405, { error: 'method not allowed' });
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/healthz') {
        const live = this.probe.live();
        return send(live.ok ? 200 : 503, live);
      }
      if (path === '/readyz') {
        this.probe
          .ready()
          .then((r) => send(r.ready ? 200 : 503, r))
          .catch((e: unknown) => send(503, { ready: false, reason: (e as Error).message }));
        return;
      }
      send(404, { error: 'not found' });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
