import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from './errors';
import { principalFromClaims } from './principal';

const base = { iss: 'http://127.0.0.1:8090', exp: 2_000_000_000, iat: 1_900_000_000 };

describe('principalFromClaims', () => {
  it('maps a dev-issuer user token', () => {
    const p = principalFromClaims({
      ...base,
      sub: 'u-1',
      aud: 'bpane-api',
      client_id: 'bpane-admin',
      preferred_username: 'demo',
      email: 'demo@example.com',
      name: 'Demo User',
      groups: ['bpane-users', 'bpane-admins'],
      scope: 'bpane:api',
    });
    expect(p).toEqual({
      kind: 'user',
      subject: 'u-1',
      issuer: base.iss,
      username: 'demo',
      email: 'demo@example.com',
      name: 'Demo User',
      groups: ['bpane-users', 'bpane-admins'],
      roles: [],
      scopes: ['bpane:api'],
      clientId: 'bpane-admin',
      attributes: {},
      expiresAt: base.exp,
    });
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('maps a dev-issuer client-credentials token to a service principal', () => {
    const p = principalFromClaims({
      ...base,
      sub: 'bpane-mcp-bridge',
      client_id: 'bpane-mcp-bridge',
      principal_type: 'service',
    });
    expect(p).toMatchObject({
      kind: 'service',
      subject: 'bpane-mcp-bridge',
      clientId: 'bpane-mcp-bridge',
      groups: [],
    });
  });

  it('maps Keycloak tokens: azp, realm and client roles, safe attributes, service accounts', () => {
    const kc = 'http://localhost:8081/realms/bpane';
    const user = principalFromClaims({
      ...base,
      iss: kc,
      typ: 'Bearer',
      sub: '5d0c3f3e-8f0a-4a52-9a40-6f1e4c0d0001',
      azp: 'bpane-admin',
      preferred_username: 'demo',
      realm_access: { roles: ['offline_access', 'default-roles-bpane'] },
      resource_access: { 'bpane-api': { roles: ['operator'] }, account: { roles: ['view-profile'] } },
      scope: 'openid profile email',
      tenant: 'acme',
      department: 42,
      secret_stuff: 'dropped',
    });
    expect(user).toMatchObject({
      kind: 'user',
      issuer: kc,
      clientId: 'bpane-admin',
      roles: ['offline_access', 'default-roles-bpane', 'bpane-api:operator', 'account:view-profile'],
      scopes: ['openid', 'profile', 'email'],
      attributes: { tenant: 'acme' },
    });
    expect(JSON.stringify(user)).not.toContain('dropped');

    const sa = principalFromClaims({
      ...base,
      iss: kc,
      typ: 'Bearer',
      sub: '9f1d…',
      azp: 'bpane-recording-worker',
      client_id: 'bpane-recording-worker',
      preferred_username: 'service-account-bpane-recording-worker',
    });
    expect(sa).toMatchObject({ kind: 'service', clientId: 'bpane-recording-worker' });

    const notSa = principalFromClaims({
      ...base,
      sub: 'x',
      azp: 'bpane-admin',
      preferred_username: 'service-account-bpane-admin',
    });
    expect(notSa.kind).toBe('user');
  });

  it('refuses tokens without sub/iss/exp and Keycloak ID or refresh tokens', () => {
    expect(() => principalFromClaims({ iss: base.iss, exp: base.exp })).toThrowError(UnauthenticatedError);
    expect(() => principalFromClaims({ ...base, sub: 'x', typ: 'ID' })).toThrowError(/not an access token/);
    try {
      principalFromClaims({ ...base, sub: 'x', typ: 'Refresh' });
    } catch (e) {
      expect((e as UnauthenticatedError).reason).toBe('invalid_claims');
    }
  });

  it('bounds lists and strings', () => {
    const p = principalFromClaims({
      ...base,
      sub: 'x',
      groups: [...Array.from({ length: 500 }, (_, i) => `g${i}`), 7, 'y'.repeat(1000)],
    });
    expect(p.groups).toHaveLength(200);
  });
});
