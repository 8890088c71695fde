import Provider, {
  errors,
  type ClientMetadata,
  type Configuration,
  type KoaContextWithOIDC,
  type ResourceServer,
} from 'oidc-provider';
import { ADMIN_CLIENT_ID, CLI_CLIENT_ID, type DevIdpConfig } from './config';
import type { DevIdpKeyMaterial } from './keys';
import { createMemoryAdapterFactory } from './memory-adapter';
import {
  PAGE_SECURITY_HEADERS,
  deviceConfirmPage,
  deviceInputPage,
  errorPage,
  logoutPage,
  messagePage,
} from './pages';
import type { DevUserDirectory } from './users';

/** Scopes of the BrowserPane API resource (carried in the access token's `scope`). */
export const API_SCOPES = ['bpane:api'] as const;

/** The claims every user access token carries (besides the registered JWT claims). */
export const USER_TOKEN_CLAIMS = ['preferred_username', 'email', 'name', 'groups'] as const;

/** The claim that marks a client-credentials token as a service principal's. */
export const PRINCIPAL_TYPE_CLAIM = 'principal_type';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Loopback redirect URIs for the CLI; any port matches (RFC 8252 §7.3). */
export const CLI_REDIRECT_URIS = [
  'http://127.0.0.1/callback',
  'http://localhost/callback',
  'http://[::1]/callback',
];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const isLoopbackHttp = (u: URL): boolean => u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);

/** The same URI with the port removed when it is an http loopback URI, else `undefined`. */
const withoutLoopbackPort = (uri: string): string | undefined => {
  const u = URL.parse(uri);
  if (u === null || !isLoopbackHttp(u)) return undefined;
  u.port = '';
  return u.href;
};

export const clientMetadata = (config: DevIdpConfig): ClientMetadata[] => [
  {
    client_id: ADMIN_CLIENT_ID,
    client_name: 'BrowserPane admin console',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [...config.adminRedirectUris],
    post_logout_redirect_uris: [...config.adminRedirectUris],
  },
  {
    client_id: CLI_CLIENT_ID,
    client_name: 'BrowserPane CLI',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
    response_types: ['code'],
    redirect_uris: CLI_REDIRECT_URIS,
    post_logout_redirect_uris: CLI_REDIRECT_URIS,
  },
  ...config.serviceClients.map((c): ClientMetadata => ({
    client_id: c.clientId,
    client_name: c.name,
    client_secret: c.clientSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  })),
];

/** Clients whose consent is implied: every client this provider is configured with. */
export const isFirstPartyClient = (config: DevIdpConfig, clientId: string): boolean =>
  clientId === ADMIN_CLIENT_ID ||
  clientId === CLI_CLIENT_ID ||
  config.serviceClients.some((c) => c.clientId === clientId);

const setPage = (ctx: KoaContextWithOIDC, html: string, status?: number): void => {
  ctx.set(PAGE_SECURITY_HEADERS);
  ctx.type = 'html';
  if (status !== undefined) ctx.status = status;
  ctx.body = html;
};

/** The action URL and xsrf token of a form the provider rendered (device flow pages). */
const formParts = (form: string): { action: string; xsrf: string } => ({
  action: /action="([^"]*)"/.exec(form)?.[1] ?? '',
  xsrf: /name="xsrf" value="([^"]*)"/.exec(form)?.[1] ?? '',
});

const clientName = (ctx: KoaContextWithOIDC): string =>
  ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? 'an application';

export type DevIdpProviderDeps = Readonly<{
  config: DevIdpConfig;
  issuer: string;
  keys: DevIdpKeyMaterial;
  users: DevUserDirectory;
}>;

/** Builds the `oidc-provider` instance with BrowserPane's clients, claims, keys and pages. */
export const createProvider = ({ config, issuer, keys, users }: DevIdpProviderDeps): Provider => {
  const resourceServerFor = (indicator: string): ResourceServer | undefined => {
    if (indicator !== config.resourceIndicator && indicator !== config.audience) return undefined;
    return {
      audience: config.audience,
      scope: API_SCOPES.join(' '),
      accessTokenTTL: config.accessTokenTtlSeconds,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: config.accessTokenAlg } },
    };
  };

  const configuration: Configuration = {
    adapter: createMemoryAdapterFactory(),
    clients: clientMetadata(config),
    jwks: { keys: keys.signingKeys.map((k) => ({ ...k })) },
    cookies: { keys: [...keys.cookieKeys] },
    findAccount: (_ctx, sub) => {
      const user = users.bySubject(sub);
      if (user === undefined) return undefined;
      return {
        accountId: user.subject,
        claims: () => ({
          sub: user.subject,
          preferred_username: user.username,
          name: user.name,
          email: user.email,
          email_verified: true,
          groups: [...user.groups],
        }),
      };
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    scopes: ['openid', 'offline_access', ...API_SCOPES],
    conformIdTokenClaims: false,
    allowOmittingSingleRegisteredRedirectUri: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientBasedCORS: (_ctx, origin, client) => {
      const o = URL.parse(origin);
      if (o === null) return false;
      if (isLoopbackHttp(o)) return true;
      return client.redirectUris?.some((uri) => URL.parse(uri)?.origin === origin) ?? false;
    },
    extraTokenClaims: (_ctx, token) => {
      if (token.kind === 'ClientCredentials') return { [PRINCIPAL_TYPE_CLAIM]: 'service' };
      const accountId = 'accountId' in token ? token.accountId : undefined;
      const user = typeof accountId === 'string' ? users.bySubject(accountId) : undefined;
      if (user === undefined) return undefined;
      return {
        preferred_username: user.username,
        email: user.email,
        name: user.name,
        groups: [...user.groups],
      };
    },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.accessTokenTtlSeconds,
      ClientCredentials: (_ctx, token) =>
        token.resourceServer?.accessTokenTTL ?? config.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      DeviceCode: config.deviceCodeTtlSeconds,
      IdToken: config.idTokenTtlSeconds,
      RefreshToken: (ctx) => {
        const rotated = ctx?.oidc.entities.RotatedRefreshToken;
        return rotated === undefined ? config.refreshTokenTtlSeconds : rotated.remainingTTL;
      },
      Interaction: 600,
      Session: config.refreshTokenTtlSeconds,
      Grant: config.refreshTokenTtlSeconds,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => {
          if (oneOf === undefined || oneOf.length === 0) return config.resourceIndicator;
          return oneOf.includes(config.resourceIndicator)
            ? config.resourceIndicator
            : (oneOf[0] ?? config.resourceIndicator);
        },
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          const rs = resourceServerFor(indicator);
          if (rs === undefined) throw new errors.InvalidTarget(`unknown resource indicator ${indicator}`);
          return rs;
        },
      },
      deviceFlow: {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: (ctx, form, _out, err) => {
          const { action, xsrf } = formParts(form);
          const name = err === undefined ? undefined : (err as { name?: string; userCode?: string }).name;
          const error =
            err === undefined
              ? undefined
              : 'userCode' in err || name === 'NoCodeError'
                ? 'wrong_code'
                : name === 'AbortedError'
                  ? 'aborted'
                  : 'failed';
          setPage(ctx, deviceInputPage({ action, xsrf, ...(error === undefined ? {} : { error }) }));
        },
        userCodeConfirmSource: (ctx, form, client, _deviceInfo, userCode) => {
          const { action, xsrf } = formParts(form);
          setPage(
            ctx,
            deviceConfirmPage({ action, xsrf, userCode, clientName: client.clientName ?? client.clientId }),
          );
        },
        successSource: (ctx) => {
          setPage(
            ctx,
            messagePage('Device connected', `${clientName(ctx)} is signed in. You can close this page.`),
          );
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => setPage(ctx, logoutPage(form, new URL(issuer).host)),
        postLogoutSuccessSource: (ctx) => setPage(ctx, messagePage('Signed out', 'You are signed out.')),
      },
    },
    renderError: (ctx, out) => {
      setPage(ctx, errorPage(out.error, out.error_description));
    },
  };

  const provider = new Provider(issuer, configuration);

  // bpane-admin is a browser app, so exact redirect URIs; but a development server of the admin
  // console may run on another loopback port, so loopback URIs match on any port, as for native apps.
  const proto = provider.Client.prototype as unknown as {
    redirectUriAllowed: (uri: string) => boolean;
    postLogoutRedirectUriAllowed: (uri: string) => boolean;
    clientId: string;
    redirectUris: string[];
    postLogoutRedirectUris?: string[];
  };
  const loopbackAnyPort = (
    original: (this: typeof proto, uri: string) => boolean,
    registered: (c: typeof proto) => readonly string[],
  ) =>
    function allowed(this: typeof proto, uri: string): boolean {
      if (original.call(this, uri)) return true;
      if (this.clientId !== ADMIN_CLIENT_ID) return false;
      const stripped = withoutLoopbackPort(uri);
      return stripped !== undefined && registered(this).some((r) => withoutLoopbackPort(r) === stripped);
    };
  proto.redirectUriAllowed = loopbackAnyPort(proto.redirectUriAllowed, (c) => c.redirectUris);
  proto.postLogoutRedirectUriAllowed = loopbackAnyPort(
    proto.postLogoutRedirectUriAllowed,
    (c) => c.postLogoutRedirectUris ?? [],
  );

  return provider;
};
