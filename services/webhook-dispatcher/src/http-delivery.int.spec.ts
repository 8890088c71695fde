import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOnce } from './http-delivery';

describe('deliverOnce (real loopback sockets)', () => {
  let server: Server;
  let port: number;
  const seen: { path: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  let answer: { status: number; headers?: Record<string, string>; delayMs?: number } = { status: 200 };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        setTimeout(() => res.writeHead(answer.status, answer.headers).end('ok'), answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const open = { allowPrivate: true };
  const closed = { allowPrivate: false };

  it('posts the body with the given headers and reports status, Retry-After and timing', async () => {
    answer = { status: 503, headers: { 'retry-after': '7' } };
    const r = await deliverOnce({
      url: `http://127.0.0.1:${port}/in?x=1`,
      headers: { 'webhook-id': 'abc' },
      body: '{"a":1}',
      timeoutMs: 5_000,
      policy: open,
    });
    expect(r).toMatchObject({ statusCode: 503, error: null, retryAfterSec: 7 });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ path: '/in?x=1', body: '{"a":1}' });
    expect(last.headers['webhook-id']).toBe('abc');
    expect(last.headers['content-type']).toBe('application/json');
  });

  it('refuses loopback targets without the setting, by literal and by name, without connecting', async () => {
    const before = seen.length;
    for (const host of ['127.0.0.1', 'localhost']) {
      const r = await deliverOnce({
        url: `http://${host}:${port}/in`,
        headers: {},
        body: '{}',
        timeoutMs: 5_000,
        policy: closed,
      });
      expect(r.statusCode).toBeNull();
      expect(r.error).toMatch(/target refused/);
    }
    expect(seen.length).toBe(before);
  });

  it('gives up after the timeout and reports connection errors without throwing', async () => {
    answer = { status: 200, delayMs: 2_000 };
    const slow = await deliverOnce({
      url: `http://127.0.0.1:${port}/slow`,
      headers: {},
      body: '{}',
      timeoutMs: 300,
      policy: open,
    });
    expect(slow.statusCode).toBeNull();
    expect(slow.error).toMatch(/no answer within 300 ms|socket hang up/);
    const refused = await deliverOnce({
      url: 'http://127.0.0.1:1/none',
      headers: {},
      body: '{}',
      timeoutMs: 1_000,
      policy: open,
    });
    expect(refused).toMatchObject({ statusCode: null });
    expect(refused.error).toMatch(/ECONNREFUSED/);
  });
});
