import { readFileSync } from 'node:fs';
import { ConfigError, renderConfigTable } from '@bpane/config';
import { describe, expect, it } from 'vitest';
import { loadOidcVerifierOptions, oidcEnvSpec } from './config';

describe('BPANE_OIDC_* verifier options', () => {
  it('defaults to the dev issuer', () => {
    expect(loadOidcVerifierOptions({})).toEqual({
      issuer: 'http://127.0.0.1:8090',
      audience: ['bpane-api'],
      algorithms: ['ES256', 'RS256'],
      clockToleranceSeconds: 5,
    });
  });

  it('reads Keycloak settings', () => {
    expect(
      loadOidcVerifierOptions({
        BPANE_OIDC_ISSUER: 'http://keycloak:8080/realms/bpane',
        BPANE_OIDC_AUDIENCE: 'bpane-api, account',
        BPANE_OIDC_JWKS_URI: 'http://keycloak:8080/realms/bpane/protocol/openid-connect/certs',
        BPANE_OIDC_ALGORITHMS: 'RS256',
        BPANE_OIDC_CLOCK_TOLERANCE_SECONDS: '0',
      }),
    ).toEqual({
      issuer: 'http://keycloak:8080/realms/bpane',
      audience: ['bpane-api', 'account'],
      jwksUri: 'http://keycloak:8080/realms/bpane/protocol/openid-connect/certs',
      algorithms: ['RS256'],
      clockToleranceSeconds: 0,
    });
    expect(() => loadOidcVerifierOptions({ BPANE_OIDC_ISSUER: 'keycloak' })).toThrowError(ConfigError);
    expect(() => loadOidcVerifierOptions({ BPANE_OIDC_ALGORITHMS: 'RS256,HS256' })).toThrowError(
      /HS256 not allowed/,
    );
  });

  it('is documented in docs/identity.md', () => {
    const cells = (text: string): string[] =>
      text
        .split('\n')
        .filter((l) => l.startsWith('| `BPANE_OIDC_'))
        .map((l) =>
          l
            .split('|')
            .map((c) => c.trim())
            .join('|'),
        );
    const docs = readFileSync(new URL('../../../docs/identity.md', import.meta.url), 'utf8');
    expect(cells(docs)).toEqual(cells(renderConfigTable(oidcEnvSpec)));
  });
});
