import { createHmac, timingSafeEqual } from 'node:crypto';

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
