import { describe, expect, it } from 'vitest';
import { loadHostAgentConfig } from '../config/host-agent-config';
import { chromiumArgs, OPENBOX_RC } from './runtime-supervisor';

const dirs = {
  root: '/r',
  profile: '/r/profile',
  uploads: '/r/u',
  downloads: '/r/d',
  pulse: '/r/p',
  logs: '/r/l',
};

describe('chromiumArgs', () => {
  it('has the required flags, a per-runtime profile, a loopback DevTools port and no info bar', () => {
    const args = chromiumArgs(loadHostAgentConfig({}), dirs);
    for (const f of [
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-sandbox',
      '--disable-gpu',
      '--test-type',
    ])
      expect(args).toContain(f);
    expect(args).toContain('--user-data-dir=/r/profile');
    expect(args).toContain('--remote-debugging-address=127.0.0.1');
    expect(args).toContain('--remote-debugging-port=0');
    expect(args.at(-1)).toBe('about:blank');
    expect(args).not.toContain('--kiosk');
  });
  it('adds kiosk mode and extra flags when configured', () => {
    const args = chromiumArgs(
      loadHostAgentConfig({
        BPANE_HOST_AGENT_CHROMIUM_KIOSK: 'true',
        BPANE_HOST_AGENT_CHROMIUM_EXTRA_ARGS: '--lang=de',
      }),
      dirs,
    );
    expect(args).toContain('--kiosk');
    expect(args).toContain('--lang=de');
  });
  it('configures openbox without borders and with maximized windows', () => {
    expect(OPENBOX_RC).toContain('<keepBorder>no</keepBorder>');
    expect(OPENBOX_RC).toContain('<maximized>yes</maximized>');
  });
});
