import { describe, expect, it } from 'vitest';
import { canonicalJson, resolveIdempotency, uuidV5 } from './idempotency';

describe('idempotency', () => {
  it('derives RFC 9562 v5 UUIDs (known vector)', () => {
    // The RFC's example: name "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('fingerprints requests independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  const base = { resourceType: 'project', ownerId: 'alice', headerKey: undefined, bodyKey: 'r-1' };

  it('gives the same id and key to the same request', () => {
    const a = resolveIdempotency({ ...base, body: { name: 'x', client_request_id: 'r-1' } });
    const b = resolveIdempotency({ ...base, body: { client_request_id: 'r-1', name: 'x' } });
    expect(a).toEqual(b);
  });

  it('keeps the id but changes the key when the request differs', () => {
    const a = resolveIdempotency({ ...base, body: { name: 'x' } })!;
    const b = resolveIdempotency({ ...base, body: { name: 'y' } })!;
    expect(a.resourceId).toBe(b.resourceId);
    expect(a.commandKey).not.toBe(b.commandKey);
  });

  it('scopes ids by owner and resource type', () => {
    const a = resolveIdempotency({ ...base, body: {} })!;
    expect(resolveIdempotency({ ...base, ownerId: 'bob', body: {} })!.resourceId).not.toBe(a.resourceId);
    expect(resolveIdempotency({ ...base, resourceType: 'session', body: {} })!.resourceId).not.toBe(
      a.resourceId,
    );
  });

  it('refuses two different keys', () => {
    expect(() => resolveIdempotency({ ...base, headerKey: 'r-2', body: {} })).toThrow(/differ/);
  });

  it('is absent without a key', () => {
    expect(resolveIdempotency({ ...base, bodyKey: undefined, body: {} })).toBeUndefined();
  });
});
