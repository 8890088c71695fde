/**
 * The embedded development OpenID provider of BrowserPane: a real OpenID Connect / OAuth 2 server
 * (oidc-provider) with the BrowserPane clients, the demo users, JWT access tokens for the API and
 * keys that survive restarts. `services/dev-idp` runs it as a process; tests start it in-process:
 *
 *   const idp = await startDevIdp({ port: 0, keysPath: null, logger: silentLogger });
 *   // ... idp.issuer, idp.endpoints.token ...
 *   await idp.close();
 */
export { startDevIdp, type DevIdp } from './server';
export {
  ADMIN_CLIENT_ID,
  CLI_CLIENT_ID,
  DEV_SERVICE_CLIENT_SECRETS,
  SERVICE_CLIENT_IDS,
  consoleLogger,
  describeDevIdpConfig,
  devIdpEnvSpec,
  loadDevIdpConfig,
  resolveDevIdpConfig,
  resourceIndicatorFor,
  silentLogger,
  type DevIdpAccessTokenAlg,
  type DevIdpConfig,
  type DevIdpLogger,
  type DevIdpOptions,
  type DevIdpServiceClient,
  type ServiceClientId,
} from './config';
export { DEFAULT_DEV_USERS, subjectForUsername, type DevIdpUser } from './users';
export { API_SCOPES, CLI_REDIRECT_URIS, PRINCIPAL_TYPE_CLAIM, USER_TOKEN_CLAIMS } from './provider';
export { DevIdpError, type DevIdpErrorCode } from './errors';
export {
  CookieJar,
  OAuthTestError,
  loginWithPassword,
  pkcePair,
  refreshTokens,
  serviceTokens,
  userTokens,
  type LoginOptions,
  type LoginResult,
  type TokenSet,
} from './test-client';
