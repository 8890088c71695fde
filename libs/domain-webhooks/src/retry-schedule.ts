/**
 * Delay before each delivery attempt: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
 * (8 attempts over about 27.6 hours). `scale` multiplies every step (1 in production; tests use a
 * tiny factor); jitter spreads each delay by ±`jitter` (default 20 %) so retries of many
 * deliveries to one receiver do not arrive in lockstep.
 */
export const WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_SCHEDULE_MS.length;

export type RetryDelayInput = Readonly<{
  /** Attempts already made (1 after the first failure). */
  attemptsMade: number;
  scale: number;
  /** A number in [0, 1) (the caller's randomness). */
  random: number;
  jitter?: number;
  /** Seconds from the receiver's `Retry-After`, when it sent one. */
  retryAfterSec?: number | undefined;
}>;

/**
 * Delay before the next attempt, or undefined when the schedule is exhausted. `Retry-After` is
 * honoured: the delay is at least what the receiver asked for, capped at the longest step.
 */
export const nextRetryDelayMs = (input: RetryDelayInput): number | undefined => {
  const base = WEBHOOK_RETRY_SCHEDULE_MS[input.attemptsMade];
  if (base === undefined) return undefined;
  const jitter = input.jitter ?? 0.2;
  const scaled = base * input.scale * (1 - jitter + 2 * jitter * input.random);
  const cap = Math.max(...WEBHOOK_RETRY_SCHEDULE_MS) * input.scale;
  const asked = input.retryAfterSec === undefined ? 0 : Math.min(input.retryAfterSec * 1000, cap);
  return Math.max(0, Math.round(Math.max(scaled, asked)));
};

/** Parses `Retry-After` (delta seconds or an HTTP date) into seconds from `now`. */
export const parseRetryAfter = (value: string | null | undefined, now: number): number | undefined => {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const t = value.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const at = Date.parse(t);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
};
