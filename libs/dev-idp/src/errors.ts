import { BpaneError } from '@bpane/errors';

export type DevIdpErrorCode = 'keys_unusable' | 'listen_failed';

/** Errors of the development OpenID provider's own start-up (configuration errors are `ConfigError`). */
export class DevIdpError extends BpaneError<DevIdpErrorCode> {}
