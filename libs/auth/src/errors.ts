import { BpaneError } from '@bpane/errors';

/**
 * `unauthenticated`: the request carries no usable bearer token (HTTP 401).
 * `identity_provider_unavailable`: the token could not be checked because the issuer's discovery
 * document or JWKS could not be fetched (HTTP 503; the caller may retry).
 * `service_token_failed`: a service could not obtain a client-credentials token.
 */
export type AuthErrorCode = 'unauthenticated' | 'identity_provider_unavailable' | 'service_token_failed';

/** Why a bearer token was refused. Safe to show to the caller; never contains the token. */
export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'algorithm_not_allowed'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'invalid_claims';

export const AUTH_FAILURE_REASONS: readonly AuthFailureReason[] = [
  'missing',
  'malformed',
  'expired',
  'not_yet_valid',
  'bad_signature',
  'algorithm_not_allowed',
  'wrong_issuer',
  'wrong_audience',
  'invalid_claims',
];

export class AuthError extends BpaneError<AuthErrorCode> {}

/** The request is not authenticated; `reason` says why (see `AuthFailureReason`). */
export class UnauthenticatedError extends AuthError {
  readonly reason: AuthFailureReason;

  constructor(reason: AuthFailureReason, message: string, options?: { cause?: unknown }) {
    super('unauthenticated', message, { details: { reason }, cause: options?.cause });
    this.reason = reason;
  }
}

export class IdentityProviderUnavailableError extends AuthError {
  constructor(message: string, cause?: unknown) {
    super('identity_provider_unavailable', message, { cause });
  }
}

export class ServiceTokenError extends AuthError {
  constructor(message: string, details?: Record<string, unknown>, cause?: unknown) {
    super('service_token_failed', message, { ...(details === undefined ? {} : { details }), cause });
  }
}

export const isUnauthenticated = (e: unknown, reason?: AuthFailureReason): e is UnauthenticatedError =>
  e instanceof UnauthenticatedError && (reason === undefined || e.reason === reason);

/** HTTP status for an auth error code (used once, at the edge). */
export const authErrorStatus = (code: AuthErrorCode): number => {
  switch (code) {
    case 'unauthenticated':
      return 401;
    case 'identity_provider_unavailable':
      return 503;
    case 'service_token_failed':
      return 502;
  }
};

/**
 * The `WWW-Authenticate` challenge for a 401 (RFC 6750 §3): no error code when the token is
 * missing, `invalid_token` otherwise.
 */
export const bearerChallenge = (e: UnauthenticatedError, realm = 'bpane'): string =>
  e.reason === 'missing'
    ? `Bearer realm="${realm}"`
    : `Bearer realm="${realm}", error="invalid_token", error_description="${e.message.replace(/["\\]/g, '')}"`;
