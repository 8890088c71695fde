import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signing. The secret is `whsec_` + base64 of 32 random bytes; a delivery carries
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256
 * of "<id>.<timestamp>.<body>">` keyed with the decoded secret bytes.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Builds a secret from 32 random bytes (the caller supplies the randomness). */
export const webhookSecretFromBytes = (bytes: Uint8Array): string => {
  if (bytes.length !== 32) throw new RangeError('a webhook secret needs exactly 32 random bytes');
  return `${WEBHOOK_SECRET_PREFIX}${Buffer.from(bytes).toString('base64')}`;
};

const secretBytes = (secret: string): Buffer => {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new RangeError('not a whsec_ secret');
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
};

export type SignInput = Readonly<{ secret: string; id: string; timestampSec: number; body: string }>;

export const webhookSignature = (input: SignInput): string =>
  `v1,${createHmac('sha256', secretBytes(input.secret))
    .update(`${input.id}.${input.timestampSec}.${input.body}`, 'utf8')
    .digest('base64')}`;

/** The three headers of one delivery attempt. */
export const webhookHeaders = (input: SignInput): Record<string, string> => ({
  'webhook-id': input.id,
  'webhook-timestamp': String(input.timestampSec),
  'webhook-signature': webhookSignature(input),
});

/** True when any `v1,` signature in the (space-separated) header matches. */
export const verifyWebhookSignature = (input: SignInput, header: string): boolean => {
  const expected = Buffer.from(webhookSignature(input));
  return header.split(' ').some((candidate) => {
    const got = Buffer.from(candidate);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
};

/**
 * The `webhook-id` of the delivery of one event to one subscription: a name-based UUID (SHA-1,
 * version 5 layout) of both ids, so every attempt, every dispatcher instance and every redelivery
 * of the event from the bus agree on it and receivers can de-duplicate by it.
 */
export const webhookDeliveryId = (subscriptionId: string, eventId: string): string => {
  const hash = createHash('sha1')
    .update(`bpane-webhook-delivery:${subscriptionId}:${eventId}`, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
