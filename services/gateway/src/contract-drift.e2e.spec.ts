import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing/gateway-harness';

describe('served routes and openapi/bpane-control-v1.yaml', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serve exactly the operations of the contract, no more and no fewer', () => {
    const inContract = new Set(
      h.gateway.contract.operations.map((o) => `${o.method.toUpperCase()} ${o.routePath}`),
    );
    const served = new Set(
      h.gateway.routes.filter((r) => / \/(api\/|healthz|readyz)/.test(r)).map((r) => r.replace(/\/$/, '')),
    );
    const missing = [...inContract].filter((r) => !served.has(r));
    const undocumented = [...served].filter((r) => !inContract.has(r));
    expect({ missing, undocumented }).toEqual({ missing: [], undocumented: [] });
  });

  it('answers health and readiness without a token', async () => {
    const anon = h.client();
    expect((await anon.get('/healthz')).status).toBe(200);
    const ready = await anon.get<{ status: string; checks: Record<string, string> }>('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ event_store: 'ok', read_models: 'ok' });
    expect(h.contractViolations).toEqual([]);
  });
});
