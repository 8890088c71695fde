/** Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with proportional jitter. */
export type BackoffOptions = Readonly<{
  initialMs: number;
  maxMs: number;
  /** 0 = no jitter; 0.2 = each delay is drawn from [d × 0.8, d × 1.2]. */
  jitter: number;
}>;

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000, jitter: 0.2 };

/**
 * The delay before reconnect attempt `attempt` (0 = the first retry): `initialMs × 2^attempt`,
 * capped, then moved by up to ±jitter using `random` (a value in [0, 1)).
 */
export const backoffDelay = (
  attempt: number,
  opts: BackoffOptions = DEFAULT_BACKOFF,
  random = Math.random(),
): number => {
  const exp = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.min(Math.max(0, attempt), 30));
  const factor = 1 + opts.jitter * (2 * random - 1);
  return Math.max(0, Math.round(Math.min(opts.maxMs, exp * factor)));
};
