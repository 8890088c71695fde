import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { IdentityProviderUnavailableError, UnauthenticatedError, type AuthError } from './errors';
import { fetchDiscoveryDocument } from './discovery';
import { principalFromClaims, type Principal } from './principal';

export const DEFAULT_ALGORITHMS = ['ES256', 'RS256'] as const;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;

/** Tokens longer than this are refused without parsing. */
export const MAX_TOKEN_LENGTH = 16 * 1024;

export type TokenVerifierOptions = Readonly<{
  /** Expected `iss`, exactly (e.g. `http://127.0.0.1:8090` or `https://kc.example/realms/bpane`). */
  issuer: string;
  /** Expected `aud` (one of these must be in the token's `aud`). */
  audience: string | readonly string[];
  /** JWKS URL; when absent it is read from the issuer's discovery document (once, lazily). */
  jwksUri?: string;
  /** Accepted JWS algorithms (default ES256, RS256). `none` and HMAC are never accepted. */
  algorithms?: readonly string[];
  /** Allowed clock skew for `exp`/`nbf`/`iat`, seconds (default 5). */
  clockToleranceSeconds?: number;
  /** Timeout of discovery and JWKS requests, milliseconds (default 5000). */
  fetchTimeoutMs?: number;
  /** A key resolver to use instead of the remote JWKS (tests, or keys known out of band). */
  keySet?: JWTVerifyGetKey;
  /** The clock (tests). */
  now?: () => Date;
}>;

export type TokenVerifier = Readonly<{
  issuer: string;
  audience: readonly string[];
  /** Verifies a compact JWS access token and returns its principal; throws `AuthError`. */
  verify: (token: string) => Promise<Principal>;
  /** Verifies the value of an `Authorization` header (`Bearer <token>`); throws `AuthError`. */
  verifyAuthorizationHeader: (header: string | readonly string[] | undefined) => Promise<Principal>;
}>;

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const FORBIDDEN_ALGS = /^(none|HS\d+)$/i;

/** The token of an `Authorization: Bearer <token>` header; throws `UnauthenticatedError`. */
export const extractBearerToken = (header: string | readonly string[] | undefined): string => {
  if (header === undefined || header === '') throw new UnauthenticatedError('missing', 'no bearer token');
  if (typeof header !== 'string')
    throw new UnauthenticatedError('malformed', 'more than one Authorization header');
  const m = /^Bearer +([^\s]+) *$/i.exec(header);
  if (m === null)
    throw new UnauthenticatedError('malformed', 'the Authorization header is not "Bearer <token>"');
  return m[1]!;
};

/** Reads `jwks_uri` from the issuer's discovery document. */
export const discoverJwksUri = async (issuer: string, timeoutMs = 5_000): Promise<string> =>
  (await fetchDiscoveryDocument(issuer, timeoutMs)).jwks_uri;

const JWKS_FAILURE = /JWKS|JSON Web Key Set|fetch failed|ECONNREFUSED|ENOTFOUND|timed out|aborted/i;

/** Maps a jose (or fetch) error to a typed auth error. Messages never include the token. */
export const mapVerificationError = (e: unknown): AuthError => {
  if (e instanceof UnauthenticatedError || e instanceof IdentityProviderUnavailableError) return e;
  const code = (e as { code?: unknown }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new UnauthenticatedError('expired', 'the token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (e as { claim?: string }).claim;
      if (claim === 'iss')
        return new UnauthenticatedError('wrong_issuer', 'the token was issued by another issuer');
      if (claim === 'aud')
        return new UnauthenticatedError('wrong_audience', 'the token is meant for another audience');
      if (claim === 'nbf' || claim === 'iat')
        return new UnauthenticatedError('not_yet_valid', 'the token is not valid yet');
      return new UnauthenticatedError('invalid_claims', `the token's ${claim ?? 'claims'} are invalid`);
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new UnauthenticatedError('bad_signature', 'the token signature does not verify');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new UnauthenticatedError(
        'bad_signature',
        'the token is signed with a key the issuer does not publish',
      );
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new UnauthenticatedError(
        'algorithm_not_allowed',
        'the token is signed with an algorithm that is not accepted',
      );
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new UnauthenticatedError('malformed', 'the token is not a well-formed signed JWT');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return new IdentityProviderUnavailableError('the issuer key set could not be fetched', e);
    default: {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof TypeError || JWKS_FAILURE.test(message))
        return new IdentityProviderUnavailableError('the issuer key set could not be fetched', e);
      return new UnauthenticatedError('malformed', 'the token could not be verified');
    }
  }
};

/**
 * A verifier for one issuer's access tokens: signature against the issuer's JWKS (cached by jose,
 * refetched on an unknown `kid`), `iss`, `aud`, `exp`/`nbf` with a small clock tolerance, and an
 * algorithm allow-list. Returns a `Principal`; every failure is a typed `AuthError`.
 */
export const createTokenVerifier = (options: TokenVerifierOptions): TokenVerifier => {
  const { issuer } = options;
  const audience = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  if (audience.length === 0) throw new TypeError('createTokenVerifier: audience is required');
  const forbidden = algorithms.find((a) => FORBIDDEN_ALGS.test(a));
  if (forbidden !== undefined)
    throw new TypeError(`createTokenVerifier: algorithm ${forbidden} is not allowed`);
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const timeoutMs = options.fetchTimeoutMs ?? 5_000;

  let keySet: Promise<JWTVerifyGetKey> | undefined =
    options.keySet === undefined ? undefined : Promise.resolve(options.keySet);
  const remote = (jwksUri: string): JWTVerifyGetKey =>
    createRemoteJWKSet(new URL(jwksUri), {
      timeoutDuration: timeoutMs,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
  const getKeySet = (): Promise<JWTVerifyGetKey> => {
    keySet ??= (
      options.jwksUri !== undefined ? Promise.resolve(options.jwksUri) : discoverJwksUri(issuer, timeoutMs)
    ).then(remote, (e: unknown) => {
      keySet = undefined; // try discovery again on the next request
      throw e;
    });
    return keySet;
  };

  const verify = async (token: string): Promise<Principal> => {
    if (typeof token !== 'string' || token.length === 0)
      throw new UnauthenticatedError('missing', 'no bearer token');
    if (token.length > MAX_TOKEN_LENGTH || !JWS_COMPACT.test(token))
      throw new UnauthenticatedError('malformed', 'the token is not a compact signed JWT');
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new UnauthenticatedError('malformed', 'the token header is not valid JSON');
    }
    if (typeof alg !== 'string' || !algorithms.includes(alg))
      throw new UnauthenticatedError(
        'algorithm_not_allowed',
        'the token is signed with an algorithm that is not accepted',
      );
    let payload: JWTPayload;
    try {
      const keys = await getKeySet();
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms,
        clockTolerance,
        requiredClaims: ['sub', 'exp', 'iat'],
        ...(options.now === undefined ? {} : { currentDate: options.now() }),
      }));
    } catch (e) {
      throw mapVerificationError(e);
    }
    return principalFromClaims(payload);
  };

  return Object.freeze({
    issuer,
    audience,
    verify,
    verifyAuthorizationHeader: async (header) => verify(extractBearerToken(header)),
  });
};
