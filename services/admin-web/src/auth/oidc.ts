/**
 * Sign-in for the console: OpenID Connect authorization code flow with PKCE (S256) as a public
 * client, refresh with the rotating refresh token, and RP-initiated logout. Tokens live in
 * sessionStorage (this tab only) and are never logged.
 */

/** `GET /admin/config.json`. */
export type AdminConfig = Readonly<{
  issuer: string;
  client_id: string;
  scope: string;
  resource: string;
  audience: string;
  api_base: string;
}>;

export type Discovery = Readonly<{
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}>;

export type Tokens = Readonly<{
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  /** Epoch milliseconds. */
  expires_at: number;
}>;

const TOKENS_KEY = 'bpane-admin.tokens';
const PENDING_KEY = 'bpane-admin.pending-login';

export const base64Url = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const randomString = (bytes = 32): string => base64Url(crypto.getRandomValues(new Uint8Array(bytes)));

/** The S256 code challenge of a verifier (RFC 7636). */
export const codeChallenge = async (verifier: string): Promise<string> =>
  base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));

/** Where the issuer sends the browser back: the console's root on this origin. */
export const redirectUri = (origin: string): string => `${origin}/admin/`;

export const loadDiscovery = async (issuer: string): Promise<Discovery> => {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`the issuer ${issuer} answered ${res.status} to discovery`);
  return (await res.json()) as Discovery;
};

/** The authorization request URL; stores the verifier and state for the callback. */
export const authorizationUrl = async (
  cfg: AdminConfig,
  discovery: Discovery,
  origin: string,
  returnTo: string,
  storage: Storage = sessionStorage,
): Promise<string> => {
  const verifier = randomString(48);
  const state = randomString(16);
  storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: cfg.client_id,
    redirect_uri: redirectUri(origin),
    response_type: 'code',
    scope: cfg.scope,
    resource: cfg.resource,
    state,
    nonce: randomString(16),
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
};

type TokenResponse = {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
};

const tokenRequest = async (endpoint: string, form: Record<string, string>): Promise<Tokens> => {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const body = (await res.json().catch(() => ({}))) as TokenResponse & {
    error?: string;
    error_description?: string;
  };
  if (!res.ok)
    throw new Error(
      `token request refused: ${body.error ?? res.status} ${body.error_description ?? ''}`.trim(),
    );
  return {
    access_token: body.access_token,
    ...(body.refresh_token === undefined ? {} : { refresh_token: body.refresh_token }),
    ...(body.id_token === undefined ? {} : { id_token: body.id_token }),
    expires_at: Date.now() + (body.expires_in ?? 300) * 1000,
  };
};

/**
 * Finishes a sign-in when `href` is the issuer's redirect back (code and state in the query):
 * checks the state, redeems the code with the verifier and returns the tokens and the page to
 * return to. `undefined` when `href` is not a callback.
 */
export const completeLogin = async (
  cfg: AdminConfig,
  discovery: Discovery,
  href: string,
  storage: Storage = sessionStorage,
): Promise<{ tokens: Tokens; returnTo: string } | undefined> => {
  const url = new URL(href);
  const code = url.searchParams.get('code');
  const error = url.searchParams.get('error');
  if (code === null && error === null) return undefined;
  const pending = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (error !== null)
    throw new Error(`sign-in failed: ${error} ${url.searchParams.get('error_description') ?? ''}`.trim());
  if (pending === null) throw new Error('sign-in failed: no sign-in was started in this tab');
  const { verifier, state, returnTo } = JSON.parse(pending) as {
    verifier: string;
    state: string;
    returnTo: string;
  };
  if (url.searchParams.get('state') !== state) throw new Error('sign-in failed: the state does not match');
  const tokens = await tokenRequest(discovery.token_endpoint, {
    grant_type: 'authorization_code',
    code: code ?? '',
    redirect_uri: redirectUri(url.origin),
    client_id: cfg.client_id,
    code_verifier: verifier,
  });
  return { tokens, returnTo };
};

export const refreshTokens = async (
  cfg: AdminConfig,
  discovery: Discovery,
  tokens: Tokens,
): Promise<Tokens> => {
  if (tokens.refresh_token === undefined) throw new Error('no refresh token: sign in again');
  const next = await tokenRequest(discovery.token_endpoint, {
    grant_type: 'refresh_token',
    refresh_token: tokens.refresh_token,
    client_id: cfg.client_id,
  });
  return {
    ...next,
    ...(next.id_token === undefined && tokens.id_token !== undefined ? { id_token: tokens.id_token } : {}),
  };
};

export const saveTokens = (tokens: Tokens | undefined, storage: Storage = sessionStorage): void => {
  if (tokens === undefined) storage.removeItem(TOKENS_KEY);
  else storage.setItem(TOKENS_KEY, JSON.stringify(tokens));
};

export const loadTokens = (storage: Storage = sessionStorage): Tokens | undefined => {
  const raw = storage.getItem(TOKENS_KEY);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as Tokens;
  } catch {
    return undefined;
  }
};

/** The issuer's logout URL (RP-initiated), returning to the console. */
export const logoutUrl = (
  cfg: AdminConfig,
  discovery: Discovery,
  tokens: Tokens | undefined,
  origin: string,
): string => {
  if (discovery.end_session_endpoint === undefined) return redirectUri(origin);
  const url = new URL(discovery.end_session_endpoint);
  url.search = new URLSearchParams({
    client_id: cfg.client_id,
    post_logout_redirect_uri: redirectUri(origin),
    ...(tokens?.id_token === undefined ? {} : { id_token_hint: tokens.id_token }),
  }).toString();
  return url.href;
};

/**
 * Keeps the current tokens and refreshes them before they expire (or when asked after a 401).
 * Concurrent callers share one refresh.
 */
export class Session {
  #tokens: Tokens | undefined;
  #refreshing: Promise<Tokens | undefined> | undefined;
  /** Called when the tokens can no longer be refreshed (the user must sign in again). */
  onExpired: (() => void) | undefined;

  constructor(
    readonly config: AdminConfig,
    readonly discovery: Discovery,
    tokens: Tokens | undefined,
    private readonly onChange: (tokens: Tokens | undefined) => void = saveTokens,
  ) {
    this.#tokens = tokens;
  }

  get signedIn(): boolean {
    return this.#tokens !== undefined;
  }

  get tokens(): Tokens | undefined {
    return this.#tokens;
  }

  /** A usable access token; refreshes when it expires within 30 s or when `force` is set. */
  accessToken = async (force = false): Promise<string | undefined> => {
    const t = this.#tokens;
    if (t === undefined) return undefined;
    if (!force && t.expires_at - Date.now() > 30_000) return t.access_token;
    this.#refreshing ??= refreshTokens(this.config, this.discovery, t)
      .then(
        (next) => next,
        () => undefined,
      )
      .then((next) => {
        this.#tokens = next;
        this.onChange(next);
        if (next === undefined) this.onExpired?.();
        return next;
      })
      .finally(() => {
        this.#refreshing = undefined;
      });
    return (await this.#refreshing)?.access_token;
  };

  clear(): void {
    this.#tokens = undefined;
    this.onChange(undefined);
  }
}
