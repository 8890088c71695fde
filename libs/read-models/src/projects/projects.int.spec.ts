import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand, type CommandMetadata } from '@bpane/ddd';
import { projectDecider, projectStreamId, type ProjectCommand } from '@bpane/domain-projects';
import { createPostgresEventStore, type EventStore } from '@bpane/event-store';
// eslint-disable-next-line @nx/enforce-module-boundaries -- throw-away databases are a test helper
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import { applyEvents } from '../apply';
import { readModelEntities, defaultProjections } from '../catalogue';
import { readCheckpoints } from '../checkpoints';
import { ReadModelDatabase } from '../database';
import { ProjectionPositions } from '../positions';
import { Projector } from '../projector';
import { rebuildProjections, type RebuildProgress } from '../rebuild';
import { getProject, listProjects } from './projects.queries';
import { projectsProjection } from './projects.projection';

let tdb: TestDatabase;
let store: EventStore;
let db: ReadModelDatabase;
let projector: Projector;
let positions: ProjectionPositions;

beforeAll(async () => {
  tdb = await createTestDatabase('bpane_rm');
  store = await createPostgresEventStore({ connectionString: tdb.url });
  db = await ReadModelDatabase.connect({ url: tdb.url, entities: readModelEntities });
  projector = new Projector({ store, db, projections: defaultProjections() });
  await projector.start();
  positions = new ProjectionPositions({ url: tdb.url });
});

afterAll(async () => {
  await projector?.stop();
  await positions?.close();
  await db?.close();
  await store?.close();
  await tdb?.drop();
});

const meta = (owner: string, over: Partial<CommandMetadata> = {}): CommandMetadata => ({
  now: new Date().toISOString(),
  actor: { kind: 'user', id: owner },
  correlationId: randomUUID(),
  ...over,
});

/** Runs a command and waits until the projector has applied it (read-your-writes). */
const exec = async (command: ProjectCommand) => {
  const r = await handleCommand(store, {
    streamId: projectStreamId(command.data.projectId),
    decider: projectDecider,
    command,
  });
  if (r.position !== null)
    expect(await positions.waitForPosition(r.position, 10_000, ['projects'])).toBe(true);
  return r;
};

const dump = async (target: ReadModelDatabase, table = 'projects'): Promise<unknown[]> => {
  const rows = await target.dataSource.query<{ row: unknown }[]>(
    `SELECT to_jsonb(t) AS row FROM ${target.qualified(table)} t ORDER BY id`,
  );
  return rows.map((r) => r.row);
};

describe('projects read model', () => {
  const alice = `alice-${randomUUID()}`;
  const bob = `bob-${randomUUID()}`;
  const p1 = randomUUID();
  const p2 = randomUUID();
  const p3 = randomUUID();

  it('shows a created project to its owner only', async () => {
    await exec({
      type: 'CreateProject',
      data: {
        projectId: p1,
        name: 'Checkout',
        labels: { env: 'prod', team: 'qa' },
        quotas: { maxActiveSessions: 4 },
      },
      metadata: meta(alice),
    });
    const view = await getProject(db, { id: p1, ownerId: alice });
    expect(view).toMatchObject({
      id: p1,
      ownerId: alice,
      name: 'Checkout',
      description: null,
      labels: { env: 'prod', team: 'qa' },
      state: 'active',
      quotas: { maxActiveSessions: 4, maxActiveWorkflowRuns: null, maxRetainedStorageBytes: null },
      archivedAt: null,
    });
    expect(await getProject(db, { id: p1, ownerId: bob })).toBeNull();
    expect(await getProject(db, { id: 'not-a-uuid', ownerId: alice })).toBeNull();
  });

  it('reflects partial updates, archive and unarchive', async () => {
    await exec({
      type: 'UpdateProject',
      data: { projectId: p1, description: 'the shop', quotas: { maxRetainedStorageBytes: 2 ** 40 } },
      metadata: meta(alice),
    });
    expect(await getProject(db, { id: p1, ownerId: alice })).toMatchObject({
      name: 'Checkout',
      description: 'the shop',
      quotas: { maxActiveSessions: 4, maxRetainedStorageBytes: 2 ** 40 },
    });
    await exec({ type: 'ArchiveProject', data: { projectId: p1 }, metadata: meta(alice) });
    const archived = await getProject(db, { id: p1, ownerId: alice });
    expect(archived).toMatchObject({ state: 'archived' });
    expect(archived?.archivedAt).not.toBeNull();
    await exec({ type: 'UnarchiveProject', data: { projectId: p1 }, metadata: meta(alice) });
    expect(await getProject(db, { id: p1, ownerId: alice })).toMatchObject({
      state: 'active',
      archivedAt: null,
    });
  });

  it('lists owner-scoped projects with filters and pagination', async () => {
    await exec({
      type: 'CreateProject',
      data: { projectId: p2, name: 'Billing 100%', labels: { env: 'staging' } },
      metadata: meta(alice),
    });
    await exec({ type: 'CreateProject', data: { projectId: p3, name: 'Bob stuff' }, metadata: meta(bob) });
    await exec({ type: 'ArchiveProject', data: { projectId: p2 }, metadata: meta(alice) });

    const all = await listProjects(db, { ownerId: alice });
    expect(all.total).toBe(2);
    expect(all.items.map((p) => p.id)).toEqual([p2, p1]); // newest first
    expect((await listProjects(db, { ownerId: alice, state: 'archived' })).items.map((p) => p.id)).toEqual([
      p2,
    ]);
    expect(
      (await listProjects(db, { ownerId: alice, labels: { env: 'prod' } })).items.map((p) => p.id),
    ).toEqual([p1]);
    expect((await listProjects(db, { ownerId: alice, nameContains: '100%' })).items.map((p) => p.id)).toEqual(
      [p2],
    );
    expect((await listProjects(db, { ownerId: alice, nameContains: '%' })).items.map((p) => p.id)).toEqual([
      p2,
    ]);
    const page = await listProjects(db, { ownerId: alice, limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.items.map((p) => p.id)).toEqual([p1]);
    expect((await listProjects(db, { ownerId: bob })).items.map((p) => p.id)).toEqual([p3]);
  });

  it('rejects bad list queries with typed errors', async () => {
    await expect(listProjects(db, { ownerId: alice, limit: 0 })).rejects.toMatchObject({
      code: 'invalid_query',
    });
    await expect(listProjects(db, { ownerId: alice, limit: 201 })).rejects.toMatchObject({
      code: 'invalid_query',
    });
    await expect(listProjects(db, { ownerId: alice, offset: -1 })).rejects.toMatchObject({
      code: 'invalid_query',
    });
    await expect(listProjects(db, { ownerId: alice, state: 'gone' as never })).rejects.toMatchObject({
      code: 'invalid_query',
    });
    await expect(listProjects(db, { ownerId: '' })).rejects.toMatchObject({ code: 'invalid_query' });
  });

  it('applies every event a second time without changing anything (idempotent)', async () => {
    const before = await dump(db);
    const events = await store.readAll();
    await db.dataSource.transaction(async (m) => {
      await applyEvents(db, m, [projectsProjection], events, new Map(), false);
    });
    expect(await dump(db)).toEqual(before);
    // Older events arriving late (here: all of them, newest first) must not roll rows back.
    for (const event of [...events].reverse()) {
      await db.dataSource.transaction(async (m) => {
        await applyEvents(db, m, [projectsProjection], [event], new Map(), false);
      });
    }
    expect(await dump(db)).toEqual(before);
  });

  it('rebuild yields exactly the incrementally built tables and reports progress', async () => {
    const head = await store.headPosition();
    expect(await positions.waitForPosition(head, 10_000)).toBe(true);
    const incremental = await dump(db);
    const progress: RebuildProgress[] = [];
    const result = await rebuildProjections({
      store,
      db,
      projections: defaultProjections(),
      pageSize: 3,
      onProgress: (p) => progress.push(p),
    });
    expect(await dump(db)).toEqual(incremental);
    const total = (await store.readAll()).length;
    expect(result.eventsDone).toBe(total);
    expect(result.position).toBe(head);
    expect(progress.filter((p) => p.phase === 'replay').length).toBe(Math.ceil(total / 3));
    expect(progress.at(-1)).toMatchObject({ phase: 'done', fraction: 1, etaSeconds: 0, eventsDone: total });
    const checkpoints = await readCheckpoints(db);
    expect(checkpoints.get('projects')).toMatchObject({ position: head, version: 1 });
    // The projector keeps running on the swapped tables.
    const p4 = randomUUID();
    await exec({
      type: 'CreateProject',
      data: { projectId: p4, name: 'after rebuild' },
      metadata: meta(alice),
    });
    expect(await getProject(db, { id: p4, ownerId: alice })).toMatchObject({ name: 'after rebuild' });
  });

  it('rebuilds into another schema while the projector keeps running', async () => {
    const other = await ReadModelDatabase.connect({
      url: tdb.url,
      schema: `rm_copy`,
      entities: readModelEntities,
    });
    try {
      const writes = (async () => {
        for (let i = 0; i < 5; i++) {
          await exec({
            type: 'CreateProject',
            data: { projectId: randomUUID(), name: `w${i}` },
            metadata: meta(bob),
          });
        }
      })();
      await rebuildProjections({ store, db: other, projections: defaultProjections() });
      await writes;
      await rebuildProjections({ store, db: other, projections: defaultProjections() });
      const head = await store.headPosition();
      expect(await positions.waitForPosition(head, 10_000)).toBe(true);
      expect(await dump(other)).toEqual(await dump(db));
      expect((await listProjects(other, { ownerId: bob })).total).toBe(6);
    } finally {
      await other.close();
    }
  });

  it('waitForPosition gives up after the timeout and rejects bad input', async () => {
    const far = (await store.headPosition()) + 1_000_000n;
    expect(await positions.waitForPosition(far, 50)).toBe(false);
    await expect(positions.waitForPosition(-1n, 10)).rejects.toMatchObject({ code: 'invalid_position' });
    await expect(positions.waitForPosition(1n, -5)).rejects.toMatchObject({ code: 'invalid_query' });
    expect(await positions.current(['projects'])).toBe(projector.position);
    expect(await positions.current(['no-such-projection'])).toBe(0n);
  });

  it('keeps answering after its listening connection is killed (database restart)', async () => {
    await positions.current();
    await db.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'bpane-read-model-positions' AND datname = current_database()`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const r = await exec({
      type: 'CreateProject',
      data: { projectId: randomUUID(), name: 'after reconnect' },
      metadata: meta(alice),
    });
    expect(r.position).not.toBeNull();
  });

  it('reports an unreachable database with a typed error', async () => {
    const url = new URL(tdb.url);
    url.pathname = '/bpane_no_such_database';
    await expect(ReadModelDatabase.connect({ url: url.toString() })).rejects.toMatchObject({
      code: 'database_unavailable',
    });
    const nowhere = new ProjectionPositions({ url: url.toString() });
    await expect(nowhere.waitForPosition(1n, 100)).rejects.toMatchObject({ code: 'database_unavailable' });
    await nowhere.close();
  });

  it('lets one projector per schema run; a standby takes over when the leader stops', async () => {
    const standby = new Projector({ store, db, projections: defaultProjections(), standbyPollMs: 50 });
    let started = false;
    const starting = standby.start().then(() => {
      started = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(started).toBe(false);
    await projector.stop();
    await starting;
    try {
      expect(standby.running).toBe(true);
      const p5 = randomUUID();
      await exec({ type: 'CreateProject', data: { projectId: p5, name: 'standby' }, metadata: meta(alice) });
      expect(await getProject(db, { id: p5, ownerId: alice })).toMatchObject({ name: 'standby' });
    } finally {
      await standby.stop();
    }
  });

  it('rebuilds a projection whose version changed when a projector starts', async () => {
    await projector.stop();
    const bumped = { ...projectsProjection, version: 2 };
    const before = await dump(db);
    const seen: RebuildProgress[] = [];
    const next = new Projector({ store, db, projections: [bumped], onRebuildProgress: (p) => seen.push(p) });
    await next.start();
    try {
      expect(seen.at(-1)?.phase).toBe('done');
      expect((await readCheckpoints(db)).get('projects')?.version).toBe(2);
      expect(await dump(db)).toEqual(before);
    } finally {
      await next.stop();
    }
  });
});
