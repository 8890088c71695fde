import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand, type CommandMetadata } from '@bpane/ddd';
import {
  resolveSessionConfig,
  sessionDecider,
  sessionStreamId,
  sessionTemplateDecider,
  sessionTemplateStreamId,
  type AdmissionInput,
  type SessionCommand,
} from '@bpane/domain-sessions';
import { createPostgresEventStore, type EventStore } from '@bpane/event-store';
// eslint-disable-next-line @nx/enforce-module-boundaries -- throw-away databases are a test helper
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import { applyEvents } from '../apply';
import { defaultProjections, readModelEntities } from '../catalogue';
import { ReadModelDatabase } from '../database';
import { ProjectionPositions } from '../positions';
import { Projector } from '../projector';
import { rebuildProjections } from '../rebuild';
import { getSessionTemplate } from '../session-templates/session-templates.queries';
import { sessionTemplatesProjection } from '../session-templates/session-templates.projection';
import {
  countActiveProjectSessions,
  getSession,
  getSessionById,
  listProjectsWithQueuedSessions,
  listQueuedProjectSessions,
  listSessions,
} from './sessions.queries';
import { sessionsProjection } from './sessions.projection';

let tdb: TestDatabase;
let store: EventStore;
let db: ReadModelDatabase;
let projector: Projector;
let positions: ProjectionPositions;

beforeAll(async () => {
  tdb = await createTestDatabase('bpane_rm_sess');
  store = await createPostgresEventStore({ connectionString: tdb.url });
  db = await ReadModelDatabase.connect({ url: tdb.url, entities: readModelEntities });
  projector = new Projector({ store, db, projections: defaultProjections(), lingerMs: 2 });
  await projector.start();
  positions = new ProjectionPositions({ url: tdb.url, pollIntervalMs: 50 });
});

afterAll(async () => {
  await projector?.stop();
  await positions?.close();
  await db?.close();
  await store?.close();
  await tdb?.drop();
});

const meta = (owner: string): CommandMetadata => ({
  now: new Date().toISOString(),
  actor: { kind: owner === 'system' ? 'system' : 'user', id: owner },
  correlationId: randomUUID(),
});

const exec = async (command: SessionCommand) => {
  const r = await handleCommand(store, {
    streamId: sessionStreamId(command.data.sessionId),
    decider: sessionDecider,
    command,
  });
  if (r.position !== null) expect(await positions.waitForPosition(r.position, 10_000)).toBe(true);
};

const create = (owner: string, projectId: string | null, admission: AdmissionInput, labels = {}) => {
  const sessionId = randomUUID();
  return exec({
    type: 'CreateSession',
    data: {
      sessionId,
      templateId: null,
      projectId,
      config: resolveSessionConfig(null, { labels }),
      admission,
    },
    metadata: meta(owner),
  }).then(() => sessionId);
};

const dump = async (target: ReadModelDatabase, table: string): Promise<unknown[]> =>
  (
    await target.dataSource.query<{ row: unknown }[]>(
      `SELECT to_jsonb(t) AS row FROM ${target.qualified(table)} t ORDER BY id`,
    )
  ).map((r) => r.row);

describe('sessions read model', () => {
  const alice = `alice-${randomUUID()}`;
  const project = randomUUID();
  const admitted: AdmissionInput = {
    decision: 'admitted',
    reason: 'within_quota',
    projectId: project,
    queuePosition: null,
  };
  const queued = (n: number): AdmissionInput => ({
    decision: 'queued',
    reason: 'quota_exhausted',
    projectId: project,
    queuePosition: n,
  });
  let a = '';
  let q1 = '';
  let q2 = '';

  it('shows sessions to their owner, with the active count and the queue in order', async () => {
    a = await create(alice, project, admitted, { team: 'qa' });
    q1 = await create(alice, project, queued(1));
    q2 = await create(alice, project, queued(2));
    expect(await countActiveProjectSessions(db, project)).toBe(1);
    expect(await listQueuedProjectSessions(db, project)).toEqual([q1, q2]);
    expect(await listProjectsWithQueuedSessions(db)).toContainEqual({ projectId: project, ownerId: alice });
    expect((await getSession(db, { id: q2, ownerId: alice }))?.queuePosition).toBe(2);
    expect(await getSession(db, { id: q2, ownerId: 'mallory' })).toBeNull();
    expect((await getSessionById(db, q2))?.session.ownerId).toBe(alice);
    const page = await listSessions(db, { ownerId: alice, labels: { team: 'qa' } });
    expect(page.items.map((v) => v.session.sessionId)).toEqual([a]);
  });

  it('moves the queue when a session leaves it and counts only admitted live sessions', async () => {
    await exec({ type: 'CancelSession', data: { sessionId: q1 }, metadata: meta(alice) });
    expect((await getSession(db, { id: q2, ownerId: alice }))?.queuePosition).toBe(1);
    await exec({ type: 'StopSession', data: { sessionId: a, mode: 'stop' }, metadata: meta(alice) });
    expect(await countActiveProjectSessions(db, project)).toBe(0);
    await exec({ type: 'AdmitQueuedSession', data: { sessionId: q2 }, metadata: meta('system') });
    expect(await countActiveProjectSessions(db, project)).toBe(1);
    expect(await listQueuedProjectSessions(db, project)).toEqual([]);
    await exec({ type: 'DeleteSession', data: { sessionId: a }, metadata: meta(alice) });
    expect(await getSession(db, { id: a, ownerId: alice })).toBeNull();
    expect((await listSessions(db, { ownerId: alice })).total).toBe(2);
  });

  it('rejects bad list queries with typed errors', async () => {
    for (const q of [
      { limit: 0 },
      { offset: -1 },
      { state: 'asleep' },
      { runtimeState: 'x' },
      { templateId: 'x' },
    ])
      await expect(listSessions(db, { ownerId: alice, ...(q as object) })).rejects.toMatchObject({
        code: 'invalid_query',
      });
  });

  it('applying events again, or late, changes nothing; a rebuild yields the same tables', async () => {
    const templateId = randomUUID();
    const r = await handleCommand(store, {
      streamId: sessionTemplateStreamId(templateId),
      decider: sessionTemplateDecider,
      command: { type: 'CreateSessionTemplate', data: { templateId, name: 'tpl' }, metadata: meta(alice) },
    });
    expect(await positions.waitForPosition(r.position!, 10_000)).toBe(true);
    expect((await getSessionTemplate(db, { id: templateId, ownerId: alice }))?.template).toMatchObject({
      name: 'tpl',
    });
    const before = [await dump(db, 'sessions'), await dump(db, 'session_templates')];
    const events = await store.readAll();
    const mine = [sessionsProjection, sessionTemplatesProjection];
    await db.dataSource.transaction((m) => applyEvents(db, m, mine, events, new Map(), false));
    for (const e of [...events].reverse())
      await db.dataSource.transaction((m) => applyEvents(db, m, mine, [e], new Map(), false));
    expect([await dump(db, 'sessions'), await dump(db, 'session_templates')]).toEqual(before);
    await rebuildProjections({ store, db, projections: mine, pageSize: 4 });
    expect([await dump(db, 'sessions'), await dump(db, 'session_templates')]).toEqual(before);
  });
});
