import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from './errors';
import { configPathFor, parseConfigFile, readConfigFile, resolveSettings, writeConfigFile } from './settings';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bpane-settings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const configError = (fn: () => unknown, message: RegExp): void => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).code).toBe('config');
    expect((e as CliError).message).toMatch(message);
    return;
  }
  throw new Error('expected a config error');
};

describe('config file', () => {
  it('finds the file: --config, then BPANE_CONFIG, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(configPathFor({ config: '/a.json' }, { env: { BPANE_CONFIG: '/b.json' }, homeDir: '/h' })).toBe(
      '/a.json',
    );
    expect(configPathFor({}, { env: { BPANE_CONFIG: '/b.json' }, homeDir: '/h' })).toBe('/b.json');
    expect(configPathFor({}, { env: { XDG_CONFIG_HOME: '/x' }, homeDir: '/h' })).toBe('/x/bpane/config.json');
    expect(configPathFor({}, { env: {}, homeDir: '/h' })).toBe('/h/.config/bpane/config.json');
  });

  it('writes profiles with mode 0600 in a 0700 folder and reads them back', async () => {
    const path = join(dir, 'nested', 'config.json');
    await writeConfigFile(path, {
      defaultProfile: 'local',
      profiles: { local: { apiUrl: 'http://x', accessToken: 't' } },
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
    expect(await readConfigFile(path)).toEqual({
      defaultProfile: 'local',
      profiles: { local: { apiUrl: 'http://x', accessToken: 't' } },
    });
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ defaultProfile: 'local' });
  });

  it('treats a missing file as empty and rejects malformed ones', async () => {
    expect(await readConfigFile(join(dir, 'absent.json'))).toEqual({ profiles: {} });
    configError(() => parseConfigFile('f', '{'), /f: is not valid JSON/);
    configError(() => parseConfigFile('f', '[]'), /must be a JSON object/);
    configError(() => parseConfigFile('f', '{"extra":1}'), /unknown key\(s\): extra/);
    configError(
      () => parseConfigFile('f', '{"profiles":{"a":{"pgurl":"x"}}}'),
      /profile a: unknown setting pgurl/,
    );
    configError(() => parseConfigFile('f', '{"profiles":{"a":{"apiUrl":3}}}'), /apiUrl must be a string/);
    configError(() => parseConfigFile('f', '{"profiles":{"a b":{}}}'), /invalid profile name/);
  });

  it('resolves defaults without any file, env or flag', async () => {
    const s = await resolveSettings({ config: join(dir, 'none.json') }, { env: {}, homeDir: dir });
    expect(s.profile).toBeNull();
    expect(s.values.pgUrl).toEqual({ value: 'postgres://postgres@127.0.0.1:5432/bpane', source: 'default' });
    expect(s.values.accessToken).toEqual({ value: undefined, source: 'unset' });
    expect(s.get('apiUrl')).toBe('http://localhost:8080');
  });

  it('prefers BPANE_API_URL over BPANE_BASE_URL', async () => {
    const s = await resolveSettings(
      { config: join(dir, 'none.json') },
      { env: { BPANE_BASE_URL: 'http://base', BPANE_API_URL: 'http://api' }, homeDir: dir },
    );
    expect(s.values.apiUrl).toEqual({ value: 'http://api', source: 'env', from: 'BPANE_API_URL' });
  });
});
