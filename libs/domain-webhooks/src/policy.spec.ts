import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  assertTargetAllowed,
  classifyAddress,
  nextRetryDelayMs,
  parseRetryAfter,
  verifyWebhookSignature,
  webhookHeaders,
  webhookSecretFromBytes,
  WEBHOOK_RETRY_SCHEDULE_MS,
} from './index';

describe('target policy (SSRF)', () => {
  it('classifies loopback, private, link-local, metadata and embedded IPv4 forms', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.1.1',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd12::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a00:1',
      '2002:c0a8:101::1',
    ])
      expect([a, classifyAddress(a)]).toEqual([a, 'private']);
    for (const a of ['169.254.169.254', '::ffff:169.254.169.254', 'fd00:ec2::254'])
      expect([a, classifyAddress(a)]).toEqual([a, 'metadata']);
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect([a, classifyAddress(a)]).toEqual([a, 'public']);
    expect(classifyAddress('not-an-ip')).toBe('private');
  });

  it('checks every resolved address; the setting opens private ranges but never metadata', async () => {
    // A static zone: the policy takes its resolver as a parameter.
    const zone = (map: Record<string, string[]>) => (h: string) => {
      const r = map[h];
      return r === undefined ? Promise.reject(new Error('ENOTFOUND')) : Promise.resolve(r);
    };
    const dns = zone({ 'mixed.example': ['93.184.216.34', '10.0.0.5'], 'ok.example': ['93.184.216.34'] });
    const closed = { allowPrivate: false };
    await expect(assertTargetAllowed('https://mixed.example/x', closed, dns)).rejects.toThrow(
      /target refused: 10.0.0.5 is a private/,
    );
    await expect(assertTargetAllowed('https://ok.example/x', closed, dns)).resolves.toEqual([
      '93.184.216.34',
    ]);
    await expect(assertTargetAllowed('http://127.0.0.1:9/x', closed, dns)).rejects.toThrow();
    await expect(assertTargetAllowed('http://[::1]:9/x', closed, dns)).rejects.toThrow();
    await expect(assertTargetAllowed('http://localhost:9/x', closed, dns)).rejects.toThrow();
    await expect(assertTargetAllowed('http://nowhere.example/x', closed, dns)).rejects.toThrow();
    const open = { allowPrivate: true };
    await expect(assertTargetAllowed('http://127.0.0.1:9/x', open, dns)).resolves.toEqual(['127.0.0.1']);
    await expect(assertTargetAllowed('http://169.254.169.254/latest', open, dns)).rejects.toThrow();
    await expect(assertTargetAllowed('http://metadata.google.internal/', open, dns)).rejects.toThrow();
  });
});

describe('Standard Webhooks signatures', () => {
  it('are accepted by the reference verifier and fail when anything changes', () => {
    const secret = webhookSecretFromBytes(randomBytes(32));
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const ts = Math.floor(Date.now() / 1000);
    const input = { secret, id: 'msg_1', timestampSec: ts, body: '{"a":1}' };
    const headers = webhookHeaders(input);
    expect(new Webhook(secret).verify(input.body, headers)).toEqual({ a: 1 });
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    expect(verifyWebhookSignature(input, `v1,bogus ${headers['webhook-signature']}`)).toBe(true);
    expect(verifyWebhookSignature({ ...input, id: 'msg_2' }, headers['webhook-signature']!)).toBe(false);
    expect(() => webhookSecretFromBytes(new Uint8Array(16))).toThrow(RangeError);
  });
});

describe('retry schedule', () => {
  it('follows immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, scaled, with bounded jitter', () => {
    const delays = WEBHOOK_RETRY_SCHEDULE_MS.slice(1).map((_, i) =>
      nextRetryDelayMs({ attemptsMade: i + 1, scale: 1, random: 0.5 }),
    );
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(nextRetryDelayMs({ attemptsMade: 8, scale: 1, random: 0.5 })).toBeUndefined();
    expect(nextRetryDelayMs({ attemptsMade: 1, scale: 0.001, random: 0.5 })).toBe(5);
    expect(nextRetryDelayMs({ attemptsMade: 2, scale: 1, random: 0 })).toBe(240_000);
    expect(nextRetryDelayMs({ attemptsMade: 2, scale: 1, random: 0.999999 })).toBeLessThanOrEqual(360_000);
  });

  it('honours Retry-After up to the longest step', () => {
    expect(nextRetryDelayMs({ attemptsMade: 1, scale: 1, random: 0.5, retryAfterSec: 120 })).toBe(120_000);
    expect(nextRetryDelayMs({ attemptsMade: 1, scale: 1, random: 0.5, retryAfterSec: 10 ** 9 })).toBe(
      36_000_000,
    );
    expect(parseRetryAfter('30', 0)).toBe(30);
    expect(parseRetryAfter(new Date(61_000).toUTCString(), 0)).toBe(61);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});
