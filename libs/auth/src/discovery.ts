import { IdentityProviderUnavailableError } from './errors';

/** The parts of an OpenID Provider's discovery document that BrowserPane uses. */
export type DiscoveryDocument = Readonly<{
  issuer: string;
  jwks_uri: string;
  token_endpoint?: string;
  authorization_endpoint?: string;
  device_authorization_endpoint?: string;
  end_session_endpoint?: string;
  revocation_endpoint?: string;
}>;

export const discoveryUrl = (issuer: string): string =>
  `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

const httpUrl = (v: unknown): v is string => typeof v === 'string' && /^https?:\/\//.test(v);

/**
 * Fetches `<issuer>/.well-known/openid-configuration` and checks that it names the same issuer
 * (OpenID Connect Discovery §4.3). Throws `IdentityProviderUnavailableError`.
 */
export const fetchDiscoveryDocument = async (
  issuer: string,
  timeoutMs = 5_000,
): Promise<DiscoveryDocument> => {
  const url = discoveryUrl(issuer);
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
  } catch (e) {
    throw new IdentityProviderUnavailableError(`cannot reach the issuer's discovery document at ${url}`, e);
  }
  if (!res.ok) throw new IdentityProviderUnavailableError(`discovery at ${url} answered ${res.status}`);
  const doc = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (doc?.['issuer'] !== issuer)
    throw new IdentityProviderUnavailableError(
      `discovery at ${url} names issuer ${JSON.stringify(doc?.['issuer'])}, expected ${JSON.stringify(issuer)}`,
    );
  if (!httpUrl(doc['jwks_uri']))
    throw new IdentityProviderUnavailableError(`discovery at ${url} has no usable jwks_uri`);
  const out: Record<string, string> = { issuer, jwks_uri: doc['jwks_uri'] };
  for (const k of [
    'token_endpoint',
    'authorization_endpoint',
    'device_authorization_endpoint',
    'end_session_endpoint',
    'revocation_endpoint',
  ]) {
    if (httpUrl(doc[k])) out[k] = doc[k];
  }
  return out as DiscoveryDocument;
};
