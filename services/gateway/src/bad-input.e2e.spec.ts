import fc from 'fast-check';
import type { ContractOperation } from '@bpane/api-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing/gateway-harness';

/**
 * Sends generated malformed requests to every operation of the contract and checks that the
 * gateway answers each with a 4xx problem — never a 5xx — and that none of them wrote an event.
 * The generator covers bad path ids, non-object and invalid JSON bodies, unknown and mistyped
 * fields, oversized strings, wrong media types, bad query values and broken Authorization headers.
 * Seeded: a failure prints the seed and the request, and replays the same way.
 */
const SEED = Number(process.env['BPANE_FUZZ_SEED'] ?? 20261122);
/** At least this many per operation, and at least `MIN_TOTAL` requests over all operations. */
const PER_OPERATION = 40;
const MIN_TOTAL = 600;

type BadRequest = Readonly<{
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}>;

const badIds = fc.constantFrom(
  'not-a-uuid',
  '0',
  'x'.repeat(300),
  '%00',
  '..',
  '%E2%82%AC',
  '123e4567-e89b-12d3-a456-42661417400Z',
);
const jsonNonObject = fc.oneof(
  fc.constant('[]'),
  fc.constant('null'),
  fc.integer().map(String),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.constant('true'),
);
const brokenJson = fc.constantFrom('{', '{"a":', '{"a":1,}', "{'a':1}", '\u0000', '{"a":"\ud800"', '[1,2');
const junkValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 30 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant('x'.repeat(70_000)),
);
const unknownFieldObject = fc
  .dictionary(fc.string({ minLength: 1, maxLength: 12 }), junkValue, { maxKeys: 4 })
  .map((o) => JSON.stringify({ ...o, __bpane_unknown_field__: 1 }));
const wrongTypesForKnownFields = (op: ContractOperation) =>
  fc.constant(op).chain(() =>
    fc
      .record({
        name: junkValue,
        labels: junkValue,
        quotas: junkValue,
        state: junkValue,
        description: fc.integer(),
      })
      .map((o) => JSON.stringify({ ...o, __bpane_unknown_field__: true })),
  );
const badQueries = fc.constantFrom(
  'limit=0',
  'limit=-1',
  'limit=abc',
  'limit=100000',
  'offset=-5',
  'offset=1e999',
  'state=exploded',
  'unknown_param=1',
  'after=-1',
  'since=yesterday',
);
const badAuth = fc.constantFrom(
  '',
  'Bearer',
  'Bearer x',
  'Basic ZGVtbzpkZW1v',
  'Bearer a.b.c',
  `Bearer ${'A'.repeat(20_000)}`,
);

const concrete = (op: ContractOperation, id: string): string =>
  op.routePath.replace(/:[a-z_]+/g, () => (encodeURIComponent(id) === id ? id : id));

const generatorFor = (op: ContractOperation, goodId: string): fc.Arbitrary<BadRequest> => {
  const method = op.method.toUpperCase();
  const hasPathParams = op.routePath.includes(':');
  const variants: fc.Arbitrary<BadRequest>[] = [];
  const jsonHeaders = { 'content-type': 'application/json' };
  if (hasPathParams) {
    variants.push(
      badIds.map((id) => ({
        kind: 'bad path id',
        method,
        path: concrete(op, id),
        headers: op.hasBody ? jsonHeaders : {},
        ...(op.hasBody ? { body: '{}' } : {}),
      })),
    );
  }
  const path = concrete(op, goodId);
  if (op.hasBody) {
    variants.push(
      jsonNonObject.map((body) => ({ kind: 'non-object body', method, path, headers: jsonHeaders, body })),
    );
    variants.push(
      brokenJson.map((body) => ({ kind: 'invalid JSON', method, path, headers: jsonHeaders, body })),
    );
    variants.push(
      unknownFieldObject.map((body) => ({
        kind: 'unknown fields',
        method,
        path,
        headers: jsonHeaders,
        body,
      })),
    );
    variants.push(
      wrongTypesForKnownFields(op).map((body) => ({
        kind: 'wrong types',
        method,
        path,
        headers: jsonHeaders,
        body,
      })),
    );
    variants.push(
      fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x').map((type) => ({
        kind: 'wrong media type',
        method,
        path,
        headers: { 'content-type': type },
        body: 'name=x',
      })),
    );
  } else if (method === 'GET') {
    variants.push(badQueries.map((q) => ({ kind: 'bad query', method, path: `${path}?${q}`, headers: {} })));
  }
  if (op.authenticated) {
    variants.push(
      badAuth.map((auth) => ({
        kind: 'bad authorization',
        method,
        path,
        headers: { authorization: auth, ...(op.hasBody ? jsonHeaders : {}) },
        ...(op.hasBody ? { body: '{"name":"would-be-valid"}' } : {}),
      })),
    );
  }
  return fc.oneof(...variants);
};

describe('malformed requests across every operation of the contract', () => {
  let h: Harness;
  let token: string;
  let goodId: string;

  beforeAll(async () => {
    h = await startHarness();
    token = await h.tokenFor('demo');
    // A real resource id of the caller, so requests reach past "not found" into validation.
    const created = await h.client(token).post<{ id: string }>('/api/v1/projects', { name: 'fuzz-target' });
    goodId = created.body.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it(`answers ≥ ${MIN_TOTAL} generated bad requests over all operations with 4xx and writes nothing`, async () => {
    // Operations that may legitimately act on a bodiless request are excluded from the write
    // check only if the contract marks them so; none do today.
    const ops = h.gateway.contract.operations.filter((o) => !['/healthz', '/readyz'].includes(o.routePath));
    const before = await h.store.headPosition();
    const failures: string[] = [];
    let sent = 0;
    const perOperation = Math.max(PER_OPERATION, Math.ceil(MIN_TOTAL / ops.length));
    const samples = ops.flatMap((op, i) =>
      fc.sample(generatorFor(op, goodId), { seed: SEED + i, numRuns: perOperation }),
    );
    for (const req of samples) {
      const headers: Record<string, string> = { ...req.headers };
      if (!('authorization' in headers)) headers['authorization'] = `Bearer ${token}`;
      if (headers['authorization'] === '') delete headers['authorization'];
      const res = await fetch(`${h.gateway.url}${req.path}`, {
        method: req.method,
        headers,
        ...(req.body === undefined ? {} : { body: req.body }),
      });
      const text = await res.text();
      sent++;
      const type = res.headers.get('content-type') ?? '';
      if (res.status < 400 || res.status >= 500 || !type.includes('application/problem+json')) {
        failures.push(
          `${req.kind}: ${req.method} ${req.path.slice(0, 120)} → ${res.status} ${text.slice(0, 200)}`,
        );
      }
    }
    expect(sent).toBeGreaterThanOrEqual(MIN_TOTAL);
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(await h.store.headPosition()).toBe(before);
  });
});
