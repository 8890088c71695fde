import { readFileSync } from 'node:fs';
import {
  ADMIN_CLIENT_ID,
  CLI_CLIENT_ID,
  DEFAULT_DEV_USERS,
  DEV_SERVICE_CLIENT_SECRETS,
  SERVICE_CLIENT_IDS,
} from '@bpane/dev-idp';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Keycloak cannot run on our machines, so the realm export is checked for the structure the
// platform relies on: the same clients, users, secrets and claims as the dev issuer.

type Mapper = { name: string; protocolMapper: string; config: Record<string, string> };
type Client = {
  clientId: string;
  enabled: boolean;
  publicClient: boolean;
  standardFlowEnabled: boolean;
  implicitFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  clientAuthenticatorType?: string;
  secret?: string;
  redirectUris: string[];
  attributes: Record<string, string>;
  protocolMappers: Mapper[];
};
type User = {
  id?: string;
  username: string;
  enabled: boolean;
  email?: string;
  firstName?: string;
  lastName?: string;
  groups?: string[];
  serviceAccountClientId?: string;
  credentials?: { type: string; value: string; temporary: boolean }[];
};
type Realm = {
  realm: string;
  enabled: boolean;
  sslRequired: string;
  registrationAllowed: boolean;
  clients: Client[];
  users: User[];
  groups: { name: string; path: string }[];
  clientScopes?: unknown;
};

const realm = JSON.parse(readFileSync(new URL('./bpane-realm.json', import.meta.url), 'utf8')) as Realm;
const client = (id: string): Client => {
  const c = realm.clients.find((x) => x.clientId === id);
  if (c === undefined) throw new Error(`client ${id} missing`);
  return c;
};
const mapper = (c: Client, type: string): Mapper | undefined =>
  c.protocolMappers.find((m) => m.protocolMapper === type);

describe('infra/keycloak/bpane-realm.json', () => {
  it('is the realm docker-compose.yml points the services at', () => {
    const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as {
      'x-bpane-env'?: Record<string, string>;
    };
    const issuer = compose['x-bpane-env']?.['BPANE_OIDC_ISSUER'];
    expect(issuer, 'BPANE_OIDC_ISSUER in docker-compose.yml').toMatch(/\/realms\/[^/]+$/);
    expect(issuer!.split('/realms/')[1]).toBe(realm.realm);
    expect(compose['x-bpane-env']?.['BPANE_OIDC_AUDIENCE']).toBe('bpane-api');
    expect(realm.enabled).toBe(true);
    expect(realm.registrationAllowed).toBe(false);
  });

  it('does not replace Keycloak’s default client scopes (profile, email, roles, basic)', () => {
    expect(realm.clientScopes).toBeUndefined();
  });

  it('has the admin console and the CLI as public clients that require PKCE S256', () => {
    for (const id of [ADMIN_CLIENT_ID, CLI_CLIENT_ID]) {
      const c = client(id);
      expect(c, id).toMatchObject({
        enabled: true,
        publicClient: true,
        standardFlowEnabled: true,
        implicitFlowEnabled: false,
        directAccessGrantsEnabled: false,
        serviceAccountsEnabled: false,
      });
      expect(c.attributes['pkce.code.challenge.method'], id).toBe('S256');
      expect(c.redirectUris.length, id).toBeGreaterThan(0);
      expect(
        c.redirectUris.every((u) => !u.includes('*') || u.endsWith('/*')),
        id,
      ).toBe(true);
    }
    expect(client(ADMIN_CLIENT_ID).redirectUris).toContain('http://localhost:8080/admin/*');
    expect(client(CLI_CLIENT_ID).redirectUris).toContain('http://127.0.0.1/*');
    expect(client(CLI_CLIENT_ID).attributes['oauth2.device.authorization.grant.enabled']).toBe('true');
  });

  it('has the service principals as confidential client-credentials clients with the dev secrets', () => {
    for (const id of SERVICE_CLIENT_IDS) {
      const c = client(id);
      expect(c, id).toMatchObject({
        enabled: true,
        publicClient: false,
        clientAuthenticatorType: 'client-secret',
        serviceAccountsEnabled: true,
        standardFlowEnabled: false,
        implicitFlowEnabled: false,
        directAccessGrantsEnabled: false,
      });
      expect(c.secret, id).toBe(DEV_SERVICE_CLIENT_SECRETS[id]);
      expect(mapper(c, 'oidc-hardcoded-claim-mapper')?.config, id).toMatchObject({
        'claim.name': 'principal_type',
        'claim.value': 'service',
        'access.token.claim': 'true',
      });
      expect(realm.users.find((u) => u.serviceAccountClientId === id)?.username).toBe(
        `service-account-${id}`,
      );
    }
    expect(realm.clients.map((c) => c.clientId).sort()).toEqual(
      [ADMIN_CLIENT_ID, CLI_CLIENT_ID, ...SERVICE_CLIENT_IDS].sort(),
    );
  });

  it('puts aud bpane-api into every client’s access tokens', () => {
    for (const c of realm.clients) {
      expect(mapper(c, 'oidc-audience-mapper')?.config, c.clientId).toMatchObject({
        'included.custom.audience': 'bpane-api',
        'access.token.claim': 'true',
      });
    }
  });

  it('puts groups (short names) into user tokens', () => {
    for (const id of [ADMIN_CLIENT_ID, CLI_CLIENT_ID]) {
      expect(mapper(client(id), 'oidc-group-membership-mapper')?.config, id).toMatchObject({
        'claim.name': 'groups',
        'full.path': 'false',
        'access.token.claim': 'true',
      });
    }
  });

  it('has the dev issuer’s users: same usernames, passwords, subjects, emails, names and groups', () => {
    const groupNames = realm.groups.map((g) => g.name);
    for (const u of DEFAULT_DEV_USERS) {
      const kc = realm.users.find((x) => x.username === u.username);
      expect(kc, u.username).toBeDefined();
      expect(kc!.enabled).toBe(true);
      expect(kc!.id).toBe(u.subject);
      expect(kc!.email).toBe(u.email);
      expect(`${kc!.firstName} ${kc!.lastName}`).toBe(u.name);
      expect(kc!.credentials).toEqual([{ type: 'password', value: u.password, temporary: false }]);
      expect(kc!.groups).toEqual((u.groups ?? []).map((g) => `/${g}`));
      for (const g of u.groups ?? []) expect(groupNames).toContain(g);
    }
    expect(realm.users.find((x) => x.username === 'demo')?.credentials?.[0]?.value).toBe('demo-demo');
  });
});
