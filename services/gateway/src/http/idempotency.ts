import { createHash } from 'node:crypto';
import { BpaneError } from '@bpane/errors';

/**
 * Idempotent creation. A create request may carry a key (`client_request_id` in the body or the
 * `Idempotency-Key` header). The new resource's id is derived from (resource type, owner, key), so
 * a retry targets the same stream; the command's idempotency key is `key#fingerprint`, so
 *  - the same request again finds its own key in the stream and replays the result (200);
 *  - a different request with the same key finds the stream taken by another fingerprint (409).
 */
export type IdempotencyInput = Readonly<{
  resourceType: string;
  ownerId: string;
  headerKey: string | undefined;
  bodyKey: string | undefined;
  body: unknown;
}>;

export type Idempotency = Readonly<{ key: string; resourceId: string; commandKey: string }> | undefined;

const NAMESPACE = '6f1f5a3e-2a7b-4f0c-9a57-1d8e4b2c9e10';

/** RFC 9562 version-5 UUID (SHA-1, name-based). */
export const uuidV5 = (name: string, namespace = NAMESPACE): string => {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** JSON with sorted keys, so equal requests fingerprint equally whatever their key order. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

export const resolveIdempotency = (input: IdempotencyInput): Idempotency => {
  const { headerKey, bodyKey } = input;
  if (headerKey !== undefined && bodyKey !== undefined && headerKey !== bodyKey) {
    throw new BpaneError(
      'validation_failed',
      'Idempotency-Key and client_request_id differ; send one of them',
      {
        details: {
          violations: [{ field: 'client_request_id', message: 'differs from the Idempotency-Key header' }],
        },
      },
    );
  }
  const key = bodyKey ?? headerKey;
  if (key === undefined) return undefined;
  const body =
    input.body !== null && typeof input.body === 'object'
      ? Object.fromEntries(Object.entries(input.body).filter(([k]) => k !== 'client_request_id'))
      : input.body;
  const fingerprint = createHash('sha256').update(canonicalJson(body)).digest('base64url').slice(0, 22);
  return {
    key,
    resourceId: uuidV5(`${input.resourceType}\u0000${input.ownerId}\u0000${key}`),
    commandKey: `${key}#${fingerprint}`,
  };
};

/**
 * A create whose derived id is already taken by a different request with the same key: the
 * decider's `conflict` becomes a 409 `idempotency_conflict`. Any other error passes unchanged.
 */
export const idempotencyClash = (error: unknown, isCreate: boolean, key: string | undefined): unknown =>
  isCreate && key !== undefined && error instanceof BpaneError && error.code === 'conflict'
    ? new BpaneError(
        'idempotency_conflict',
        'this idempotency key was already used for a different request; use a new key',
      )
    : error;
