import { type RebuildProgress } from '@bpane/read-models';
import { describe, expect, it } from 'vitest';
import { formatEta, formatProgress, progressReporter } from './progress';

const p = (over: Partial<RebuildProgress>): RebuildProgress => ({
  phase: 'replay',
  projections: ['projects'],
  eventsDone: 2_500,
  position: 10n,
  headPosition: 40n,
  fraction: 0.25,
  eventsPerSecond: 1_000,
  etaSeconds: 7.5,
  elapsedMs: 2_500,
  ...over,
});

describe('rebuild progress', () => {
  it('formats ETAs', () => {
    expect(formatEta(null)).toBe('--:--');
    expect(formatEta(65)).toBe('1:05');
    expect(formatEta(3_725)).toBe('1:02:05');
  });

  it('uses the exact total when known', () => {
    expect(formatProgress(p({}), 10_000, 10)).toBe(
      'replay [###.......]  25%  2,500/10,000 events  1,000 ev/s  ETA 0:08',
    );
  });

  it('estimates the total from the position range otherwise', () => {
    expect(formatProgress(p({}), null, 4)).toBe(
      'replay [#...]  25%  2,500/~10,000 events  1,000 ev/s  ETA 0:08',
    );
    expect(formatProgress(p({ phase: 'done', fraction: 1 }), null, 4)).toContain('100%');
  });

  it('throttles lines on a pipe but always reports phase changes', () => {
    const out: string[] = [];
    const r = progressReporter((t) => out.push(t), {
      tty: false,
      json: false,
      total: 10_000,
      intervalMs: 60_000,
    });
    r.update(p({}));
    r.update(p({ eventsDone: 3_000 }));
    r.update(p({ phase: 'done', fraction: 1, eventsDone: 10_000 }));
    r.finish();
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/^done +\[#+\] 100% {2}10,000\/10,000 events/);
  });
});
