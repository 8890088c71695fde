import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizationUrl, codeChallenge, completeLogin, logoutUrl, Session, type AdminConfig } from './oidc';

class MemoryStorage implements Storage {
  #m = new Map<string, string>();
  get length() {
    return this.#m.size;
  }
  clear() {
    this.#m.clear();
  }
  getItem(k: string) {
    return this.#m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.#m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.#m.delete(k);
  }
  setItem(k: string, v: string) {
    this.#m.set(k, v);
  }
}

const cfg: AdminConfig = {
  issuer: 'http://127.0.0.1:8090',
  client_id: 'bpane-admin',
  scope: 'openid offline_access bpane:api',
  resource: 'urn:bpane-api',
  audience: 'bpane-api',
  api_base: '/api/v1',
};
const discovery = {
  authorization_endpoint: 'http://127.0.0.1:8090/auth',
  token_endpoint: 'http://127.0.0.1:8090/token',
  end_session_endpoint: 'http://127.0.0.1:8090/session/end',
};

describe('sign-in helpers', () => {
  it('computes the S256 challenge: base64url of the SHA-256 of the verifier, unpadded', async () => {
    for (const verifier of [
      'dBjftJeZ4CVP-mJ0tqrIOeUH80sqmTnA2ylHgwKAKzs',
      'a'.repeat(43),
      'x~y.z_-0'.repeat(8),
    ]) {
      const challenge = await codeChallenge(verifier);
      expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
      expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('builds a PKCE authorization request for the console on this origin', async () => {
    const storage = new MemoryStorage();
    const url = new URL(
      await authorizationUrl(cfg, discovery, 'http://localhost:8080', '/admin/projects', storage),
    );
    const p = url.searchParams;
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:8090/auth');
    expect(p.get('client_id')).toBe('bpane-admin');
    expect(p.get('redirect_uri')).toBe('http://localhost:8080/admin/');
    expect(p.get('resource')).toBe('urn:bpane-api');
    expect(p.get('scope')).toBe('openid offline_access bpane:api');
    expect(p.get('code_challenge_method')).toBe('S256');
    const pending = JSON.parse(storage.getItem('bpane-admin.pending-login') ?? '{}') as {
      verifier: string;
      state: string;
    };
    expect(p.get('state')).toBe(pending.state);
    expect(p.get('code_challenge')).toBe(await codeChallenge(pending.verifier));
  });

  it('refuses a callback whose state does not match, and ignores non-callbacks', async () => {
    const storage = new MemoryStorage();
    await authorizationUrl(cfg, discovery, 'http://localhost:8080', '/admin/', storage);
    expect(
      await completeLogin(cfg, discovery, 'http://localhost:8080/admin/sessions', storage),
    ).toBeUndefined();
    await expect(
      completeLogin(cfg, discovery, 'http://localhost:8080/admin/?code=abc&state=forged', storage),
    ).rejects.toThrow('state does not match');
    await expect(
      completeLogin(cfg, discovery, 'http://localhost:8080/admin/?error=access_denied', storage),
    ).rejects.toThrow('access_denied');
  });

  it('logs out at the issuer and returns to the console', () => {
    const url = new URL(
      logoutUrl(
        cfg,
        discovery,
        { access_token: 'a', id_token: 'id', expires_at: 0 },
        'http://localhost:8080',
      ),
    );
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:8080/admin/');
    expect(url.searchParams.get('id_token_hint')).toBe('id');
  });
});

describe('Session', () => {
  it('hands out the current token while it is fresh, without refreshing', async () => {
    const saved: unknown[] = [];
    const s = new Session(
      cfg,
      discovery,
      { access_token: 'at', refresh_token: 'rt', expires_at: Date.now() + 120_000 },
      (t) => saved.push(t),
    );
    expect(await s.accessToken()).toBe('at');
    expect(saved).toEqual([]);
  });

  it('reports expiry when there is no refresh token left', async () => {
    let expired = 0;
    const s = new Session(
      cfg,
      discovery,
      { access_token: 'at', expires_at: Date.now() - 1 },
      () => undefined,
    );
    s.onExpired = () => expired++;
    expect(await s.accessToken()).toBeUndefined();
    expect(s.signedIn).toBe(false);
    expect(expired).toBe(1);
  });
});
