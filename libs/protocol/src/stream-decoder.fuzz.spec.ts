import { describe, expect, it } from 'vitest';
import { runFuzz } from '../test-support/fuzz';

// Seeded and reproducible: a failure prints the iteration; replay it with
//   npm run fuzz:protocol -- --seed 20261122 --from <iteration> --iterations 1
const SEED = 20261122;
const ITERATIONS = 1_000_000;

describe('fuzz: stream decoder and session over random and mutated inputs', () => {
  it(`${ITERATIONS.toLocaleString('en-US')} inputs: no crash, no non-typed error, bounded heap`, () => {
    const report = runFuzz({ seed: SEED, iterations: ITERATIONS });
    expect(report.crashes).toEqual([]);
    expect(report.iterations).toBe(ITERATIONS);
    // the corpus reaches deep: valid frames are accepted and every kind of rejection happens
    expect(report.framesAccepted).toBeGreaterThan(ITERATIONS / 10);
    for (const code of [
      'unknown_channel',
      'unknown_type',
      'truncated',
      'trailing_bytes',
      'frame_too_large',
      'length_exceeded',
      'invalid_bool',
      'invalid_enum',
      'invalid_flags',
      'invalid_utf8',
      'invalid_value',
    ] as const) {
      expect(report.errors[code] ?? 0, code).toBeGreaterThan(100);
    }
    // nothing is retained across inputs: the heap stays within a small bound of where it started
    expect(report.heapPeakBytes - report.heapStartBytes).toBeLessThan(64 * 1024 * 1024);
  });
});
