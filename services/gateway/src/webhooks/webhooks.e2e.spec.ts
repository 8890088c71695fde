import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SecretKey } from '@bpane/secrets';
import { testServices, uniqueSuffix } from '@bpane/testing';
import { Redis } from 'ioredis';
import { connect } from 'nats';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_MODELS } from '../infra/tokens';
import { startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

type Subscription = {
  id: string;
  url: string;
  event_types: string[];
  state: 'active' | 'disabled';
  disabled_reason: string | null;
  signing_secret?: string;
};
type Delivery = {
  id: string;
  event_id: string;
  state: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempt_count: number;
  last_status_code: number | null;
  next_attempt_at: string | null;
  attempts: { attempt: number; status_code: number | null; duration_ms: number; error: string | null }[];
};
type Page<T> = { items: T[]; total: number };
type Problem = { code: string; errors?: { field: string; message: string }[] };
type Body = { type: string; data: { event_id: string; stream_id: string; event_type: string } };

/** A child process of a BrowserPane service, run from its TypeScript sources. */
type Child = { proc: ChildProcess; stderr: string[]; stop: () => Promise<void> };

const startChild = async (script: string, env: Record<string, string>, readyLine: RegExp): Promise<Child> => {
  const proc = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready: ${stderr.join('\n')}`)), 60_000);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      stderr.push(...chunk.split('\n').filter((l) => l.length > 0));
      if (readyLine.test(chunk)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${stderr.join('\n')}`));
    });
  });
  return {
    proc,
    stderr,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
    },
  };
};

/** A loopback webhook receiver that checks every request with the reference verifier. */
type Receiver = {
  url: string;
  port: number;
  secret: string | undefined;
  /** Every request, in arrival order (retries included). */
  received: { id: string; body: Body; verified: boolean }[];
  answered: number;
  listen: () => Promise<void>;
  close: () => Promise<void>;
};

const startReceiver = async (
  answer: (req: IncomingMessage, res: ServerResponse) => void | Promise<void> = (_q, res) => {
    res.writeHead(204).end();
  },
  listening = true,
): Promise<Receiver> => {
  let server: Server | undefined;
  const r: Receiver = {
    url: '',
    port: 0,
    secret: undefined,
    received: [],
    answered: 0,
    listen: () =>
      new Promise((resolve) => {
        server = createServer((req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c));
          req.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let verified = false;
            try {
              if (r.secret !== undefined) {
                new Webhook(r.secret).verify(text, req.headers as Record<string, string>);
                verified = true;
              }
            } catch {
              verified = false;
            }
            r.received.push({
              id: String(req.headers['webhook-id']),
              body: JSON.parse(text) as Body,
              verified,
            });
            res.on('finish', () => r.answered++);
            void answer(req, res);
          });
        });
        server.listen(r.port, '127.0.0.1', () => {
          r.port = (server!.address() as AddressInfo).port;
          r.url = `http://127.0.0.1:${r.port}/hooks`;
          resolve();
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (server === undefined) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
        server = undefined;
      }),
  };
  await r.listen();
  if (!listening) await r.close();
  return r;
};

const until = async (
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 45_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('webhooks (/api/v1/workflow-event-subscriptions) with the publisher and the dispatcher', () => {
  const suffix = uniqueSuffix();
  const stream = `WH_${suffix}`;
  const subjectRoot = `wh${suffix}`;
  const queuePrefix = `bpwh${suffix}`;
  const secretKey = SecretKey.generateBase64();
  let h: Harness;
  let alice: ApiClient;
  let bob: ApiClient;
  let publisher: Child;
  let dispatcher: Child;
  /** Subscribed to every project event of alice for the whole file. */
  let all: Receiver;
  let allSub: Subscription;

  const subscribe = async (c: ApiClient, url: string, eventTypes: string[]): Promise<Subscription> => {
    const r = await c.post<Subscription>('/api/v1/workflow-event-subscriptions', {
      url,
      event_types: eventTypes,
    });
    expect(r.status).toBe(201);
    return r.body;
  };
  const project = async (c: ApiClient, name: string): Promise<string> => {
    const r = await c.post<{ id: string }>('/api/v1/projects', { name });
    expect(r.status).toBe(201);
    return r.body.id;
  };
  const deliveries = async (id: string): Promise<Delivery[]> => {
    const r = await alice.get<Page<Delivery>>(
      `/api/v1/workflow-event-subscriptions/${id}/deliveries?limit=200`,
    );
    expect(r.status).toBe(200);
    return r.body.items;
  };

  beforeAll(async () => {
    h = await startHarness({ BPANE_SECRET_KEY: secretKey, BPANE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    alice = h.client(await h.tokenFor('demo'));
    bob = h.client(await h.tokenFor('demo2'));
    const bus = {
      BPANE_PG_URL: h.db.url,
      BPANE_NATS_URL: testServices.natsUrl,
      BPANE_EVENTS_STREAM: stream,
      BPANE_SUBJECT_ROOT: subjectRoot,
    };
    [publisher, dispatcher] = await Promise.all([
      startChild(
        'services/publisher/src/main.ts',
        { ...bus, BPANE_PUBLISHER_NAME: `wh_${suffix}`, BPANE_PUBLISHER_CHECKPOINT_INTERVAL_MS: '50' },
        /"publishing"/,
      ),
      startChild(
        'services/webhook-dispatcher/src/main.ts',
        {
          ...bus,
          BPANE_REDIS_URL: testServices.redisUrl,
          BPANE_WEBHOOK_QUEUE_PREFIX: queuePrefix,
          BPANE_WEBHOOK_DURABLE: `wh_${suffix}`,
          BPANE_SECRET_KEY: secretKey,
          BPANE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
          // 5 s → 1 ms, 5 min → 60 ms, 30 min → 360 ms, 2 h → 1.4 s, 5 h → 3.6 s, 10 h → 7.2 s.
          BPANE_WEBHOOK_RETRY_SCALE: '0.0002',
          BPANE_WEBHOOK_DISCOVERY_INTERVAL_MS: '200',
        },
        /dispatching webhooks/,
      ),
    ]);
    all = await startReceiver();
    allSub = await subscribe(alice, all.url, ['bpane.projects.*']);
    all.secret = allSub.signing_secret;
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await publisher?.stop();
    await all?.close();
    await h?.close();
    const nc = await connect({ servers: testServices.natsUrl });
    await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
    await nc.close();
    const redis = new Redis(testServices.redisUrl);
    const keys = await redis.keys(`${queuePrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('creates, lists, gets and deletes subscriptions; the secret appears in the create response only', async () => {
    const created = await alice.post<Subscription>('/api/v1/workflow-event-subscriptions', {
      url: 'http://127.0.0.1:9/never',
      event_types: ['bpane.sessions.SessionStopped', 'bpane.projects.*'],
      description: 'ops',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body).toMatchObject({
      state: 'active',
      event_types: ['bpane.sessions.SessionStopped', 'bpane.projects.*'],
    });
    const one = await alice.get<Subscription>(`/api/v1/workflow-event-subscriptions/${created.body.id}`);
    const list = await alice.get<Page<Subscription>>('/api/v1/workflow-event-subscriptions');
    expect(list.body.items.map((s) => s.id)).toContain(created.body.id);
    const { signing_secret: _secret, ...withoutSecret } = created.body;
    expect(one.body).toEqual(withoutSecret);
    for (const text of [JSON.stringify(one.body), JSON.stringify(list.body)]) {
      expect(text).not.toContain('whsec_');
      expect(text).not.toContain(created.body.signing_secret!.slice(6));
      expect(text).not.toMatch(/"v1\./);
    }
    // Owner isolation: another owner cannot see, list, read the log of or delete it.
    expect((await bob.get(`/api/v1/workflow-event-subscriptions/${created.body.id}`)).status).toBe(404);
    expect((await bob.get(`/api/v1/workflow-event-subscriptions/${created.body.id}/deliveries`)).status).toBe(
      404,
    );
    expect((await bob.del(`/api/v1/workflow-event-subscriptions/${created.body.id}`)).status).toBe(404);
    const bobs = await bob.get<Page<Subscription>>('/api/v1/workflow-event-subscriptions');
    expect(bobs.body.items.map((s) => s.id)).not.toContain(created.body.id);
    expect((await alice.del(`/api/v1/workflow-event-subscriptions/${created.body.id}`)).status).toBe(204);
    expect((await alice.get(`/api/v1/workflow-event-subscriptions/${created.body.id}`)).status).toBe(404);
    expect((await alice.del(`/api/v1/workflow-event-subscriptions/${created.body.id}`)).status).toBe(404);
  });

  it('refuses bad filters and URLs with the field named, writing nothing', async () => {
    const before = await h.store.headPosition();
    const pattern = await alice.post<Problem>('/api/v1/workflow-event-subscriptions', {
      url: all.url,
      event_types: ['projects.*'],
    });
    expect(pattern.status).toBe(400);
    expect(pattern.body.code).toBe('validation_failed');
    expect(pattern.body.errors?.map((e) => e.field)).toEqual(['event_types.0']);
    const scheme = await alice.post<Problem>('/api/v1/workflow-event-subscriptions', {
      url: 'ftp://user:pw@127.0.0.1/x',
      event_types: ['bpane.>'],
    });
    expect(scheme.status).toBe(400);
    expect(scheme.body.errors?.map((e) => e.field)).toEqual(['url', 'url']);
    const empty = await alice.post<Problem>('/api/v1/workflow-event-subscriptions', {
      url: all.url,
      event_types: [],
    });
    expect(empty.status).toBe(400);
    const metadata = await alice.post<Problem>('/api/v1/workflow-event-subscriptions', {
      url: 'http://169.254.169.254/latest/meta-data',
      event_types: ['bpane.>'],
    });
    expect(metadata.status).toBe(400);
    expect(metadata.body.errors?.[0]?.field).toBe('url');
    expect(await h.store.headPosition()).toBe(before);
  });

  it('delivers the owner’s matching events signed (Standard Webhooks), and logs every attempt', async () => {
    const archivedOnly = await startReceiver();
    const sub = await subscribe(alice, archivedOnly.url, ['bpane.projects.ProjectArchived']);
    archivedOnly.secret = sub.signing_secret;
    const theirs = await project(bob, 'bob-project');
    const mine = await project(alice, 'alice-project');
    expect((await alice.put(`/api/v1/projects/${mine}`, { state: 'archived' })).status).toBe(200);
    await until(() => archivedOnly.received.length >= 1, 'the archived event');
    await until(
      () =>
        all.received.some(
          (r) => r.body.data.stream_id === `project-${mine}` && r.body.data.event_type === 'ProjectArchived',
        ),
      'alice events on the catch-all subscription',
    );
    expect(archivedOnly.received.map((r) => r.body.type)).toEqual(['bpane.projects.ProjectArchived']);
    expect(archivedOnly.received.every((r) => r.verified)).toBe(true);
    expect(all.received.every((r) => r.verified)).toBe(true);
    expect(all.received.some((r) => r.body.data.stream_id === `project-${theirs}`)).toBe(false);
    await until(async () => (await deliveries(sub.id)).every((d) => d.state === 'delivered'), 'the log');
    const [log] = await deliveries(sub.id);
    expect(log).toMatchObject({
      id: archivedOnly.received[0]!.id,
      state: 'delivered',
      attempt_count: 1,
      last_status_code: 204,
      next_attempt_at: null,
    });
    expect(log!.attempts[0]).toMatchObject({ attempt: 1, status_code: 204, error: null });
    await archivedOnly.close();
  });

  it('retries while the receiver is down and, once it is up, delivers every event: no gaps', async () => {
    const down = await startReceiver(undefined, false);
    const sub = await subscribe(alice, down.url, ['bpane.projects.ProjectCreated']);
    down.secret = sub.signing_secret;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await project(alice, `down-${i}`));
    await until(async () => {
      const log = await deliveries(sub.id);
      return log.length === 5 && log.every((d) => d.attempt_count >= 2 && d.state === 'pending');
    }, 'two refused attempts per delivery');
    const pending = await deliveries(sub.id);
    expect(
      pending.every((d) => d.next_attempt_at !== null && d.attempts.every((a) => a.status_code === null)),
    ).toBe(true);
    await down.listen();
    await until(
      async () => (await deliveries(sub.id)).every((d) => d.state === 'delivered'),
      'delivery after recovery',
    );
    const log = await deliveries(sub.id);
    const distinct = new Set(down.received.map((r) => r.id));
    expect(distinct).toEqual(new Set(log.map((d) => d.id)));
    expect(new Set(down.received.map((r) => r.body.data.stream_id))).toEqual(
      new Set(ids.map((id) => `project-${id}`)),
    );
    expect(down.received.every((r) => r.verified)).toBe(true);
    expect(log.every((d) => d.attempts.at(-1)?.status_code === 204 && d.next_attempt_at === null)).toBe(true);
    await down.close();
  });

  it('disables a subscription whose receiver answers 410 Gone', async () => {
    const gone = await startReceiver((_q, res) => {
      res.writeHead(410).end();
    });
    const sub = await subscribe(alice, gone.url, ['bpane.projects.ProjectCreated']);
    gone.secret = sub.signing_secret;
    await project(alice, 'gone-1');
    await until(
      async () =>
        (await alice.get<Subscription>(`/api/v1/workflow-event-subscriptions/${sub.id}`)).body.state ===
        'disabled',
      'the subscription to be disabled',
    );
    const s = await alice.get<Subscription>(`/api/v1/workflow-event-subscriptions/${sub.id}`);
    expect(s.body.disabled_reason).toMatch(/410/);
    const [log] = await deliveries(sub.id);
    expect(log).toMatchObject({
      state: 'failed',
      attempt_count: 1,
      last_status_code: 410,
      next_attempt_at: null,
    });
    const later = await project(alice, 'gone-2');
    await until(
      () => all.received.some((r) => r.body.data.stream_id === `project-${later}`),
      'the later event elsewhere',
    );
    expect(gone.received).toHaveLength(1);
    expect(await deliveries(sub.id)).toHaveLength(1);
    await gone.close();
  });

  it('keeps delivering to a fast receiver while a slow one holds its requests', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow = await startReceiver(async (_q, res) => {
      await gate;
      res.writeHead(200).end();
    });
    const fast = await startReceiver();
    const slowSub = await subscribe(alice, slow.url, ['bpane.projects.ProjectCreated']);
    const fastSub = await subscribe(alice, fast.url, ['bpane.projects.ProjectCreated']);
    slow.secret = slowSub.signing_secret;
    fast.secret = fastSub.signing_secret;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await project(alice, `fanout-${i}`));
    await until(() => new Set(fast.received.map((r) => r.id)).size === 6, 'the fast receiver to get all six');
    // The slow receiver has answered nothing yet and holds at most the per-target concurrency.
    expect(slow.answered).toBe(0);
    expect(slow.received.length).toBeLessThanOrEqual(4);
    expect(fast.received.every((r) => r.verified)).toBe(true);
    release();
    await until(
      async () => (await deliveries(slowSub.id)).filter((d) => d.state === 'delivered').length === 6,
      'the slow one',
    );
    expect(new Set(slow.received.map((r) => r.body.data.stream_id))).toEqual(
      new Set(ids.map((id) => `project-${id}`)),
    );
    await slow.close();
    await fast.close();
  });

  it('honours Retry-After before the next attempt', async () => {
    let calls = 0;
    const busy = await startReceiver((_q, res) => {
      calls++;
      if (calls === 1) res.writeHead(503, { 'retry-after': '2' }).end();
      else res.writeHead(204).end();
    });
    const sub = await subscribe(alice, busy.url, ['bpane.projects.ProjectCreated']);
    busy.secret = sub.signing_secret;
    await project(alice, 'busy-1');
    await until(async () => (await deliveries(sub.id))[0]?.state === 'delivered', 'the second attempt');
    const [log] = await deliveries(sub.id);
    expect(log!.attempts.map((a) => a.status_code)).toEqual([503, 204]);
    const [first, second] = log!.attempts as unknown as { started_at: string }[];
    // Without Retry-After the scaled schedule would retry after about 1 ms.
    expect(Date.parse(second!.started_at) - Date.parse(first!.started_at)).toBeGreaterThanOrEqual(1_900);
    expect(new Set(busy.received.map((r) => r.id)).size).toBe(1);
    await busy.close();
  });

  it('cancels queued deliveries when the subscription is deleted', async () => {
    const down = await startReceiver(undefined, false);
    const sub = await subscribe(alice, down.url, ['bpane.projects.ProjectCreated']);
    await project(alice, 'cancel-1');
    await until(async () => ((await deliveries(sub.id))[0]?.attempt_count ?? 0) >= 1, 'a refused attempt');
    const log = await alice.get<Page<Delivery>>(`/api/v1/workflow-event-subscriptions/${sub.id}/deliveries`);
    const deliveryId = log.body.items[0]!.id;
    expect((await alice.del(`/api/v1/workflow-event-subscriptions/${sub.id}`)).status).toBe(204);
    // The log is gone from the API with the subscription; the dispatcher ends the delivery.
    expect((await alice.get(`/api/v1/workflow-event-subscriptions/${sub.id}/deliveries`)).status).toBe(404);
    const rows = async (): Promise<{ state: string }[]> =>
      h.gateway.app
        .get<{ dataSource: { query: (q: string, p: unknown[]) => Promise<{ state: string }[]> } }>(
          READ_MODELS,
        )
        .dataSource.query('SELECT state FROM read_models.webhook_deliveries WHERE id = $1', [deliveryId]);
    await until(async () => (await rows())[0]?.state === 'cancelled', 'the delivery to be cancelled');
    expect(down.received).toHaveLength(0);
  });

  it('every HTTP response matched the OpenAPI contract', () => {
    expect(h.contractViolations).toEqual([]);
  });
});
