import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { fetchDiscoveryDocument } from './discovery';
import { ServiceTokenError } from './errors';

export type ServiceTokenOptions = Readonly<{
  /** The issuer the client is registered with. */
  issuer: string;
  clientId: string;
  /** Sent with HTTP Basic authentication; never logged. */
  clientSecret: string;
  /**
   * The audience the token must carry (checked on the returned JWT, so a misconfigured client fails
   * here rather than with a 401 from the API).
   */
  audience?: string;
  /** RFC 8707 resource indicator to request (the dev issuer defaults to its API resource anyway). */
  resource?: string;
  scope?: string;
  /** Token endpoint; discovered from the issuer when absent. */
  tokenEndpoint?: string;
  /** A cached token is replaced once less than this many seconds of it remain (default 30). */
  minValiditySeconds?: number;
  fetchTimeoutMs?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}>;

export type ServiceTokenSource = Readonly<{
  /** A valid access token, from the cache while it has `minValiditySeconds` left. */
  getToken: () => Promise<string>;
  /** Drops the cached token (e.g. after the API answered 401). */
  invalidate: () => void;
}>;

type Cached = { token: string; refreshAt: number };

/**
 * A client-credentials token source for one service principal: fetches a token, caches it until
 * shortly before it expires, and shares one request among concurrent callers.
 */
export const createServiceTokenSource = (o: ServiceTokenOptions): ServiceTokenSource => {
  const now = o.now ?? Date.now;
  const minValidity = (o.minValiditySeconds ?? 30) * 1000;
  const timeoutMs = o.fetchTimeoutMs ?? 5_000;
  let cached: Cached | undefined;
  let pending: Promise<string> | undefined;
  let tokenEndpoint: string | undefined = o.tokenEndpoint;

  const endpoint = async (): Promise<string> => {
    if (tokenEndpoint !== undefined) return tokenEndpoint;
    let doc;
    try {
      doc = await fetchDiscoveryDocument(o.issuer, timeoutMs);
    } catch (e) {
      throw new ServiceTokenError(
        `cannot discover the token endpoint of ${o.issuer}`,
        { clientId: o.clientId },
        e,
      );
    }
    if (doc.token_endpoint === undefined)
      throw new ServiceTokenError(`the issuer ${o.issuer} publishes no token endpoint`, {
        clientId: o.clientId,
      });
    tokenEndpoint = doc.token_endpoint;
    return tokenEndpoint;
  };

  const fetchToken = async (): Promise<string> => {
    const url = await endpoint();
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (o.scope !== undefined) body.set('scope', o.scope);
    if (o.resource !== undefined) body.set('resource', o.resource);
    const basic = Buffer.from(
      `${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`,
    ).toString('base64');
    const started = now();
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
      });
    } catch (e) {
      throw new ServiceTokenError(`cannot reach the token endpoint ${url}`, { clientId: o.clientId }, e);
    }
    const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!res.ok || typeof json?.['access_token'] !== 'string') {
      const error = typeof json?.['error'] === 'string' ? json['error'] : undefined;
      throw new ServiceTokenError(
        `the token endpoint refused client ${o.clientId}: ${res.status}${error === undefined ? '' : ` ${error}`}`,
        { clientId: o.clientId, status: res.status, ...(error === undefined ? {} : { error }) },
      );
    }
    const token = json['access_token'];
    const expiresIn = typeof json['expires_in'] === 'number' ? json['expires_in'] * 1000 : undefined;
    let exp: number | undefined;
    let aud: string[] | undefined;
    try {
      const claims = decodeJwt(token);
      if (typeof claims.exp === 'number') exp = claims.exp * 1000;
      aud = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
    } catch {
      // an opaque token: rely on expires_in
    }
    if (o.audience !== undefined && aud !== undefined && !aud.includes(o.audience))
      throw new ServiceTokenError(`the token issued to ${o.clientId} is not for audience ${o.audience}`, {
        clientId: o.clientId,
        audience: aud,
      });
    const expiresAt = Math.min(exp ?? Infinity, expiresIn === undefined ? Infinity : started + expiresIn);
    const lifetime = Number.isFinite(expiresAt) ? expiresAt - started : 60_000;
    // Replace it when `minValidity` is left, or halfway through a token shorter than twice that.
    const margin = Math.min(minValidity, lifetime / 2);
    cached = { token, refreshAt: started + lifetime - margin };
    return token;
  };

  return Object.freeze({
    getToken: () => {
      if (cached !== undefined && now() < cached.refreshAt) return Promise.resolve(cached.token);
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate: () => {
      cached = undefined;
    },
  });
};

const sources = new Map<string, ServiceTokenSource>();

const cacheKey = (o: ServiceTokenOptions): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        o.issuer,
        o.clientId,
        o.clientSecret,
        o.audience,
        o.resource,
        o.scope,
        o.tokenEndpoint,
      ]),
    )
    .digest('hex');

/**
 * A client-credentials access token for a service principal, cached per (issuer, client, secret,
 * audience, resource, scope) until shortly before it expires.
 */
export const getServiceToken = (o: ServiceTokenOptions): Promise<string> => {
  const key = cacheKey(o);
  let source = sources.get(key);
  if (source === undefined) {
    source = createServiceTokenSource(o);
    sources.set(key, source);
  }
  return source.getToken();
};

/** Forgets every cached service token (tests; after rotating a client secret). */
export const clearServiceTokenCache = (): void => {
  sources.clear();
};
