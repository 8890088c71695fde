import { BpaneError } from '@bpane/errors';

export type SecretsErrorCode = 'invalid_secret_key' | 'invalid_ciphertext' | 'decryption_failed';

export class SecretsError extends BpaneError<SecretsErrorCode> {}
