import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleCommand, type CommandMetadata } from '@bpane/ddd';
import { projectDecider, projectStreamId, type ProjectCommand } from '@bpane/domain-projects';
import { createPostgresEventStore, type EventStore } from '@bpane/event-store';
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let db: TestDatabase;
let store: EventStore;
let home: string;
const projectA = randomUUID();
const projectB = randomUUID();
let createdAPosition = 0n;

type Run = { code: number | null; stdout: string; stderr: string };

const cleanEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('BPANE_') && k !== 'XDG_CONFIG_HOME') env[k] = v;
  return env;
};

const start = (args: readonly string[], env: Record<string, string> = {}) => {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', ...args], {
    cwd: repoRoot,
    env: { ...cleanEnv(), HOME: home, BPANE_PG_URL: db.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<Run>((resolve) => proc.on('close', (code) => resolve({ code, stdout, stderr })));
  return { proc, done, out: () => stdout };
};

const bpane = (args: readonly string[], env: Record<string, string> = {}): Promise<Run> =>
  start(args, env).done;

const meta = (): CommandMetadata => ({
  now: new Date().toISOString(),
  actor: { kind: 'user', id: 'alice' },
  correlationId: randomUUID(),
});

const command = async (projectId: string, c: Omit<ProjectCommand, 'metadata'>): Promise<bigint> => {
  const result = await handleCommand(store, {
    streamId: projectStreamId(projectId),
    decider: projectDecider,
    command: { ...c, metadata: meta() } as ProjectCommand,
  });
  return result.position!;
};

const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  db = await createTestDatabase('bpane_cli');
  store = await createPostgresEventStore({ connectionString: db.url });
  home = await mkdtemp(join(tmpdir(), 'bpane-cli-'));
  createdAPosition = await command(projectA, {
    type: 'CreateProject',
    data: { projectId: projectA, name: 'alpha' },
  });
  await command(projectB, { type: 'CreateProject', data: { projectId: projectB, name: 'beta' } });
  await command(projectA, { type: 'UpdateProject', data: { projectId: projectA, name: 'alpha-renamed' } });
  for (let i = 0; i < 30; i++) {
    await store.appendToStream(`session-${i % 3}`, [
      {
        id: randomUUID(),
        type: 'SessionNoted',
        data: { i },
        metadata: {
          correlationId: randomUUID(),
          causationId: null,
          actor: { kind: 'system', id: 't' },
          occurredAt: new Date().toISOString(),
        },
      },
    ]);
  }
});

afterAll(async () => {
  await store.close();
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

describe('bpane events tail', () => {
  it('prints the last 20 events as readable lines by default', async () => {
    const r = await bpane(['events', 'tail']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(20);
    const all = await store.readAll();
    const last = all.at(-1)!;
    expect(lines.at(-1)).toBe(
      `${last.position}  ${last.recordedAt.toISOString()}  ${last.streamId}  SessionNoted  ${JSON.stringify(last.data)}`,
    );
  });

  it('filters by stream prefix and type and prints JSON lines with --json', async () => {
    const r = await bpane([
      'events',
      'tail',
      '--stream',
      'project-*',
      '--type',
      'ProjectCreated,ProjectUpdated',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const events = jsonLines(r.stdout);
    expect(events.map((e) => e['type'])).toEqual(['ProjectCreated', 'ProjectCreated', 'ProjectUpdated']);
    expect(events[0]).toMatchObject({
      streamId: `project-${projectA}`,
      revision: '0',
      data: { name: 'alpha' },
    });
    expect(typeof events[0]!['position']).toBe('string');
    const positions = events.map((e) => BigInt(e['position'] as string));
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
  });

  it('reads forward from --from, bounded by --limit', async () => {
    const all = await store.readAll();
    const from = all[5]!.position;
    const r = await bpane(['--json', 'events', 'tail', '--from', from.toString(), '--limit', '4']);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((e) => e['id'])).toEqual(all.slice(5, 9).map((e) => e.id));
  });

  it('reports a missing stream as an error (exit 1)', async () => {
    const r = await bpane(['events', 'tail', '--stream', 'project-nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('bpane: stream project-nope has no events\n');
  });

  it('--follow prints new events live and ends cleanly on SIGINT', async () => {
    const child = start([
      '--json',
      'events',
      'tail',
      '--follow',
      '--limit',
      '1',
      '--type',
      'ProjectArchived',
    ]);
    await new Promise((r) => setTimeout(r, 2_500));
    await command(projectB, { type: 'ArchiveProject', data: { projectId: projectB } });
    const t0 = Date.now();
    while (!child.out().includes('ProjectArchived') && Date.now() - t0 < 20_000)
      await new Promise((r) => setTimeout(r, 50));
    child.proc.kill('SIGINT');
    const r = await child.done;
    expect(r.code).toBe(0);
    const events = jsonLines(r.stdout);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ProjectArchived', streamId: `project-${projectB}` });
  });
});

describe('bpane events state', () => {
  it('folds an aggregate as of now and as of an earlier position', async () => {
    const now = await bpane(['--json', 'events', 'state', `project-${projectA}`]);
    expect(now.code).toBe(0);
    const latest = JSON.parse(now.stdout) as {
      state: { name: string };
      eventCount: number;
      aggregate: string;
    };
    expect(latest).toMatchObject({ aggregate: 'project', eventCount: 2, state: { name: 'alpha-renamed' } });

    const then = await bpane([
      '--json',
      'events',
      'state',
      `project-${projectA}`,
      '--at',
      createdAPosition.toString(),
    ]);
    expect(JSON.parse(then.stdout)).toMatchObject({
      eventCount: 1,
      at: createdAPosition.toString(),
      state: { name: 'alpha' },
    });

    const human = await bpane([
      'events',
      'state',
      `project-${projectA}`,
      '--at',
      createdAPosition.toString(),
    ]);
    expect(human.stdout).toContain(`as of      position ${createdAPosition}`);
    expect(human.stdout).toContain('"name": "alpha"');
  });

  it('rejects unknown aggregates and missing streams', async () => {
    const unknown = await bpane(['--json', 'events', 'state', 'nothing-1']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: 'not_found' } });
    const missing = await bpane(['events', 'state', `project-${randomUUID()}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^bpane: stream project-.* has no events\n$/);
  });
});

describe('bpane read-models rebuild', () => {
  it('rebuilds with progress on stderr and a summary on stdout', async () => {
    const r = await bpane(['read-models', 'rebuild', '--projection', 'projects']);
    expect(r.code).toBe(0);
    const total = (await store.readAll()).length;
    expect(r.stderr).toMatch(
      new RegExp(`done +\\[#+\\] 100%  ${total}/${total} events  [0-9,]+ ev/s  ETA 0:00`),
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `^rebuilt projects: ${total} events in [0-9.]+ s \\([0-9]+ events/s\\), checkpoint [0-9]+\\n$`,
      ),
    );
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ name: string; state: string }>(
      'SELECT name, state FROM read_models.projects ORDER BY name',
    );
    await client.end();
    expect(rows).toEqual([
      { name: 'alpha-renamed', state: 'active' },
      { name: 'beta', state: 'archived' },
    ]);

    const json = await bpane(['--json', 'read-models', 'rebuild']);
    expect(json.code).toBe(0);
    const progress = jsonLines(json.stderr);
    expect(progress.at(-1)).toMatchObject({
      progress: { phase: 'done', eventsDone: total, eventsTotal: total },
    });
    const summary = JSON.parse(json.stdout) as { projections: string[]; eventsDone: number };
    expect(summary.projections).toContain('projects');
    expect(summary.eventsDone).toBe(total);
  });

  it('refuses an unknown projection as a usage error', async () => {
    const r = await bpane(['read-models', 'rebuild', '--projection', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bpane: unknown projection nope \(known: .*projects.*\)\n$/);
  });
});

describe('usage errors, help and configuration', () => {
  it('exits 2 with a clear message on unknown options, bad values and missing arguments', async () => {
    const unknown = await bpane(['events', 'tail', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown option '--bogus'");
    const bad = await bpane(['--json', 'events', 'tail', '--limit', '0']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr)).toEqual({
      error: {
        code: 'usage',
        message: "option '--limit <n>' argument '0' is invalid. must be a positive integer",
      },
    });
    const missing = await bpane(['events', 'state']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: missing required argument 'stream'");
    const extra = await bpane(['events', 'tail', 'surplus']);
    expect(extra.code).toBe(2);
    const position = await bpane(['events', 'state', 'project-x', '--at', '-3']);
    expect(position.code).toBe(2);
  });

  it('--help lists the commands and exits 0', async () => {
    const r = await bpane(['events', 'tail', '--help']);
    expect(r.code).toBe(0);
    for (const option of [
      '--stream <stream>',
      '--type <type>',
      '--from <position>',
      '--limit <n>',
      '--follow',
      '--json',
      '--pg-url <url>',
    ])
      expect(r.stdout).toContain(option);
  });

  it('resolves settings as flag > env > profile > default and reads profiles from the config file', async () => {
    const path = join(home, 'custom.json');
    await writeFile(
      path,
      JSON.stringify({
        defaultProfile: 'local',
        profiles: {
          local: {
            apiUrl: 'http://profile.example:8080',
            readModelSchema: 'rm_profile',
            accessToken: 'secret-token',
          },
          other: { apiUrl: 'http://other.example' },
        },
      }),
      { mode: 0o600 },
    );
    const r = await bpane(
      ['--json', '--config', path, '--pg-url', 'postgres://flag@127.0.0.1/x', 'config', 'show'],
      {
        BPANE_READ_MODEL_SCHEMA: 'rm_env',
      },
    );
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as {
      profile: string;
      settings: Record<string, { value: unknown; source: string }>;
    };
    expect(shown.profile).toBe('local');
    expect(shown.settings['pgUrl']).toEqual({ value: 'postgres://flag@127.0.0.1/x', source: 'flag' });
    expect(shown.settings['readModelSchema']).toEqual({
      value: 'rm_env',
      source: 'env',
      from: 'BPANE_READ_MODEL_SCHEMA',
    });
    expect(shown.settings['apiUrl']).toEqual({
      value: 'http://profile.example:8080',
      source: 'profile',
      from: 'local',
    });
    expect(shown.settings['accessToken']).toEqual({ value: '<hidden>', source: 'profile', from: 'local' });
    expect(shown.settings['eventStoreSchema']).toEqual({ value: 'event_store', source: 'default' });
    expect(r.stdout).not.toContain('secret-token');

    const other = await bpane(['--json', 'config', 'show'], { BPANE_CONFIG: path, BPANE_PROFILE: 'other' });
    expect(JSON.parse(other.stdout)).toMatchObject({
      profile: 'other',
      settings: { apiUrl: { value: 'http://other.example' } },
    });

    const missing = await bpane(['--profile', 'ghost', 'config', 'show'], { BPANE_CONFIG: path });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`profile ghost not found in ${path}`);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('bundled CLI', () => {
  it('runs from the rolldown bundle (node scripts/build.mjs cli)', async () => {
    const build = spawn(process.execPath, ['scripts/build.mjs', 'cli'], { cwd: repoRoot, stdio: 'ignore' });
    expect(await new Promise((resolve) => build.on('close', resolve))).toBe(0);
    const proc = spawn(
      process.execPath,
      ['dist/services/cli/main.mjs', '--json', 'events', 'tail', '--limit', '2'],
      {
        cwd: repoRoot,
        env: { ...cleanEnv(), HOME: home, BPANE_PG_URL: db.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    expect(await new Promise((resolve) => proc.on('close', resolve))).toBe(0);
    const last = (await store.readAll()).slice(-2).map((e) => e.id);
    expect(jsonLines(stdout).map((e) => e['id'])).toEqual(last);
  });
});
