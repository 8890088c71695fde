import { describe, expect, it } from 'vitest';
import { DAILY_CHROME_BRIDGE_WARNING, LINUX_LOOPBACK_WARNING, resolveConfig } from './config';
import { HostBridgeConfigError } from './errors';
import {
  allowedHostNames,
  hostNameOf,
  isHostAllowed,
  tokenFromAuthorization,
  tokenMatches,
} from './security';

const EXE = '/opt/test/chromium';
const exists = (p: string): boolean => p === EXE;
const base = { profile: 'chatgpt', executablePath: EXE };

describe('resolveConfig', () => {
  it('defaults: 127.0.0.1:7670, dedicated profile under ~/.bpane/profiles, Linux loopback warning', () => {
    const c = resolveConfig(base, {}, 'linux', '/home/op', exists);
    expect(c).toMatchObject({
      bind: '127.0.0.1',
      port: 7670,
      profile: 'chatgpt',
      posture: 'dedicated_profile',
      userDataDir: '/home/op/.bpane/profiles/chatgpt',
      browser: { kind: 'executable', path: EXE },
      token: undefined,
      logFile: undefined,
    });
    expect(c.warnings).toEqual([LINUX_LOOPBACK_WARNING]);
    expect(resolveConfig(base, {}, 'darwin', '/Users/op', exists).warnings).toEqual([]);
  });

  it('takes the docker bridge IP from the env without a warning; the flag wins over the env', () => {
    const c = resolveConfig(
      base,
      { BPANE_HOST_BRIDGE_BIND_HOST: '172.17.0.1', BPANE_HOST_BRIDGE_PORT: '7700' },
      'linux',
      '/h',
      exists,
    );
    expect([c.bind, c.port, c.warnings]).toEqual(['172.17.0.1', 7700, []]);
    expect(
      resolveConfig(
        { ...base, bind: '10.1.2.3' },
        { BPANE_HOST_BRIDGE_BIND_HOST: '172.17.0.1' },
        'linux',
        '/h',
        exists,
      ).bind,
    ).toBe('10.1.2.3');
  });

  it('refuses 0.0.0.0 unless acknowledged, and anything that is not one IPv4 address', () => {
    expect(() => resolveConfig({ ...base, bind: '0.0.0.0' }, {}, 'linux', '/h', exists)).toThrow(
      /refusing to bind 0\.0\.0\.0/,
    );
    expect(
      resolveConfig({ ...base, bind: '0.0.0.0', allowPublicBind: true }, {}, 'linux', '/h', exists).bind,
    ).toBe('0.0.0.0');
    expect(
      resolveConfig(
        { ...base, bind: '0.0.0.0' },
        { BPANE_HOST_BRIDGE_ALLOW_PUBLIC_BIND: '1' },
        'linux',
        '/h',
        exists,
      ).warnings.join(),
    ).toContain('LAN');
    for (const bind of ['localhost', '::1', '127.0.0.1,172.17.0.1', '300.1.1.1'])
      expect(() => resolveConfig({ ...base, bind }, {}, 'linux', '/h', exists)).toThrow(
        HostBridgeConfigError,
      );
  });

  it('uses channel "chrome" when Google Chrome is installed, else requires --executable-path', () => {
    const chrome = (p: string): boolean => p === '/opt/google/chrome/chrome';
    expect(resolveConfig({ profile: 'x' }, {}, 'linux', '/h', chrome).browser).toEqual({
      kind: 'channel',
      channel: 'chrome',
    });
    expect(() => resolveConfig({ profile: 'x' }, {}, 'linux', '/h', () => false)).toThrow(
      /--executable-path/,
    );
  });

  it('requires a valid profile name', () => {
    expect(() => resolveConfig({ executablePath: EXE }, {}, 'linux', '/h', exists)).toThrow(/--profile/);
    for (const profile of ['../etc', '.hidden', 'a/b', ''])
      expect(() => resolveConfig({ ...base, profile }, {}, 'linux', '/h', exists)).toThrow(
        HostBridgeConfigError,
      );
  });

  it('daily Chrome only with BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME=1, always with the loud warning', () => {
    expect(() =>
      resolveConfig({ executablePath: EXE, dailyChrome: true }, {}, 'linux', '/h', exists),
    ).toThrow(/BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME=1/);
    const c = resolveConfig(
      { executablePath: EXE, dailyChrome: true },
      { BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME: '1' },
      'darwin',
      '/Users/op',
      exists,
    );
    expect(c.posture).toBe('daily_chrome');
    expect(c.userDataDir).toBe('/Users/op/Library/Application Support/Google/Chrome');
    expect(c.warnings[0]).toBe(DAILY_CHROME_BRIDGE_WARNING);
  });

  it('accepts a long enough operator token and the log file from the env', () => {
    const token = 'x'.repeat(40);
    expect(
      resolveConfig(
        base,
        { BPANE_HOST_BRIDGE_TOKEN: token, BPANE_HOST_BRIDGE_LOG: '/var/log/b.log' },
        'linux',
        '/h',
        exists,
      ),
    ).toMatchObject({ token, logFile: '/var/log/b.log' });
    expect(() => resolveConfig(base, { BPANE_HOST_BRIDGE_TOKEN: 'short' }, 'linux', '/h', exists)).toThrow(
      /32 characters/,
    );
  });
});

describe('Host header and token rules', () => {
  it('allows loopback names, host.docker.internal and the bound IP; never 0.0.0.0', () => {
    const allowed = allowedHostNames('172.17.0.1');
    for (const ok of ['127.0.0.1', 'localhost:7670', 'HOST.DOCKER.INTERNAL:7670', '172.17.0.1:7670'])
      expect(isHostAllowed(ok, allowed), ok).toBe(true);
    for (const bad of [undefined, '', '0.0.0.0:7670', '[::1]:7670', 'evil.test', '172.17.0.2', 'localhost:x'])
      expect(isHostAllowed(bad, allowed), String(bad)).toBe(false);
    expect(allowedHostNames('0.0.0.0').has('0.0.0.0')).toBe(false);
    expect(hostNameOf('LocalHost:1')).toBe('localhost');
  });

  it('compares tokens exactly and reads only Authorization: Bearer', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('abcd', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
    expect(tokenFromAuthorization('Bearer t0k')).toBe('t0k');
    expect(tokenFromAuthorization('Basic t0k')).toBeUndefined();
    expect(tokenFromAuthorization(['Bearer t0k'])).toBeUndefined();
  });
});
