import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { parseRetryAfter, refusalOf, type TargetPolicy } from '@bpane/domain-webhooks';

export type DeliveryRequest = Readonly<{
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string;
  timeoutMs: number;
  policy: TargetPolicy;
}>;

export type DeliveryResponse = Readonly<{
  /** null when no HTTP answer came (refused target, DNS, connect error, timeout). */
  statusCode: number | null;
  error: string | null;
  retryAfterSec: number | undefined;
  durationMs: number;
}>;

/** How much of a receiver's answer is read (the rest is discarded). */
const MAX_RESPONSE_BYTES = 64 * 1024;

class TargetRefusedError extends Error {}

/**
 * A DNS lookup that refuses the connection when any resolved address is not allowed; the socket
 * connects only to addresses that passed, so a name cannot be re-pointed between check and use.
 */
const guardedLookup =
  (policy: TargetPolicy): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      for (const a of addresses) {
        const why = refusalOf(a.address, policy);
        if (why !== undefined) return callback(new TargetRefusedError(`target refused: ${why}`), '', 0);
      }
      const first = addresses[0];
      if (first === undefined) return callback(new Error(`${hostname} did not resolve`), '', 0);
      if ((options as { all?: boolean }).all === true)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, first.address, first.family);
    });
  };

/** One POST of a signed body; never follows redirects, never throws. */
export const deliverOnce = (req: DeliveryRequest): Promise<DeliveryResponse> => {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null, retryAfter?: string): DeliveryResponse => ({
    statusCode,
    error,
    retryAfterSec: parseRetryAfter(retryAfter, Date.now()),
    durationMs: Date.now() - started,
  });
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.resolve(done(null, 'invalid target URL'));
  }
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0) {
    const why = refusalOf(literal, req.policy);
    if (why !== undefined) return Promise.resolve(done(null, `target refused: ${why}`));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: guardedLookup(req.policy),
        timeout: req.timeoutMs,
        headers: {
          ...req.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(req.body).toString(),
          'user-agent': 'BrowserPane-Webhooks/1',
        },
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const finish = (): void => {
          const retryAfter = res.headers['retry-after'];
          resolve(
            done(res.statusCode ?? null, null, typeof retryAfter === 'string' ? retryAfter : undefined),
          );
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    const deadline = setTimeout(
      () => request.destroy(new Error(`no answer within ${req.timeoutMs} ms`)),
      req.timeoutMs,
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    request.on('error', (error) => resolve(done(null, error.message.slice(0, 300))));
    request.on('close', () => clearTimeout(deadline));
    request.end(req.body);
  });
};
