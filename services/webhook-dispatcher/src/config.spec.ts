import { readFileSync } from 'node:fs';
import { renderConfigTable } from '@bpane/config';
import { describe, expect, it } from 'vitest';
import { dispatcherConfigSpec, loadDispatcherConfig } from './config';

describe('webhook dispatcher configuration', () => {
  it('is documented in docs/webhooks.md exactly as the code declares it', () => {
    const doc = readFileSync('docs/webhooks.md', 'utf8');
    const block = /<!-- config:webhook-dispatcher -->\n([\s\S]*?)\n<!-- \/config:webhook-dispatcher -->/.exec(
      doc,
    )?.[1];
    expect(block).toBe(renderConfigTable(dispatcherConfigSpec));
  });

  it('has production defaults and refuses bad values with every problem named', () => {
    const c = loadDispatcherConfig({});
    expect(c).toMatchObject({ retryScale: 1, allowPrivateTargets: false, concurrencyPerTarget: 4 });
    expect(c.eventStore).toMatchObject({ kind: 'postgres' });
    expect(loadDispatcherConfig({ BPANE_WEBHOOK_RETRY_SCALE: '0.0001' }).retryScale).toBe(0.0001);
    expect(() =>
      loadDispatcherConfig({ BPANE_WEBHOOK_RETRY_SCALE: 'fast', BPANE_WEBHOOK_QUEUE_PREFIX: 'a:b' }),
    ).toThrow(/BPANE_WEBHOOK_RETRY_SCALE must be a number[\s\S]*BPANE_WEBHOOK_QUEUE_PREFIX must match/);
    expect(() => loadDispatcherConfig({ BPANE_WEBHOOK_RETRY_SCALE: '0' })).toThrow(/\(0, 1\]/);
    expect(() => loadDispatcherConfig({ BPANE_WEBHOOK_CONCURRENCY_PER_TARGET: '0' })).toThrow(/≥ 1/);
  });
});
