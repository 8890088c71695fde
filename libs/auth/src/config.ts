import { ConfigError, field, loadConfig } from '@bpane/config';
import { DEFAULT_ALGORITHMS, DEFAULT_CLOCK_TOLERANCE_SECONDS, type TokenVerifierOptions } from './verifier';

/**
 * How a service checks bearer tokens (`BPANE_OIDC_*`). Services include this spec in their own
 * configuration; the defaults point at the embedded development issuer.
 */
export const oidcEnvSpec = {
  issuer: field.url('BPANE_OIDC_ISSUER', 'Issuer whose access tokens are accepted (exact `iss`)', {
    default: 'http://127.0.0.1:8090',
    protocols: ['http', 'https'],
  }),
  audience: field.list('BPANE_OIDC_AUDIENCE', 'Accepted audience(s) (`aud`), comma separated', {
    default: ['bpane-api'],
  }),
  jwksUri: field.url(
    'BPANE_OIDC_JWKS_URI',
    'JWKS URL; default: `jwks_uri` from the issuer discovery document',
    {
      protocols: ['http', 'https'],
    },
  ),
  algorithms: field.list('BPANE_OIDC_ALGORITHMS', 'Accepted JWS algorithms, comma separated', {
    default: [...DEFAULT_ALGORITHMS],
  }),
  clockToleranceSeconds: field.int(
    'BPANE_OIDC_CLOCK_TOLERANCE_SECONDS',
    'Allowed clock skew for exp/nbf, seconds',
    {
      default: DEFAULT_CLOCK_TOLERANCE_SECONDS,
      min: 0,
      max: 300,
    },
  ),
} as const;

const ASYMMETRIC_ALGORITHMS = new Set([
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'Ed25519',
]);

/** Reads `BPANE_OIDC_*` into `createTokenVerifier` options. */
export const loadOidcVerifierOptions = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): TokenVerifierOptions => {
  const c = loadConfig(oidcEnvSpec, env);
  const unsupported = (c.algorithms ?? []).filter((a) => !ASYMMETRIC_ALGORITHMS.has(a));
  if (unsupported.length > 0)
    throw new ConfigError([
      `BPANE_OIDC_ALGORITHMS: ${unsupported.join(', ')} not allowed (use ES256, RS256, PS256, EdDSA, …)`,
    ]);
  return {
    issuer: c.issuer ?? 'http://127.0.0.1:8090',
    audience: c.audience ?? ['bpane-api'],
    ...(c.jwksUri === undefined ? {} : { jwksUri: c.jwksUri }),
    algorithms: c.algorithms ?? [...DEFAULT_ALGORITHMS],
    clockToleranceSeconds: c.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
  };
};
