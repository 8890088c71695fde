import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { describeDevIdpConfig, resolveDevIdpConfig, type DevIdpConfig, type DevIdpOptions } from './config';
import { DevIdpError } from './errors';
import { createInteractionHandler, matchInteraction } from './interactions';
import { loadOrCreateKeyMaterial, publicJwks } from './keys';
import { createProvider } from './provider';
import { DevUserDirectory } from './users';
import type { JWK } from 'jose';

/** A running development OpenID provider. */
export type DevIdp = Readonly<{
  /** The issuer URL (`iss`); discovery is at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  /** The bound TCP port (useful with `port: 0`). */
  port: number;
  /** The audience (`aud`) of API access tokens. */
  audience: string;
  /** The RFC 8707 resource indicator of the API. */
  resourceIndicator: string;
  /** Well-known endpoints, for clients that do not use discovery. */
  endpoints: Readonly<{
    discovery: string;
    authorization: string;
    token: string;
    jwks: string;
    deviceAuthorization: string;
    revocation: string;
    userinfo: string;
    endSession: string;
  }>;
  /** The public signing keys as published on the JWKS endpoint. */
  jwks: Readonly<{ keys: readonly JWK[] }>;
  /** The resolved configuration (secrets included: do not log it). */
  config: DevIdpConfig;
  /** Stops listening and drops open connections. */
  close: () => Promise<void>;
}>;

const listen = (server: Server, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const onError = (e: Error): void =>
      reject(
        new DevIdpError('listen_failed', `cannot listen on ${host}:${port}: ${e.message}`, { cause: e }),
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });

const hostForUrl = (host: string): string => {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
};

/**
 * Starts the development OpenID provider (oidc-provider) on `host:port` (127.0.0.1:8090 unless told
 * otherwise; `port: 0` picks a free port). Options override the defaults of `devIdpEnvSpec`; the
 * standalone service passes `loadDevIdpConfig()` instead.
 */
export const startDevIdp = async (options: DevIdpOptions | DevIdpConfig = {}): Promise<DevIdp> => {
  const config = 'serviceClients' in options ? options : resolveDevIdpConfig(options);
  const { material, created } = await loadOrCreateKeyMaterial(config.keysPath);
  if (created && config.keysPath !== null) config.logger.info(`generated signing keys in ${config.keysPath}`);
  const users = new DevUserDirectory(config.users);

  // Requests that arrive before the provider exists (it needs the bound port) get a 503.
  const state: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => {
    const { handler } = state;
    if (handler === undefined) {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('starting');
      return;
    }
    handler(req, res);
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const port = await listen(server, config.port, config.host);
  const issuer = (config.issuer ?? `http://${hostForUrl(config.host)}:${port}`).replace(/\/+$/, '');
  let provider: Provider;
  try {
    provider = createProvider({ config, issuer, keys: material, users });
  } catch (e) {
    server.close();
    throw e;
  }
  provider.on('server_error', (_ctx, err) => config.logger.error(`server error: ${err.message}`));

  const interactions = createInteractionHandler({ provider, config, users });
  const oidc = provider.callback();
  state.handler = (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end('{"status":"ok"}');
      return;
    }
    const route = matchInteraction(req.method ?? 'GET', path);
    if (route !== undefined) {
      void interactions(req, res, route);
      return;
    }
    void oidc(req, res);
  };

  config.logger.info(
    `listening on ${hostForUrl(config.host)}:${port}; ${describeDevIdpConfig(config, issuer)}`,
  );

  let closing: Promise<void> | undefined;
  return {
    issuer,
    port,
    audience: config.audience,
    resourceIndicator: config.resourceIndicator,
    endpoints: {
      discovery: `${issuer}/.well-known/openid-configuration`,
      authorization: `${issuer}/auth`,
      token: `${issuer}/token`,
      jwks: `${issuer}/jwks`,
      deviceAuthorization: `${issuer}/device/auth`,
      revocation: `${issuer}/token/revocation`,
      userinfo: `${issuer}/me`,
      endSession: `${issuer}/session/end`,
    },
    jwks: publicJwks(material),
    config,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
};
