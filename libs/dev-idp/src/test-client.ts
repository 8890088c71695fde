import { createHash, randomBytes } from 'node:crypto';
import { ADMIN_CLIENT_ID, DEV_SERVICE_CLIENT_SECRETS, type ServiceClientId } from './config';

/**
 * A small OAuth client for tests and scripts: it signs a user in through the provider's real login
 * form (authorization code + PKCE, following the redirects with a cookie jar, the way a browser
 * would) and fetches client-credentials tokens. Works against any issuer whose login form has
 * `username`/`password` fields posted to the form's action, i.e. the dev issuer.
 */

export type TokenSet = Readonly<{
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}>;

export class OAuthTestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
    this.name = 'OAuthTestError';
  }
}

type Cookie = { name: string; value: string; path: string };

/** A minimal cookie jar: one origin, path-scoped, honours deletion. */
export class CookieJar {
  #cookies: Cookie[] = [];

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = false;
      for (const a of attrs) {
        const [k = '', v = ''] = a.split('=');
        const key = k.toLowerCase();
        if (key === 'path') path = v || '/';
        if (key === 'max-age' && Number(v) <= 0) expired = true;
        if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      }
      this.#cookies = this.#cookies.filter((c) => !(c.name === name && c.path === path));
      if (!expired) this.#cookies.push({ name, value, path });
    }
  }

  header(url: string): string {
    const path = new URL(url).pathname;
    return this.#cookies
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

export const pkcePair = (): { verifier: string; challenge: string } => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

const form = (values: Record<string, string | undefined>): URLSearchParams => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) p.set(k, v);
  return p;
};

const postToken = async (
  tokenEndpoint: string,
  body: URLSearchParams,
  basic?: { clientId: string; clientSecret: string },
): Promise<TokenSet> => {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (basic !== undefined)
    headers['authorization'] = `Basic ${Buffer.from(
      `${encodeURIComponent(basic.clientId)}:${encodeURIComponent(basic.clientSecret)}`,
    ).toString('base64')}`;
  const res = await fetch(tokenEndpoint, { method: 'POST', headers, body });
  const text = await res.text();
  if (!res.ok) throw new OAuthTestError(`token request failed with ${res.status}`, res.status, text);
  return JSON.parse(text) as TokenSet;
};

export type LoginOptions = Readonly<{
  issuer: string;
  username: string;
  password: string;
  clientId?: string;
  /** Must be registered for the client (a loopback one for bpane-admin / bpane-cli works on any port). */
  redirectUri?: string;
  scope?: string;
  /** Set `false` to leave out PKCE (to test that the provider rejects it). */
  pkce?: boolean;
}>;

export type LoginResult =
  | Readonly<{ ok: true; tokens: TokenSet; code: string }>
  | Readonly<{ ok: false; status: number; page: string; location?: string }>;

/**
 * Signs in through the login form. Returns the tokens, or (`ok: false`) the page or redirect the
 * provider answered with instead (wrong password: the login page again with status 401).
 */
export const loginWithPassword = async (o: LoginOptions): Promise<LoginResult> => {
  const clientId = o.clientId ?? ADMIN_CLIENT_ID;
  const redirectUri = o.redirectUri ?? 'http://127.0.0.1:8080/admin/';
  const jar = new CookieJar();
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(12).toString('base64url');
  const auth = new URL(`${o.issuer}/auth`);
  auth.search = form({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: o.scope ?? 'openid profile email groups',
    state,
    nonce: randomBytes(12).toString('base64url'),
    ...(o.pkce === false ? {} : { code_challenge: challenge, code_challenge_method: 'S256' }),
  }).toString();

  let url = auth.href;
  let init: RequestInit = {};
  let postedLogin = false;
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: jar.header(url) },
    });
    jar.store(res);
    init = {};
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location !== null) {
      const next = new URL(location, url).href;
      if (next.startsWith(redirectUri)) {
        const params = new URL(next).searchParams;
        const code = params.get('code');
        if (code === null || params.get('state') !== state)
          return { ok: false, status: res.status, page: '', location: next };
        const tokens = await postToken(
          `${o.issuer}/token`,
          form({
            grant_type: 'authorization_code',
            code,
            redirect_uri: redirectUri,
            client_id: clientId,
            ...(o.pkce === false ? {} : { code_verifier: verifier }),
          }),
        );
        return { ok: true, tokens, code };
      }
      url = next;
      continue;
    }
    const page = await res.text();
    const action = /<form method="post" action="([^"]+\/login)"/.exec(page)?.[1];
    if (res.status === 200 && action !== undefined && !postedLogin) {
      postedLogin = true;
      url = new URL(action.replace(/&#47;/g, '/'), url).href;
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ username: o.username, password: o.password }),
      };
      continue;
    }
    return { ok: false, status: res.status, page };
  }
  throw new OAuthTestError('too many redirects during sign-in');
};

/** Like `loginWithPassword`, but throws unless the sign-in succeeds. */
export const userTokens = async (o: LoginOptions): Promise<TokenSet> => {
  const r = await loginWithPassword(o);
  if (!r.ok) throw new OAuthTestError(`sign-in as ${o.username} failed with ${r.status}`, r.status, r.page);
  return r.tokens;
};

export const refreshTokens = (
  issuer: string,
  refreshToken: string,
  clientId: string = ADMIN_CLIENT_ID,
): Promise<TokenSet> =>
  postToken(
    `${issuer}/token`,
    form({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }),
  );

/** A client-credentials token for a built-in service client (dev default secret unless given). */
export const serviceTokens = (
  issuer: string,
  clientId: ServiceClientId,
  clientSecret: string = DEV_SERVICE_CLIENT_SECRETS[clientId],
  scope?: string,
): Promise<TokenSet> =>
  postToken(`${issuer}/token`, form({ grant_type: 'client_credentials', scope }), { clientId, clientSecret });
