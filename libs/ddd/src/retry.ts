import { BpaneError } from '@bpane/errors';

/**
 * Bounded retry of an optimistic-concurrency loop. Pure bookkeeping: the caller says which errors
 * mean "someone else wrote first" and how long to wait; `sleep` is injectable for tests.
 */
export type RetryPolicy = Readonly<{
  /** Total attempts including the first one. */
  maxAttempts: number;
  /** Delay before attempt `attempt + 1` (attempt counts from 1). */
  delayMs: (attempt: number) => number;
}>;

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  // 5, 10, 20, 40 ms plus up to 5 ms of jitter so two losers do not collide again in lockstep.
  delayMs: (attempt) => 5 * 2 ** (attempt - 1) + Math.floor(Math.random() * 5),
};

export class ConcurrencyRetriesExhaustedError extends BpaneError<'concurrency_conflict'> {
  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    super('concurrency_conflict', `gave up after ${attempts} conflicting attempts`, {
      details: { attempts },
      cause,
    });
  }
}

export type RetryOutcome<T> = Readonly<{ value: T; attempts: number }>;

export const retryOnConflict = async <T>(
  attempt: (attemptNumber: number) => Promise<T>,
  isConflict: (error: unknown) => boolean,
  policy: RetryPolicy = defaultRetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<RetryOutcome<T>> => {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new BpaneError('invalid_retry_policy', `maxAttempts must be a positive integer`, {
      details: { maxAttempts: policy.maxAttempts },
    });
  }
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (error) {
      if (!isConflict(error)) throw error;
      if (n >= policy.maxAttempts) throw new ConcurrencyRetriesExhaustedError(n, error);
      const delay = policy.delayMs(n);
      if (delay > 0) await sleep(delay);
    }
  }
};
