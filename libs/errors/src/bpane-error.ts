/**
 * The one base error of BrowserPane. Every error that crosses a module boundary carries a stable,
 * machine-readable `code` (a literal union per module) and an optional `details` object that is
 * safe to show to the caller. HTTP status, retry-or-fail decisions and CLI exit codes are derived
 * from the code once, at the edge, never inside domain code.
 */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export class BpaneError<C extends string = string> extends Error {
  readonly code: C;
  readonly details: ErrorDetails | undefined;

  constructor(code: C, message: string, options?: { details?: ErrorDetails; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options?.details;
  }

  toJSON(): { code: C; message: string; details?: ErrorDetails } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const isBpaneError = (value: unknown): value is BpaneError =>
  value instanceof BpaneError ||
  (value instanceof Error && typeof (value as { code?: unknown }).code === 'string' && 'details' in value);

/** Exhaustiveness helper for `switch` over literal unions. */
export const assertNever = (value: never, what = 'value'): never => {
  throw new BpaneError('internal', `unexpected ${what}: ${JSON.stringify(value)}`);
};
