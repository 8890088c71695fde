import type { JWTPayload } from 'jose';
import { UnauthenticatedError } from './errors';

export type PrincipalKind = 'user' | 'service';

/**
 * The claims besides identity that access review and identity mappings may use (the bounded, safe
 * claim set). Only string values are kept; everything else in the token is dropped.
 */
export const SAFE_ATTRIBUTE_CLAIMS = [
  'tenant',
  'tenant_id',
  'organization',
  'organization_id',
  'org_id',
  'department',
] as const;
export type SafeAttributeClaim = (typeof SAFE_ATTRIBUTE_CLAIMS)[number];

/**
 * Who is calling, from a verified access token. Owner-scoped resources are keyed by
 * `(issuer, subject)`. Raw token payloads never leave `libs/auth`: this is all a service sees.
 */
export type Principal = Readonly<{
  kind: PrincipalKind;
  /** `sub`: a user's stable id, or for a service principal the id the issuer gives its client. */
  subject: string;
  /** `iss` of the token. */
  issuer: string;
  /** `preferred_username`. */
  username?: string;
  email?: string;
  /** `name` (display name). */
  name?: string;
  /** `groups` (group names; a Keycloak full path keeps its leading `/`). */
  groups: readonly string[];
  /** Keycloak realm roles, `roles`, and client roles as `<client>:<role>`. */
  roles: readonly string[];
  /** `scope`, split. */
  scopes: readonly string[];
  /** The OAuth client the token was issued to (`client_id`, else `azp`). */
  clientId?: string;
  /** String values of the safe attribute claims that are present. */
  attributes: Readonly<Partial<Record<SafeAttributeClaim, string>>>;
  /** `exp`, seconds since the epoch. */
  expiresAt: number;
}>;

const MAX_LIST = 200;
const MAX_STRING = 512;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_STRING ? v : undefined;

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => str(x) !== undefined).slice(0, MAX_LIST) : [];

const object = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const SERVICE_ACCOUNT_PREFIX = 'service-account-';

/**
 * Maps the payload of a verified access token to a `Principal`. Works with the dev issuer's tokens
 * (`principal_type: service` on client-credentials tokens) and with Keycloak's (`azp`,
 * `realm_access.roles`, `resource_access.<client>.roles`, service-account users).
 */
export const principalFromClaims = (payload: JWTPayload): Principal => {
  const subject = str(payload.sub);
  const issuer = str(payload.iss);
  if (subject === undefined || issuer === undefined || typeof payload.exp !== 'number')
    throw new UnauthenticatedError('invalid_claims', 'the token lacks sub, iss or exp');
  const typ = payload['typ'];
  if (typ !== undefined && typ !== 'Bearer')
    throw new UnauthenticatedError(
      'invalid_claims',
      `the token is not an access token (typ ${String(str(typ) ?? '?')})`,
    );

  const username = str(payload['preferred_username']);
  const tokenClientId = str(payload['client_id']) ?? str(payload['clientId']);
  const clientId = tokenClientId ?? str(payload['azp']);
  // A service principal: the dev issuer (and the Keycloak realm export) say so with
  // `principal_type: service`; a plain Keycloak service account is the user
  // `service-account-<client id>` with a `client_id` claim.
  const keycloakServiceAccount =
    tokenClientId !== undefined && username === `${SERVICE_ACCOUNT_PREFIX}${tokenClientId}`;
  const kind: PrincipalKind =
    payload['principal_type'] === 'service' || keycloakServiceAccount ? 'service' : 'user';

  const roles = new Set<string>(strings(payload['roles']));
  for (const r of strings(object(payload['realm_access'])?.['roles'])) roles.add(r);
  const resourceAccess = object(payload['resource_access']) ?? {};
  for (const [client, access] of Object.entries(resourceAccess).slice(0, MAX_LIST))
    for (const r of strings(object(access)?.['roles'])) roles.add(`${client}:${r}`);

  const attributes: Partial<Record<SafeAttributeClaim, string>> = {};
  for (const c of SAFE_ATTRIBUTE_CLAIMS) {
    const v = str(payload[c]);
    if (v !== undefined) attributes[c] = v;
  }

  const email = str(payload['email']);
  const name = str(payload['name']);
  const scope = str(payload['scope']);
  return Object.freeze({
    kind,
    subject,
    issuer,
    ...(username === undefined ? {} : { username }),
    ...(email === undefined ? {} : { email }),
    ...(name === undefined ? {} : { name }),
    groups: Object.freeze(strings(payload['groups'])),
    roles: Object.freeze([...roles].slice(0, MAX_LIST)),
    scopes: Object.freeze(
      scope === undefined
        ? []
        : scope
            .split(' ')
            .filter((s) => s.length > 0)
            .slice(0, MAX_LIST),
    ),
    ...(clientId === undefined ? {} : { clientId }),
    attributes: Object.freeze(attributes),
    expiresAt: payload.exp,
  });
};
