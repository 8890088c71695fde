/**
 * Bearer-token authentication for BrowserPane services.
 *
 * - `createTokenVerifier({ issuer, audience })` checks OIDC access tokens (dev issuer or Keycloak)
 *   against the issuer's JWKS and returns a `Principal`; failures are typed `AuthError`s.
 * - `AuthModule.forRoot(...)`, `@Public()`, `@CurrentPrincipal()`: the NestJS global guard.
 * - `getServiceToken({ issuer, clientId, clientSecret })`: cached client-credentials tokens for
 *   service principals.
 *
 * Raw tokens are never logged, echoed or put in error messages.
 */
export * from './errors';
export * from './principal';
export {
  DEFAULT_ALGORITHMS,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  MAX_TOKEN_LENGTH,
  createTokenVerifier,
  discoverJwksUri,
  extractBearerToken,
  mapVerificationError,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './verifier';
export { fetchDiscoveryDocument, discoveryUrl, type DiscoveryDocument } from './discovery';
export {
  clearServiceTokenCache,
  createServiceTokenSource,
  getServiceToken,
  type ServiceTokenOptions,
  type ServiceTokenSource,
} from './service-token';
export { loadOidcVerifierOptions, oidcEnvSpec } from './config';
export {
  AuthErrorFilter,
  AuthModule,
  BearerAuthGuard,
  CurrentPrincipal,
  PUBLIC_ROUTE,
  Public,
  TOKEN_VERIFIER,
  principalOf,
  type AuthModuleOptions,
} from './nest';
