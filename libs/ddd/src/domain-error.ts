import { BpaneError } from '@bpane/errors';

/**
 * Codes a decider may throw. `forbidden` exists for contexts that want to say so explicitly; for
 * owner-scoped resources a foreign owner is reported as `not_found` (never reveal existence).
 */
export type DomainErrorCode = 'validation_failed' | 'not_found' | 'illegal_state' | 'forbidden' | 'conflict';

export type FieldViolation = Readonly<{ field: string; message: string }>;

export class DomainError<C extends DomainErrorCode = DomainErrorCode> extends BpaneError<C> {}

export class ValidationFailedError extends DomainError<'validation_failed'> {
  readonly violations: readonly FieldViolation[];

  constructor(violations: readonly FieldViolation[]) {
    const fields = violations.map((v) => v.field);
    super(
      'validation_failed',
      `invalid command: ${violations.map((v) => `${v.field}: ${v.message}`).join('; ')}`,
      { details: { fields, violations } },
    );
    this.violations = violations;
  }

  get fields(): readonly string[] {
    return this.violations.map((v) => v.field);
  }
}

export class NotFoundError extends DomainError<'not_found'> {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} not found`, { details: { resource: what, id } });
  }
}

export class IllegalStateError extends DomainError<'illegal_state'> {
  constructor(message: string, details?: Record<string, unknown>) {
    super('illegal_state', message, details === undefined ? undefined : { details });
  }
}

export class ForbiddenError extends DomainError<'forbidden'> {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class ConflictError extends DomainError<'conflict'> {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details === undefined ? undefined : { details });
  }
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;
