import { SecretKey } from '@bpane/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';

type Problem = { code: string; errors?: { field: string; message: string }[] };

describe('webhook targets without BPANE_WEBHOOK_ALLOW_PRIVATE_TARGETS (SSRF protection)', () => {
  let h: Harness;
  let alice: ApiClient;

  beforeAll(async () => {
    h = await startHarness({ BPANE_SECRET_KEY: SecretKey.generateBase64() });
    alice = h.client(await h.tokenFor('demo'));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses loopback, private, link-local and metadata targets and records nothing', async () => {
    const before = await h.store.headPosition();
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://[::1]/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://172.16.5.4/hook',
      'http://169.254.10.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00::1]/hook',
      'http://0.0.0.0/hook',
      'http://metadata.google.internal/computeMetadata/v1',
    ]) {
      const r = await alice.post<Problem>('/api/v1/workflow-event-subscriptions', {
        url,
        event_types: ['bpane.>'],
      });
      expect([url, r.status, r.body.code]).toEqual([url, 400, 'validation_failed']);
      expect(r.body.errors?.[0]?.field).toBe('url');
    }
    expect(await h.store.headPosition()).toBe(before);
  });

  it('accepts a public address', async () => {
    const r = await alice.post<{ id: string; url: string }>('/api/v1/workflow-event-subscriptions', {
      url: 'https://93.184.216.34/hooks/browserpane',
      event_types: ['bpane.projects.*'],
    });
    expect(r.status).toBe(201);
    expect(r.body.url).toBe('https://93.184.216.34/hooks/browserpane');
  });

  it('every HTTP response matched the OpenAPI contract', () => {
    expect(h.contractViolations).toEqual([]);
  });
});
