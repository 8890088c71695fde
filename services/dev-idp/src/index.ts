/**
 * The development OpenID provider service. The implementation lives in `@bpane/dev-idp` (so tests
 * anywhere can start an issuer in-process); this service is its process entry point (`main.ts`).
 */
export {
  loadDevIdpConfig,
  startDevIdp,
  type DevIdp,
  type DevIdpConfig,
  type DevIdpOptions,
} from '@bpane/dev-idp';
