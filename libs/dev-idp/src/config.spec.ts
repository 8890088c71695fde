import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, renderConfigTable } from '@bpane/config';
import { describe, expect, it } from 'vitest';
import {
  DEV_IDP_DEFAULTS,
  DEV_SERVICE_CLIENT_SECRETS,
  devIdpEnvSpec,
  loadDevIdpConfig,
  resolveDevIdpConfig,
  resourceIndicatorFor,
  silentLogger,
} from './config';

describe('dev-idp configuration', () => {
  it('has the documented defaults', () => {
    const c = loadDevIdpConfig({}, { logger: silentLogger });
    expect(c).toMatchObject({
      issuer: undefined,
      host: '127.0.0.1',
      port: 8090,
      audience: 'bpane-api',
      resourceIndicator: 'urn:bpane-api',
      accessTokenAlg: 'ES256',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 1_209_600,
      adminRedirectUris: ['http://localhost:8080/admin/', 'http://127.0.0.1:8080/admin/'],
    });
    expect(c.keysPath).toBe(resolve('.bpane/dev-idp/keys.json'));
    expect(c.users.map((u) => u.username)).toEqual(['demo', 'demo2']);
    expect(c.serviceClients.map((s) => [s.clientId, s.clientSecret])).toEqual(
      Object.entries(DEV_SERVICE_CLIENT_SECRETS),
    );
  });

  it('reads every BPANE_DEV_IDP_* variable', () => {
    const c = loadDevIdpConfig(
      {
        BPANE_DEV_IDP_ISSUER: 'https://id.example.test',
        BPANE_DEV_IDP_HOST: '0.0.0.0',
        BPANE_DEV_IDP_PORT: '0',
        BPANE_DEV_IDP_AUDIENCE: 'https://api.example.test',
        BPANE_DEV_IDP_KEYS_PATH: 'memory',
        BPANE_DEV_IDP_ACCESS_TOKEN_ALG: 'RS256',
        BPANE_DEV_IDP_ACCESS_TOKEN_TTL: '60',
        BPANE_DEV_IDP_ID_TOKEN_TTL: '120',
        BPANE_DEV_IDP_REFRESH_TOKEN_TTL: '3600',
        BPANE_DEV_IDP_DEVICE_CODE_TTL: '300',
        BPANE_DEV_IDP_ADMIN_REDIRECT_URIS: 'https://bpane.example.test/admin/',
        BPANE_DEV_IDP_MCP_BRIDGE_SECRET: 'a-much-longer-secret-value',
        BPANE_DEV_IDP_EXTRA_USERS: '[{"username":"eve","password":"eve-eve-eve","groups":["ops"]}]',
      },
      { logger: silentLogger },
    );
    expect(c).toMatchObject({
      issuer: 'https://id.example.test',
      host: '0.0.0.0',
      port: 0,
      audience: 'https://api.example.test',
      resourceIndicator: 'https://api.example.test',
      keysPath: null,
      accessTokenAlg: 'RS256',
      accessTokenTtlSeconds: 60,
      idTokenTtlSeconds: 120,
      refreshTokenTtlSeconds: 3600,
      deviceCodeTtlSeconds: 300,
      adminRedirectUris: ['https://bpane.example.test/admin/'],
    });
    expect(c.serviceClients.find((s) => s.clientId === 'bpane-mcp-bridge')?.clientSecret).toBe(
      'a-much-longer-secret-value',
    );
    expect(c.serviceClients.find((s) => s.clientId === 'bpane-workflow-worker')?.clientSecret).toBe(
      DEV_SERVICE_CLIENT_SECRETS['bpane-workflow-worker'],
    );
    expect(c.users.map((u) => u.username)).toEqual(['demo', 'demo2', 'eve']);
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadDevIdpConfig({
        BPANE_DEV_IDP_PORT: '99999',
        BPANE_DEV_IDP_ACCESS_TOKEN_ALG: 'HS256',
        BPANE_DEV_IDP_MCP_BRIDGE_SECRET: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('rejects bad users, issuers and redirect URIs without echoing passwords', () => {
    expect(() =>
      resolveDevIdpConfig({
        issuer: 'ftp://x',
        adminRedirectUris: ['http://x/#frag'],
        users: [
          { username: 'demo', password: 'secret-pw-1' },
          { username: 'demo', password: 'x' },
          { username: 'Bad Name', password: 'long-enough' },
        ],
      }),
    ).toThrowError(ConfigError);
    try {
      loadDevIdpConfig({
        BPANE_DEV_IDP_EXTRA_USERS: '[{"username":"x","password":"pw-hunter2-pw","role":"admin"}]',
      });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).message).toContain('unknown user field "role"');
      expect((e as ConfigError).message).not.toContain('hunter2');
    }
    expect(() => loadDevIdpConfig({ BPANE_DEV_IDP_EXTRA_USERS: 'not json' })).toThrowError(/JSON array/);
  });

  it('derives the resource indicator from the audience', () => {
    expect(resourceIndicatorFor('bpane-api')).toBe('urn:bpane-api');
    expect(resourceIndicatorFor('https://api.example.test/')).toBe('https://api.example.test/');
  });

  it('keeps code defaults, spec defaults and docs/identity.md in step', () => {
    expect(devIdpEnvSpec.port.default).toBe(DEV_IDP_DEFAULTS.port);
    // Compare cell by cell: Prettier may re-pad the table.
    const normalize = (text: string): string =>
      text
        .split('\n')
        .filter((l) => l.trimStart().startsWith('|'))
        .map((l) =>
          l
            .split(/(?<!\\)\|/)
            .map((c) => c.trim())
            .map((c) => (/^:?-+:?$/.test(c) ? '---' : c))
            .join('|'),
        )
        .join('\n');
    const docs = readFileSync(new URL('../../../docs/identity.md', import.meta.url), 'utf8');
    expect(normalize(docs)).toContain(normalize(renderConfigTable(devIdpEnvSpec)));
  });
});
