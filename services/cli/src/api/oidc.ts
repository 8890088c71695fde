import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { CliError } from '../errors';

/**
 * Sign-in of the `bpane` CLI with the OpenID provider, as the public client `bpane-cli`: the
 * device authorization grant (RFC 8628) or the authorization code flow with PKCE and a loopback
 * redirect (RFC 8252). Tokens are returned to the caller and never written to any output here.
 */
export const CLI_CLIENT_ID = 'bpane-cli';
export const DEFAULT_SCOPE = 'openid profile email groups offline_access bpane:api';
export const DEFAULT_RESOURCE = 'urn:bpane-api';

export type TokenSet = Readonly<{
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
}>;

export type Discovery = Readonly<{
  issuer: string;
  token_endpoint: string;
  authorization_endpoint?: string;
  device_authorization_endpoint?: string;
}>;

export type SignInOptions = Readonly<{
  issuer: string;
  clientId: string;
  scope: string;
  resource: string | undefined;
  signal: AbortSignal;
}>;

export type DevicePrompt = Readonly<{
  verification_uri: string;
  verification_uri_complete?: string;
  user_code: string;
  expires_in: number;
}>;

const form = (values: Record<string, string | undefined>): URLSearchParams => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) params.set(k, v);
  return params;
};

const unavailable = (what: string, cause: unknown): CliError =>
  new CliError('unavailable', `${what}: ${cause instanceof Error ? cause.message : String(cause)}`, {
    cause,
  });

const postForm = async (
  url: string,
  body: URLSearchParams,
  signal: AbortSignal,
): Promise<{ status: number; json: Record<string, unknown> }> => {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal,
    });
  } catch (cause) {
    throw unavailable(`cannot reach ${url}`, cause);
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: res.status, json };
};

const oauthError = (what: string, json: Record<string, unknown>, status: number): CliError => {
  const error = typeof json['error'] === 'string' ? json['error'] : `http_${status}`;
  const description = typeof json['error_description'] === 'string' ? `: ${json['error_description']}` : '';
  return new CliError('failed', `${what} failed (${error})${description}`, { details: { error, status } });
};

const asTokenSet = (json: Record<string, unknown>): TokenSet => {
  if (typeof json['access_token'] !== 'string')
    throw new CliError('failed', 'the token endpoint answered without an access token');
  return json as unknown as TokenSet;
};

/** The provider's metadata (`/.well-known/openid-configuration`). */
export const discover = async (issuer: string, signal: AbortSignal): Promise<Discovery> => {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (cause) {
    throw unavailable(`cannot reach the OpenID provider at ${issuer}`, cause);
  }
  if (!res.ok)
    throw new CliError('unavailable', `${url} answered ${res.status}; is ${issuer} an OpenID provider?`);
  const doc = (await res.json()) as Partial<Discovery>;
  if (typeof doc.token_endpoint !== 'string') throw new CliError('failed', `${url} has no token_endpoint`);
  return doc as Discovery;
};

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new CliError('failed', 'sign-in interrupted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CliError('failed', 'sign-in interrupted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** Device authorization grant: shows the code through `prompt`, then polls until approved. */
export const deviceSignIn = async (
  o: SignInOptions,
  prompt: (p: DevicePrompt) => void,
): Promise<TokenSet> => {
  const meta = await discover(o.issuer, o.signal);
  if (meta.device_authorization_endpoint === undefined)
    throw new CliError('failed', `${o.issuer} does not offer the device authorization grant; use --browser`);
  const start = await postForm(
    meta.device_authorization_endpoint,
    form({ client_id: o.clientId, scope: o.scope, resource: o.resource }),
    o.signal,
  );
  if (start.status !== 200) throw oauthError('device authorization', start.json, start.status);
  const deviceCode = start.json['device_code'];
  const userCode = start.json['user_code'];
  const verificationUri = start.json['verification_uri'];
  if (typeof deviceCode !== 'string' || typeof userCode !== 'string' || typeof verificationUri !== 'string')
    throw new CliError('failed', 'the device authorization answer is incomplete');
  const expiresIn = typeof start.json['expires_in'] === 'number' ? start.json['expires_in'] : 600;
  const complete = start.json['verification_uri_complete'];
  prompt({
    verification_uri: verificationUri,
    ...(typeof complete === 'string' ? { verification_uri_complete: complete } : {}),
    user_code: userCode,
    expires_in: expiresIn,
  });
  let intervalMs = (typeof start.json['interval'] === 'number' ? start.json['interval'] : 5) * 1000;
  const deadline = Date.now() + expiresIn * 1000;
  while (Date.now() < deadline) {
    await sleep(intervalMs, o.signal);
    const poll = await postForm(
      meta.token_endpoint,
      form({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: deviceCode,
        client_id: o.clientId,
      }),
      o.signal,
    );
    if (poll.status === 200) return asTokenSet(poll.json);
    const error = poll.json['error'];
    if (error === 'authorization_pending') continue;
    if (error === 'slow_down') {
      intervalMs += 5000;
      continue;
    }
    throw oauthError('device sign-in', poll.json, poll.status);
  }
  throw new CliError('failed', 'the device code expired before the sign-in was approved');
};

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

const openInBrowser = (url: string): void => {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the URL is printed anyway.
  }
};

const PAGE = (title: string, text: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;

/**
 * Authorization code flow with PKCE: listens on 127.0.0.1 (any free port) for the redirect,
 * shows the authorization URL through `prompt` (and opens it unless `open` is false).
 */
export const browserSignIn = async (
  o: SignInOptions & Readonly<{ open: boolean; timeoutMs: number }>,
  prompt: (url: string) => void,
): Promise<TokenSet> => {
  const meta = await discover(o.issuer, o.signal);
  if (meta.authorization_endpoint === undefined)
    throw new CliError('failed', `${o.issuer} has no authorization endpoint; use --device`);
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const state = base64url(randomBytes(16));
  const holder: { server?: Server } = {};
  try {
    const code = await new Promise<{ code: string; redirectUri: string }>((resolve, reject) => {
      let redirectUri = '';
      const timer = setTimeout(
        () => reject(new CliError('failed', 'no sign-in arrived in time')),
        o.timeoutMs,
      );
      const onAbort = (): void => reject(new CliError('failed', 'sign-in interrupted'));
      o.signal.addEventListener('abort', onAbort, { once: true });
      const finish = (fn: () => void): void => {
        clearTimeout(timer);
        o.signal.removeEventListener('abort', onAbort);
        fn();
      };
      const server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (url.pathname !== '/callback') {
          res.writeHead(404).end();
          return;
        }
        const p = url.searchParams;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        if (p.get('state') !== state) {
          res.writeHead(400).end(PAGE('Sign-in failed', 'The answer does not belong to this sign-in.'));
          return;
        }
        const error = p.get('error');
        const got = p.get('code');
        if (error !== null || got === null) {
          res.writeHead(400).end(PAGE('Sign-in failed', 'Return to the terminal for details.'));
          const description = p.get('error_description');
          finish(() =>
            reject(
              new CliError(
                'failed',
                `sign-in failed (${error ?? 'no code'})${description === null ? '' : `: ${description}`}`,
              ),
            ),
          );
          return;
        }
        res.writeHead(200).end(PAGE('Signed in', 'BrowserPane CLI is signed in. You can close this page.'));
        finish(() => resolve({ code: got, redirectUri }));
      });
      server.on('error', (e) => finish(() => reject(unavailable('cannot listen on 127.0.0.1', e))));
      holder.server = server;
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as AddressInfo).port;
        redirectUri = `http://127.0.0.1:${port}/callback`;
        const auth = new URL(meta.authorization_endpoint ?? '');
        for (const [k, v] of form({
          client_id: o.clientId,
          redirect_uri: redirectUri,
          response_type: 'code',
          scope: o.scope,
          state,
          resource: o.resource,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }))
          auth.searchParams.set(k, v);
        prompt(auth.href);
        if (o.open) openInBrowser(auth.href);
      });
    });
    const exchanged = await postForm(
      meta.token_endpoint,
      form({
        grant_type: 'authorization_code',
        code: code.code,
        redirect_uri: code.redirectUri,
        client_id: o.clientId,
        code_verifier: verifier,
        resource: o.resource,
      }),
      o.signal,
    );
    if (exchanged.status !== 200) throw oauthError('code exchange', exchanged.json, exchanged.status);
    return asTokenSet(exchanged.json);
  } finally {
    const s = holder.server;
    if (s !== undefined) await new Promise((resolve) => s.close(resolve));
  }
};

/** Claims of a JWT, read without verification (only to tell the user who signed in). */
export const unverifiedClaims = (jwt: string): Record<string, unknown> => {
  const payload = jwt.split('.')[1];
  if (payload === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};
