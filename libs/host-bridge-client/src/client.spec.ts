import { describe, expect, it } from 'vitest';
import { bridgeError, fixCommandFor, HostBrowserBridgeError } from './errors';
import { readHostBridgeClientConfig } from './config';
import { isFormInteraction, postureRecord } from './interactions';

describe('readHostBridgeClientConfig', () => {
  it('is undefined without a URL: the runtime keeps its isolated browser', () => {
    expect(readHostBridgeClientConfig({})).toBeUndefined();
    expect(readHostBridgeClientConfig({ BPANE_HOST_BROWSER_BRIDGE_URL: '  ' })).toBeUndefined();
  });

  it('reads URL, token, profile, daily-Chrome opt-in and the 3 s default bound', () => {
    expect(
      readHostBridgeClientConfig({
        BPANE_HOST_BROWSER_BRIDGE_URL: 'ws://host.docker.internal:7670',
        BPANE_HOST_BROWSER_BRIDGE_TOKEN: 't',
        BPANE_HOST_BROWSER_BRIDGE_PROFILE: 'chatgpt',
        BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME: '1',
      }),
    ).toEqual({
      url: 'ws://host.docker.internal:7670',
      token: 't',
      profile: 'chatgpt',
      allowDailyChrome: true,
      connectTimeoutMs: 3000,
    });
  });

  it('a URL without a token, or a non-ws URL, is a typed configuration error', () => {
    const noToken = (): unknown =>
      readHostBridgeClientConfig({ BPANE_HOST_BROWSER_BRIDGE_URL: 'ws://127.0.0.1:7670' });
    expect(noToken).toThrow(HostBrowserBridgeError);
    expect(noToken).toThrow(/BPANE_HOST_BROWSER_BRIDGE_TOKEN/);
    expect(() =>
      readHostBridgeClientConfig({
        BPANE_HOST_BROWSER_BRIDGE_URL: 'http://x:1',
        BPANE_HOST_BROWSER_BRIDGE_TOKEN: 't',
      }),
    ).toThrow(/ws:\/\//);
  });
});

describe('host_browser_bridge_unavailable', () => {
  it('names the host command matching the configured URL', () => {
    expect(fixCommandFor('ws://host.docker.internal:7670', 'chatgpt')).toBe(
      'bpane host-bridge start --profile chatgpt',
    );
    expect(fixCommandFor('ws://172.17.0.1:7671', 'a')).toBe(
      'bpane host-bridge start --profile a --bind 172.17.0.1 --port 7671',
    );
    expect(fixCommandFor('ws://127.0.0.1:7670', 'a')).toBe('bpane host-bridge start --profile a');
  });

  it('serialises as a deployment-configuration error with a copy-paste fix and no token', () => {
    const e = bridgeError('unreachable', 'ws://172.17.0.1:7670', 'chatgpt', 'connection failed');
    expect(e.toJSON()).toMatchObject({
      code: 'host_browser_bridge_unavailable',
      details: {
        category: 'deployment_configuration',
        reason: 'unreachable',
        fix_command: 'bpane host-bridge start --profile chatgpt --bind 172.17.0.1',
        url: 'ws://172.17.0.1:7670',
      },
    });
    expect(e.message).toContain('bpane host-bridge start --profile chatgpt --bind 172.17.0.1');
    expect(e.message).toContain('ws://172.17.0.1:7670');
    expect(e.message).toMatch(/token/i);
  });
});

describe('interaction kinds and posture', () => {
  it('keeps host_browser_required apart from form-only kinds and flags daily Chrome as non-default', () => {
    expect(isFormInteraction('credentials')).toBe(true);
    expect(isFormInteraction('otp')).toBe(true);
    expect(isFormInteraction('host_browser_required')).toBe(false);
    expect(postureRecord('daily_chrome', 'daily-chrome').nonDefault).toBe(true);
    expect(postureRecord('dedicated_profile', 'chatgpt').nonDefault).toBe(false);
  });
});
