import { BpaneError } from '@bpane/errors';

export type CliErrorCode = 'usage' | 'config' | 'not_found' | 'unavailable' | 'failed';

/** An error the CLI reports itself. `usage` exits with 2, everything else with 1. */
export class CliError extends BpaneError<CliErrorCode> {}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
