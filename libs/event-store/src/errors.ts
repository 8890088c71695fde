import { BpaneError } from '@bpane/errors';

export type EventStoreErrorCode =
  | 'wrong_expected_version'
  | 'stream_not_found'
  | 'invalid_event'
  | 'idempotency_conflict'
  | 'store_unavailable'
  | 'store_closed'
  | 'invalid_config';

export class EventStoreError extends BpaneError<EventStoreErrorCode> {}

export class WrongExpectedVersionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: bigint | null,
  ) {
    super(
      'wrong_expected_version',
      `stream ${streamId}: expected revision ${expected}, actual ${actual === null ? 'no stream' : actual.toString()}`,
      { details: { streamId, expected, actual: actual === null ? null : actual.toString() } },
    );
  }
}

export class StreamNotFoundError extends EventStoreError {
  constructor(readonly streamId: string) {
    super('stream_not_found', `stream ${streamId} not found`, { details: { streamId } });
  }
}

export class InvalidEventError extends EventStoreError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_event', message, details === undefined ? undefined : { details });
  }
}

export class IdempotencyConflictError extends EventStoreError {
  constructor(streamId: string, eventId: string) {
    super(
      'idempotency_conflict',
      `stream ${streamId}: event ${eventId} was already appended with a different batch`,
      { details: { streamId, eventId } },
    );
  }
}

export class StoreUnavailableError extends EventStoreError {
  constructor(message: string, cause?: unknown) {
    super('store_unavailable', message, { cause });
  }
}

export class StoreClosedError extends EventStoreError {
  constructor() {
    super('store_closed', 'the event store has been closed');
  }
}

export class EventStoreConfigError extends EventStoreError {
  constructor(message: string) {
    super('invalid_config', message);
  }
}
