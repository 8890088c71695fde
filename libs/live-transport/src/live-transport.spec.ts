import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  cutReason,
  encodePreamble,
  parsePreamble,
  TEXT_IN_BINARY_SESSION,
  webSocketTransport,
  type CloseInfo,
  type LiveTransport,
} from './index';

const pair = async (): Promise<{
  server: LiveTransport;
  client: LiveTransport;
  raw: WebSocket;
  close: () => void;
}> => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  const accepted = new Promise<WebSocket>((r) => wss.once('connection', r));
  const raw = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((r) => raw.once('open', r));
  const server = webSocketTransport(await accepted);
  return { server, client: webSocketTransport(raw), raw, close: () => wss.close() };
};

describe('webSocketTransport', () => {
  it('carries binary chunks in order both ways and reports the peer close code and reason', async () => {
    const p = await pair();
    const got: number[] = [];
    const done = new Promise<void>((r) =>
      p.server.onData((c) => {
        got.push(...c);
        if (got.length === 6) r();
      }),
    );
    p.client.send(new Uint8Array([1, 2, 3]));
    p.client.send(new Uint8Array([4, 5, 6]));
    await done;
    expect(got).toEqual([1, 2, 3, 4, 5, 6]);
    const closed = new Promise<CloseInfo>((r) => p.client.onClose(r));
    p.server.close(4108, 'slow consumer');
    expect(await closed).toEqual({ code: 4108, reason: 'slow consumer' });
    expect(p.server.closed).toBe(true);
    p.close();
  });

  it('closes with malformedFrame when the peer sends text inside the binary protocol', async () => {
    const p = await pair();
    const closed = new Promise<CloseInfo>((r) => p.client.onClose(r));
    p.raw.send('hello');
    expect((await closed).code).toBe(TEXT_IN_BINARY_SESSION);
    p.close();
  });
});

describe('preamble', () => {
  it('round-trips and refuses anything else with a reason', () => {
    expect(parsePreamble(encodePreamble('bplt_x'))).toEqual({ op: 'auth', ticket: 'bplt_x' });
    expect(parsePreamble('nope')).toHaveProperty('error');
    expect(parsePreamble('[]')).toHaveProperty('error');
    expect(parsePreamble('{"op":"hello","ticket":"a"}')).toHaveProperty('error');
    expect(parsePreamble('{"op":"auth","ticket":""}')).toHaveProperty('error');
    expect(parsePreamble('{"op":"auth","ticket":"a","x":1}')).toEqual({
      error: 'unknown field x in the auth message',
    });
  });

  it('cuts close reasons to 123 UTF-8 bytes without splitting characters', () => {
    const r = cutReason('é'.repeat(100));
    expect(new TextEncoder().encode(r).length).toBeLessThanOrEqual(123);
    expect(r).toBe('é'.repeat(61));
  });
});

describe('webSocketTransport with onText', () => {
  it('hands text messages to onText and keeps the transport open', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    wss.once('connection', (ws) => {
      ws.send('{"op":"error","code":"ticket_used","message":"x"}');
      ws.send(new Uint8Array([9]));
    });
    const raw = new WebSocket(`ws://127.0.0.1:${port}`);
    const texts: string[] = [];
    const t = webSocketTransport(raw, { onText: (s) => texts.push(s) });
    const bytes = await new Promise<Uint8Array>((r) => t.onData(r));
    expect([...bytes]).toEqual([9]);
    expect(texts).toEqual(['{"op":"error","code":"ticket_used","message":"x"}']);
    expect(t.closed).toBe(false);
    t.close(4000, 'done');
    wss.close();
  });
});
