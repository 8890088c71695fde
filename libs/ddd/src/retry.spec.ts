import { describe, expect, it } from 'vitest';
import { BpaneError } from '@bpane/errors';
import { ConcurrencyRetriesExhaustedError, defaultRetryPolicy, retryOnConflict } from './retry';

const conflict = () => new BpaneError('wrong_expected_version', 'someone else wrote first');
const isConflict = (e: unknown) => e instanceof BpaneError && e.code === 'wrong_expected_version';

describe('retryOnConflict', () => {
  it('returns the first success and counts attempts', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const out = await retryOnConflict(
      (n) => {
        calls++;
        if (n < 3) return Promise.reject(conflict());
        return Promise.resolve(`ok@${n}`);
      },
      isConflict,
      { maxAttempts: 5, delayMs: (a) => a * 10 },
      (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    );
    expect(out).toEqual({ value: 'ok@3', attempts: 3 });
    expect(calls).toBe(3);
    expect(sleeps).toEqual([10, 20]);
  });

  it('gives up after maxAttempts with a coded error carrying the last conflict', async () => {
    let calls = 0;
    const err = await retryOnConflict(
      () => {
        calls++;
        return Promise.reject(conflict());
      },
      isConflict,
      { maxAttempts: 4, delayMs: () => 0 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(err).toBeInstanceOf(ConcurrencyRetriesExhaustedError);
    expect(err).toMatchObject({ code: 'concurrency_conflict', details: { attempts: 4 } });
    expect((err as Error).cause).toMatchObject({ code: 'wrong_expected_version' });
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const boom = new BpaneError('validation_failed', 'no');
    await expect(
      retryOnConflict(
        () => {
          calls++;
          return Promise.reject(boom);
        },
        isConflict,
        { maxAttempts: 5, delayMs: () => 0 },
      ),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
  });

  it('rejects a policy without attempts', async () => {
    await expect(
      retryOnConflict(() => Promise.resolve(1), isConflict, { maxAttempts: 0, delayMs: () => 0 }),
    ).rejects.toMatchObject({ code: 'invalid_retry_policy' });
  });

  it('backs off exponentially by default, bounded to five attempts', () => {
    expect(defaultRetryPolicy.maxAttempts).toBe(5);
    const d1 = defaultRetryPolicy.delayMs(1);
    const d4 = defaultRetryPolicy.delayMs(4);
    expect(d1).toBeGreaterThanOrEqual(5);
    expect(d1).toBeLessThan(10);
    expect(d4).toBeGreaterThanOrEqual(40);
    expect(d4).toBeLessThan(45);
  });
});
