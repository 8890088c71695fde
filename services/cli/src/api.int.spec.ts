import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CookieJar } from '@bpane/dev-idp';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test harness of the gateway
import { type Harness, startHarness } from '../../gateway/src/testing/gateway-harness';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let h: Harness;
let home: string;
let token: string;
/** The CLI bundled once (as `node scripts/build.mjs cli` does): starts much faster than tsx. */
let bundle: string;

type Run = { code: number | null; stdout: string; stderr: string };

const cleanEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('BPANE_') && k !== 'XDG_CONFIG_HOME') env[k] = v;
  return env;
};

const start = (args: readonly string[], env: Record<string, string>) => {
  const proc = spawn(process.execPath, [bundle, ...args], {
    cwd: repoRoot,
    env: { ...cleanEnv(), HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners: (() => void)[] = [];
  proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  proc.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
    for (const l of listeners) l();
  });
  const done = new Promise<Run>((resolve) => proc.on('close', (code) => resolve({ code, stdout, stderr })));
  const stderrLine = (test: (line: string) => boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const line = stderr.split('\n').find(test);
        if (line !== undefined) resolve(line);
      };
      listeners.push(check);
      check();
      void done.then((r) => reject(new Error(`exited ${r.code} before the line: ${r.stderr}`)));
    });
  return { proc, done, stderrLine };
};

/** Runs `bpane` against the harness with the demo user's token. */
const bpane = (args: readonly string[], env: Record<string, string> = {}): Promise<Run> =>
  start(args, { BPANE_API_URL: h.gateway.url, BPANE_ACCESS_TOKEN: token, ...env }).done;

const json = <T = Record<string, unknown>>(r: Run): T => {
  expect(r.stderr, r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
};

/** Follows redirects with cookies, like a browser without scripts. */
const browse = async (jar: CookieJar, start: string, body?: URLSearchParams) => {
  let url = start;
  let init: RequestInit = body === undefined ? {} : { method: 'POST', body };
  for (let hop = 0; hop < 12; hop++) {
    const headers: Record<string, string> = { cookie: jar.header(url) };
    if (init.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { ...init, redirect: 'manual', headers });
    jar.store(res);
    const location = res.headers.get('location');
    if (location !== null && res.status >= 300 && res.status < 400) {
      url = new URL(location, url).href;
      init = {};
      continue;
    }
    return { url, status: res.status, text: await res.text() };
  }
  throw new Error('too many redirects');
};

const xsrfOf = (page: string): string => {
  const m = /name="xsrf" value="([^"]+)"/.exec(page);
  if (m?.[1] === undefined) throw new Error('no xsrf field on the page');
  return m[1];
};

beforeAll(async () => {
  bundle = join(repoRoot, 'dist', `cli-api-int-${process.pid}`, 'main.mjs');
  await build({
    cwd: repoRoot,
    input: join(repoRoot, 'services/cli/src/main.ts'),
    platform: 'node',
    tsconfig: join(repoRoot, 'tsconfig.json'),
    logLevel: 'warn',
    external: (id) =>
      !id.startsWith('.') &&
      !id.startsWith('/') &&
      !id.startsWith('\0') &&
      !id.startsWith('@bpane/') &&
      !id.startsWith('@oxc-project/runtime'),
    output: { codeSplitting: false, file: bundle, format: 'esm' },
  });
  h = await startHarness();
  token = await h.tokenFor('demo');
  home = await mkdtemp(join(tmpdir(), 'bpane-cli-api-'));
}, 60_000);

afterAll(async () => {
  await h.close();
  await rm(home, { recursive: true, force: true });
  await rm(dirname(bundle), { recursive: true, force: true });
});

type Project = { id: string; name: string; state: string; labels: Record<string, string>; quotas: object };
type Session = { id: string; state: string; project_id: string | null; labels: Record<string, string> };

describe('bpane against the HTTP API', () => {
  it('creates, lists, gets, archives and unarchives a project (JSON mode)', async () => {
    const created = json<Project>(
      await bpane([
        '--json',
        'project',
        'create',
        'cli-alpha',
        '--description',
        'made by the CLI',
        '--label',
        'team=cli',
        '--label',
        'tier=test',
        '--max-active-sessions',
        '3',
      ]),
    );
    expect(created).toMatchObject({
      name: 'cli-alpha',
      state: 'active',
      labels: { team: 'cli', tier: 'test' },
      quotas: { max_active_sessions: 3 },
    });

    const [listed, got] = await Promise.all([
      bpane(['project', 'list', '--json']),
      bpane(['--json', 'project', 'get', created.id]),
    ]);
    expect(json<{ items: Project[] }>(listed).items.map((p) => p.id)).toContain(created.id);
    expect(json<Project>(got)).toEqual(created);

    const archived = json<Project>(await bpane(['--json', 'project', 'archive', created.id]));
    expect(archived.state).toBe('archived');
    const [active, table] = await Promise.all([
      bpane(['--json', 'project', 'list', '--state', 'active']),
      bpane(['project', 'list']),
    ]);
    expect(json<{ items: Project[] }>(active).items.map((p) => p.id)).not.toContain(created.id);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+STATE\s+MAX SESSIONS\s+LABELS/);
    const row = table.stdout.split('\n').find((l) => l.startsWith(created.id));
    expect(row).toMatch(/cli-alpha\s+archived\s+3\s+team=cli,tier=test/);

    expect(json<Project>(await bpane(['--json', 'project', 'unarchive', created.id])).state).toBe('active');
    expect(h.contractViolations).toEqual([]);
  });

  it('creates, lists and stops a session, and prints its live URL', async () => {
    const project = json<Project>(await bpane(['--json', 'project', 'create', 'cli-sessions']));
    const [first, second] = await Promise.all([
      bpane([
        '--json',
        'session',
        'create',
        '--project-id',
        project.id,
        '--label',
        'suite=cli',
        '--idle-timeout-sec',
        '600',
      ]),
      bpane(['--json', 'session', 'create', '--project-id', project.id, '--label', 'suite=other']),
    ]);
    const session = json<Session>(first);
    const other = json<Session>(second);
    expect(session).toMatchObject({ project_id: project.id, labels: { suite: 'cli' } });

    const [all, labelled] = await Promise.all([
      bpane(['--json', 'session', 'list', '--project-id', project.id]),
      bpane(['--json', 'session', 'list', '--project-id', project.id, '--label', 'suite=cli']),
    ]);
    expect(
      json<{ items: Session[] }>(all)
        .items.map((s) => s.id)
        .sort(),
    ).toEqual([session.id, other.id].sort());
    expect(json<{ items: Session[] }>(labelled).items.map((s) => s.id)).toEqual([session.id]);

    const stopped = json<Session>(await bpane(['--json', 'session', 'stop', session.id]));
    expect(stopped.state).toBe('stopped');
    const [stoppedList, open] = await Promise.all([
      bpane(['--json', 'session', 'list', '--project-id', project.id, '--state', 'stopped']),
      bpane(['session', 'open', other.id]),
    ]);
    expect(json<{ items: Session[] }>(stoppedList).items.map((s) => s.id)).toEqual([session.id]);
    expect(open.stdout).toBe(`${h.gateway.url}/live?session=${other.id}\n`);
    expect(h.contractViolations).toEqual([]);
  });

  it('surfaces API errors with their code and exit 1, and usage errors with exit 2', async () => {
    const [missing, invalid, readable, unknown, unknownJson, noToken, wrongToken] = await Promise.all([
      bpane(['--json', 'project', 'get', '00000000-0000-4000-8000-000000000000']),
      bpane(['--json', 'project', 'create', 'x'.repeat(121)]),
      bpane(['project', 'get', 'not-a-uuid']),
      bpane(['project', 'list', '--colour']),
      bpane(['--json', 'session', 'create', '--label', 'novalue']),
      bpane(['--json', 'identity', 'me'], { BPANE_ACCESS_TOKEN: '' }),
      bpane(['--json', 'identity', 'me'], { BPANE_ACCESS_TOKEN: 'not-a-token' }),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    const problem = JSON.parse(missing.stderr) as {
      error: { code: string; message: string; details: { status: number } };
    };
    expect(problem.error.code).toBe('not_found');
    expect(problem.error.details.status).toBe(404);

    expect(invalid.code).toBe(1);
    const bad = JSON.parse(invalid.stderr) as {
      error: { code: string; details: { status: number; errors?: { field: string }[] } };
    };
    expect(bad.error.details.status).toBe(400);
    expect(bad.error.code).toBe('validation_failed');
    expect(bad.error.details.errors?.map((e) => e.field).join(' ')).toContain('name');

    expect(readable.code).toBe(1);
    expect(readable.stderr).toMatch(/^bpane: .*HTTP 400/);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--colour'");
    expect(unknownJson.code).toBe(2);
    expect(JSON.parse(unknownJson.stderr)).toMatchObject({ error: { code: 'usage' } });

    expect(noToken.code).toBe(1);
    expect(JSON.parse(noToken.stderr)).toMatchObject({ error: { code: 'config' } });
    expect(wrongToken.code).toBe(1);
    expect(JSON.parse(wrongToken.stderr)).toMatchObject({ error: { details: { status: 401 } } });
  });

  it('reads the audit log and replays a project through the API', async () => {
    const project = json<Project>(await bpane(['--json', 'project', 'create', 'cli-audit']));
    json(await bpane(['--json', 'project', 'update', project.id, '--name', 'cli-audit-renamed']));
    const page = json<{ items: { type: string; position: string }[]; end_of_log: boolean }>(
      await bpane(['--json', 'events', 'list', '--stream', `project-${project.id}`]),
    );
    expect(page.items.map((e) => e.type)).toEqual(['ProjectCreated', 'ProjectUpdated']);
    const first = page.items[0]!.position;
    const [before, now, me] = await Promise.all([
      bpane(['--json', 'events', 'replay', `project-${project.id}`, '--at', first]),
      bpane(['--json', 'events', 'replay', `project-${project.id}`]),
      bpane(['--json', 'identity', 'me']),
    ]);
    expect(json(before)).toMatchObject({ event_count: 1, state: { name: 'cli-audit' } });
    expect(json<{ state: { name: string } }>(now).state.name).toBe('cli-audit-renamed');
    expect(json(me)).toMatchObject({ username: 'demo', principal_type: 'user' });
  });
});

describe('bpane login and profiles', () => {
  it('signs in with the device flow against the dev issuer and saves the token (0600) only with --save-token', async () => {
    const config = join(home, 'login', 'config.json');
    const env = { BPANE_OIDC_ISSUER: h.idp.issuer, BPANE_CONFIG: config, BPANE_API_URL: h.gateway.url };
    const login = start(['--json', 'login', '--device', '--save-token'], env);
    const promptLine = await login.stderrLine((l) => l.includes('"user_code"'));
    const { device } = JSON.parse(promptLine) as { device: { verification_uri: string; user_code: string } };
    expect(device.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);

    const jar = new CookieJar();
    let page = await browse(jar, device.verification_uri);
    page = await browse(
      jar,
      device.verification_uri,
      new URLSearchParams({ xsrf: xsrfOf(page.text), user_code: device.user_code }),
    );
    expect(page.text).toContain('Confirm the device');
    page = await browse(
      jar,
      device.verification_uri,
      new URLSearchParams({ xsrf: xsrfOf(page.text), user_code: device.user_code, confirm: 'yes' }),
    );
    const action = /action="([^"]+\/login)"/.exec(page.text)?.[1];
    expect(action).toBeDefined();
    page = await browse(
      jar,
      new URL(action!, page.url).href,
      new URLSearchParams({ username: 'demo', password: 'demo-demo' }),
    );
    expect(page.text).toContain('Device connected');

    const r = await login.done;
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ signedIn: true, subject: 'demo', savedToProfile: 'default' });
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(config, 'utf8')) as {
      defaultProfile: string;
      profiles: Record<string, { accessToken?: string; issuer?: string }>;
    };
    expect(saved.defaultProfile).toBe('default');
    const savedToken = saved.profiles['default']?.accessToken;
    expect(savedToken).toMatch(/^ey/);
    expect(r.stdout + r.stderr).not.toContain(savedToken!);

    // The saved token is used without BPANE_ACCESS_TOKEN.
    const [me, shown] = await Promise.all([
      start(['--json', 'identity', 'me'], env).done,
      start(['config', 'show'], env).done,
    ]);
    expect(me.code).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ username: 'demo' });
    expect(shown.stdout).not.toContain(savedToken!);
  }, 60_000);

  it('signs in with a loopback PKCE redirect (--browser) and can print the token on request', async () => {
    const env = { BPANE_OIDC_ISSUER: h.idp.issuer, BPANE_CONFIG: join(home, 'browser', 'config.json') };
    const login = start(['--json', 'login', '--browser', '--no-open', '--print-token'], env);
    const line = await login.stderrLine((l) => l.includes('"authorization_url"'));
    const { authorization_url: authUrl } = JSON.parse(line) as { authorization_url: string };
    expect(new URL(authUrl).searchParams.get('redirect_uri')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/callback$/,
    );
    expect(new URL(authUrl).searchParams.get('code_challenge_method')).toBe('S256');
    const jar = new CookieJar();
    const page = await browse(jar, authUrl);
    const action = /<form method="post" action="([^"]+\/login)"/.exec(page.text)?.[1]?.replace(/&#47;/g, '/');
    expect(action).toBeDefined();
    const done = await browse(
      jar,
      new URL(action!, page.url).href,
      new URLSearchParams({ username: 'demo', password: 'demo-demo' }),
    );
    expect(done.text).toContain('Signed in');
    const r = await login.done;
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { access_token: string; subject: string };
    expect(printed.subject).toBe('demo');
    const me = await bpane(['--json', 'identity', 'me'], { BPANE_ACCESS_TOKEN: printed.access_token });
    expect(json(me)).toMatchObject({ username: 'demo' });
    await expect(stat(env.BPANE_CONFIG)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it('initialises, lists and selects profiles; tokens are saved by profile init only with --save-token', async () => {
    const config = join(home, 'profiles', 'config.json');
    const env = { BPANE_CONFIG: config };
    const first = await start(
      ['--json', 'profile', 'init', 'local', '--api-url', h.gateway.url, '--issuer', h.idp.issuer],
      { ...env, BPANE_ACCESS_TOKEN: token },
    ).done;
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ profile: 'local', default: true, tokenSaved: false });
    const second = await start(
      ['profile', 'init', 'ci', '--api-url', 'http://ci.example:8080', '--save-token'],
      {
        ...env,
        BPANE_ACCESS_TOKEN: token,
      },
    ).done;
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain(token);
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(config, 'utf8')) as {
      defaultProfile: string;
      profiles: Record<string, Record<string, string>>;
    };
    expect(file.defaultProfile).toBe('local');
    expect(file.profiles['local']).toEqual({ apiUrl: h.gateway.url, issuer: h.idp.issuer });
    expect(file.profiles['ci']).toEqual({ apiUrl: 'http://ci.example:8080', accessToken: token });

    const list = await start(['--json', 'profile', 'list'], env).done;
    expect(JSON.parse(list.stdout)).toMatchObject({
      defaultProfile: 'local',
      profiles: [
        { name: 'local', default: true, tokenSaved: false },
        { name: 'ci', default: false, tokenSaved: true },
      ],
    });
    expect(list.stdout).not.toContain(token);
    expect((await start(['profile', 'use', 'ci'], env).done).code).toBe(0);
    const [shown, ghost] = await Promise.all([
      start(['--json', 'config', 'show'], env).done,
      start(['profile', 'use', 'ghost'], env).done,
    ]);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      profile: 'ci',
      settings: { apiUrl: { value: 'http://ci.example:8080', source: 'profile' } },
    });
    expect(ghost.code).toBe(1);
  });
});
