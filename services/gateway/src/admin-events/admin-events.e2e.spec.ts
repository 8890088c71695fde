import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';

type Ticket = { ticket: string; expires_at: string; expires_in: number };
type Message = {
  op: 'ready' | 'event' | 'error';
  position?: string;
  stream_id?: string;
  type?: string;
  occurred_at?: string;
  data?: Record<string, unknown>;
  code?: string;
};

/** A feed connection that buffers every message and records how it closed. */
type Feed = {
  ws: WebSocket;
  messages: Message[];
  closed: Promise<{ code: number; reason: string }>;
  next: (predicate: (m: Message) => boolean, what: string) => Promise<Message>;
};

const open = (h: Harness, query = ''): Promise<Feed> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${h.gateway.url.replace(/^http/, 'ws')}/api/v1/admin/events${query}`);
    const messages: Message[] = [];
    const waiters = new Set<() => void>();
    ws.on('message', (raw: Buffer) => {
      messages.push(JSON.parse(raw.toString('utf8')) as Message);
      for (const w of waiters) w();
    });
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on('close', (code, reason) => {
        r({ code, reason: reason.toString() });
        for (const w of waiters) w();
      }),
    );
    const next = (predicate: (m: Message) => boolean, what: string): Promise<Message> =>
      new Promise((res, rej) => {
        const check = (): void => {
          const found = messages.find(predicate);
          if (found !== undefined) {
            waiters.delete(check);
            clearTimeout(timer);
            res(found);
          } else if (ws.readyState === WebSocket.CLOSED) {
            waiters.delete(check);
            clearTimeout(timer);
            rej(new Error(`feed closed while waiting for ${what}: ${JSON.stringify(messages)}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          rej(new Error(`timed out waiting for ${what}: ${JSON.stringify(messages)}`));
        }, 20_000);
        waiters.add(check);
        check();
      });
    ws.once('open', () => resolve({ ws, messages, closed, next }));
    ws.once('error', reject);
  });

const auth = (feed: Feed, ticket: string, after?: string): void =>
  feed.ws.send(JSON.stringify({ op: 'auth', ticket, ...(after === undefined ? {} : { after }) }));

describe('admin events feed (/api/v1/admin/events)', () => {
  let h: Harness;
  let alice: ApiClient;
  let bob: ApiClient;
  const mint = async (c: ApiClient): Promise<string> => {
    const r = await c.post<Ticket>('/api/v1/admin/events/access-tokens');
    expect(r.status).toBe(201);
    return r.body.ticket;
  };
  const project = async (c: ApiClient, name: string): Promise<string> => {
    const r = await c.post<{ id: string }>('/api/v1/projects', { name });
    expect(r.status).toBe(201);
    return r.body.id;
  };

  beforeAll(async () => {
    h = await startHarness({ BPANE_ADMIN_EVENTS_TICKET_TTL_SECONDS: '2' });
    alice = h.client(await h.tokenFor('demo'));
    bob = h.client(await h.tokenFor('demo2'));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('mints short-lived tickets only for authenticated callers', async () => {
    const r = await alice.post<Ticket>('/api/v1/admin/events/access-tokens');
    expect(r.status).toBe(201);
    expect(r.body.expires_in).toBeGreaterThan(0);
    expect(r.body.expires_in).toBeLessThanOrEqual(60);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect((await h.client().post('/api/v1/admin/events/access-tokens')).status).toBe(401);
  });

  it('answers a plain HTTP GET with 426 and how to connect', async () => {
    const r = await h.client().get<{ code: string; status: number }>('/api/v1/admin/events');
    expect(r.status).toBe(426);
    expect(r.body.code).toBe('upgrade_required');
  });

  it('streams only the ticket owner’s events, live, as deltas', async () => {
    const feed = await open(h);
    auth(feed, await mint(alice));
    const ready = await feed.next((m) => m.op === 'ready', 'ready');
    expect(ready.position).toMatch(/^\d+$/);
    const theirs = await project(bob, 'bob-private');
    const mine = await project(alice, 'alice-live');
    const delta = await feed.next(
      (m) => m.op === 'event' && m.stream_id === `project-${mine}`,
      'alice event',
    );
    expect(delta).toMatchObject({ op: 'event', type: 'ProjectCreated', data: { name: 'alice-live' } });
    expect(BigInt(delta.position!)).toBeGreaterThan(BigInt(ready.position!));
    expect(Object.keys(delta).sort()).toEqual(['data', 'occurred_at', 'op', 'position', 'stream_id', 'type']);
    // Sent once projected: the read model already has it.
    expect((await alice.get(`/api/v1/projects/${mine}`)).status).toBe(200);
    expect(feed.messages.some((m) => m.stream_id === `project-${theirs}`)).toBe(false);
    feed.ws.close();
    await feed.closed;
  });

  it('resumes after a reconnect without missing anything', async () => {
    const first = await open(h);
    auth(first, await mint(alice));
    await first.next((m) => m.op === 'ready', 'ready');
    const a = await project(alice, 'resume-a');
    const seen = await first.next((m) => m.stream_id === `project-${a}`, 'first event');
    first.ws.close();
    await first.closed;
    const missed = [await project(alice, 'resume-b'), await project(alice, 'resume-c')];
    await project(bob, 'resume-bob');
    const second = await open(h, `?after=${seen.position}`);
    auth(second, await mint(alice));
    const ready = await second.next((m) => m.op === 'ready', 'ready');
    expect(ready.position).toBe(seen.position);
    const live = await project(alice, 'resume-d');
    await second.next((m) => m.stream_id === `project-${live}`, 'live event');
    const streams = second.messages.filter((m) => m.op === 'event').map((m) => m.stream_id);
    expect(streams).toEqual([...missed, live].map((id) => `project-${id}`));
    const positions = second.messages.filter((m) => m.op === 'event').map((m) => BigInt(m.position!));
    expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
    // The resume position may also come in the auth message.
    const third = await open(h);
    auth(third, await mint(alice), seen.position);
    await third.next((m) => m.stream_id === `project-${live}`, 'catch-up through the auth message');
    expect(third.messages.filter((m) => m.op === 'event').map((m) => m.stream_id)).toEqual(streams);
    second.ws.close();
    third.ws.close();
  });

  it('accepts a ticket once', async () => {
    const ticket = await mint(alice);
    const first = await open(h);
    auth(first, ticket);
    await first.next((m) => m.op === 'ready', 'ready');
    const again = await open(h);
    auth(again, ticket);
    const error = await again.next((m) => m.op === 'error', 'refusal');
    expect(error.code).toBe('ticket_used');
    expect((await again.closed).code).toBe(4401);
    first.ws.close();
  });

  it('refuses expired, forged and missing tickets', async () => {
    const ticket = await mint(alice);
    await new Promise((r) => setTimeout(r, 2_200));
    const late = await open(h);
    auth(late, ticket);
    expect((await late.next((m) => m.op === 'error', 'refusal')).code).toBe('ticket_expired');
    expect((await late.closed).code).toBe(4401);

    const forged = await open(h);
    auth(forged, `${ticket.slice(0, -4)}AAAA`);
    expect((await forged.next((m) => m.op === 'error', 'refusal')).code).toBe('invalid_ticket');

    const garbage = await open(h);
    garbage.ws.send('hello');
    expect((await garbage.next((m) => m.op === 'error', 'refusal')).code).toBe('bad_request');
    expect((await garbage.closed).code).toBe(4400);
  });

  it('every HTTP response matched the OpenAPI contract', () => {
    expect(h.contractViolations).toEqual([]);
  });
});
