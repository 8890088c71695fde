import type { ApiContract } from '@bpane/api-contract';
import {
  startDevIdp,
  silentLogger,
  userTokens,
  serviceTokens,
  type DevIdp,
  type ServiceClientId,
} from '@bpane/dev-idp';
import { createPostgresEventStore, type EventStore } from '@bpane/event-store';
import {
  defaultProjections,
  Projector,
  ProjectionPositions,
  ReadModelDatabase,
  readModelEntities,
} from '@bpane/read-models';
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import { createGatewayApp, type GatewayApp } from '../app';
import { loadGatewayConfig, type GatewayConfig } from '../config';

/**
 * A whole control plane for end-to-end tests, on loopback: a fresh PostgreSQL database (event store
 * + read models), the real embedded OpenID provider, the projector and the gateway. Every response
 * that passes through `client()` is validated against the OpenAPI contract; violations are
 * collected in `contractViolations` and tests assert there are none.
 */
export type Harness = Readonly<{
  gateway: GatewayApp;
  idp: DevIdp;
  db: TestDatabase;
  store: EventStore;
  config: GatewayConfig;
  contractViolations: string[];
  tokenFor: (username: 'demo' | 'demo2') => Promise<string>;
  serviceToken: (clientId: ServiceClientId) => Promise<string>;
  client: (token?: string) => ApiClient;
  close: () => Promise<void>;
}>;

export type ApiResponse<T = unknown> = Readonly<{
  status: number;
  body: T;
  headers: Headers;
  contentType: string;
}>;

export type ApiClient = Readonly<{
  request: <T = unknown>(
    method: string,
    path: string,
    options?: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ) => Promise<ApiResponse<T>>;
  get: <T = unknown>(path: string) => Promise<ApiResponse<T>>;
  post: <T = unknown>(
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<ApiResponse<T>>;
  put: <T = unknown>(path: string, body?: unknown) => Promise<ApiResponse<T>>;
  del: <T = unknown>(path: string) => Promise<ApiResponse<T>>;
}>;

const PASSWORDS = { demo: 'demo-demo', demo2: 'demo2-demo2' } as const;

export const makeClient = (
  baseUrl: string,
  contract: ApiContract,
  violations: string[],
  token?: string,
): ApiClient => {
  const request = async <T>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (token !== undefined) headers['authorization'] ??= `Bearer ${token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    let parsed: unknown = text;
    if (contentType.includes('json') && text.length > 0) parsed = JSON.parse(text);
    const match = contract.match(method, path.split('?')[0]!);
    if (match !== undefined) {
      for (const v of contract.validateResponse(match.operation, res.status, contentType, parsed))
        violations.push(`${method} ${path}: ${v}`);
    } else if (res.status !== 404 && res.status !== 405) {
      violations.push(`${method} ${path}: answered ${res.status} but the contract has no such operation`);
    }
    return { status: res.status, body: parsed as T, headers: res.headers, contentType };
  };
  return {
    request,
    get: (path) => request('GET', path),
    post: (path, body, headers) => request('POST', path, { body, ...(headers ? { headers } : {}) }),
    put: (path, body) => request('PUT', path, { body }),
    del: (path) => request('DELETE', path),
  };
};

export const startHarness = async (env: Record<string, string> = {}): Promise<Harness> => {
  const db = await createTestDatabase('bpane_gw');
  const idp = await startDevIdp({ port: 0, keysPath: null, logger: silentLogger });
  const config = loadGatewayConfig({
    BPANE_GATEWAY_PORT: '0',
    BPANE_PG_URL: db.url,
    BPANE_OIDC_ISSUER: idp.issuer,
    BPANE_OIDC_AUDIENCE: idp.audience,
    BPANE_LOG_LEVEL: 'error',
    // Generous on a busy test machine; a real timeout is still a failure, not a hang.
    BPANE_READ_YOUR_WRITES_TIMEOUT_MS: '20000',
    // Tests that want real browser runtimes ask for them (BPANE_RUNTIME_BACKEND=local).
    BPANE_RUNTIME_BACKEND: 'none',
    ...env,
  });
  const store = await createPostgresEventStore({ connectionString: db.url });
  const projectorDb = await ReadModelDatabase.connect({ url: db.url, entities: readModelEntities });
  const projector = new Projector({ store, db: projectorDb, projections: defaultProjections(), lingerMs: 2 });
  await projector.start();
  const readModels = await ReadModelDatabase.connect({ url: db.url, entities: readModelEntities });
  const positions = new ProjectionPositions({ url: db.url, pollIntervalMs: 200 });
  const gateway = await createGatewayApp(config, {
    infra: { store: await createPostgresEventStore({ connectionString: db.url }), readModels, positions },
    logLevels: ['fatal', 'error'],
  });
  const contractViolations: string[] = [];
  const tokens = new Map<string, string>();
  return {
    gateway,
    idp,
    db,
    store,
    config,
    contractViolations,
    tokenFor: async (username) => {
      const cached = tokens.get(username);
      if (cached !== undefined) return cached;
      const set = await userTokens({ issuer: idp.issuer, username, password: PASSWORDS[username] });
      tokens.set(username, set.access_token);
      return set.access_token;
    },
    serviceToken: async (clientId) => (await serviceTokens(idp.issuer, clientId)).access_token,
    client: (token) => makeClient(gateway.url, gateway.contract, contractViolations, token),
    close: async () => {
      await gateway.close();
      await projector.stop();
      await projectorDb.close();
      await store.close();
      await idp.close();
      await db.drop();
    },
  };
};
