import {
  EventStoreError,
  IdempotencyConflictError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../errors';

type PgLikeError = Error & { code?: string; detail?: string; constraint?: string };

/** Network and server-availability failures: the store is unreachable, not the request wrong. */
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

export const isUnavailable = (error: unknown): boolean => {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as PgLikeError).code;
  if (code !== undefined) {
    if (UNAVAILABLE_NODE_CODES.has(code)) return true;
    // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections.
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed/i.test(
    error.message,
  );
};

/** An established connection that broke (as opposed to a server that cannot be reached at all). */
export const isConnectionLoss = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = (error as PgLikeError).code;
  return (
    (code !== undefined && ['57P01', '57P02', '08003', '08006', 'ECONNRESET', 'EPIPE'].includes(code)) ||
    /Connection terminated|Client has encountered a connection error/i.test(error.message)
  );
};

const parseDetail = (detail: string | undefined): Record<string, unknown> => {
  try {
    return detail === undefined ? {} : (JSON.parse(detail) as Record<string, unknown>);
  } catch {
    return {};
  }
};

/** Maps an error thrown by `pg` while serving `streamId` to the store's typed errors. */
export const mapPgError = (
  error: unknown,
  context: { streamId?: string; expected?: string } = {},
): unknown => {
  if (error instanceof EventStoreError) return error;
  if (!(error instanceof Error)) return error;
  const e = error as PgLikeError;
  const streamId = context.streamId ?? '';
  switch (e.code) {
    case 'BPE01': {
      const d = parseDetail(e.detail);
      const raw = typeof d['actual'] === 'string' && /^-?\d+$/.test(d['actual']) ? BigInt(d['actual']) : -1n;
      const actual = raw >= 0n ? raw : null;
      return new WrongExpectedVersionError(streamId, context.expected ?? String(d['expected']), actual);
    }
    case 'BPE02': {
      const d = parseDetail(e.detail);
      return new IdempotencyConflictError(
        streamId,
        typeof d['eventId'] === 'string' ? d['eventId'] : 'unknown',
      );
    }
    case '23505':
      // A revision taken by a concurrent append: cannot happen under the per-stream lock, but if it
      // does, it is a concurrency conflict the caller may retry, not an internal error.
      if (e.constraint === 'events_stream_revision_key') {
        return new WrongExpectedVersionError(streamId, context.expected ?? 'any', null);
      }
      return error;
    default:
      return isUnavailable(error)
        ? new StoreUnavailableError(`PostgreSQL event store: ${e.message}`, error)
        : error;
  }
};
