import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const opts = { initialMs: 100, maxMs: 5000, jitter: 0 };
  it('doubles from the initial delay and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, opts))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });
  it('jitters within ±jitter of the exponential delay, never beyond the cap', () => {
    const j = { ...opts, jitter: 0.2 };
    expect(backoffDelay(2, j, 0)).toBe(320);
    expect(backoffDelay(2, j, 0.5)).toBe(400);
    expect(backoffDelay(2, j, 0.999999)).toBe(480);
    expect(backoffDelay(20, j, 0.999999)).toBe(5000);
  });
  it('treats negative and huge attempts sanely', () => {
    expect(backoffDelay(-3, opts)).toBe(100);
    expect(backoffDelay(1e9, opts)).toBe(5000);
  });
});
