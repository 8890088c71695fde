import { describe, expect, it } from 'vitest';
import { isBpaneError } from '@bpane/errors';
import { configSchema, configTableMarkdown, envName, loadHostAgentConfig } from './host-agent-config';

describe('host agent configuration', () => {
  it('has documented defaults equal to the code defaults', () => {
    const cfg = loadHostAgentConfig({});
    expect(cfg.width).toBe(1280);
    expect(cfg.height).toBe(720);
    expect(cfg.tileSize).toBe(64);
    expect(cfg.display).toBeNull();
    expect(cfg.rootDir).toMatch(/bpane-host-agent$/);
    for (const e of configSchema) if (e.key !== 'rootDir') expect(cfg[e.key]).toEqual(e.default);
  });

  it('parses every kind of variable', () => {
    const cfg = loadHostAgentConfig({
      BPANE_HOST_AGENT_WIDTH: '1920',
      BPANE_HOST_AGENT_HEIGHT: '1080',
      BPANE_HOST_AGENT_AUDIO: 'false',
      BPANE_HOST_AGENT_DISPLAY: '42',
      BPANE_HOST_AGENT_CHROMIUM_EXTRA_ARGS: '--lang=de  --foo',
      BPANE_HOST_AGENT_TILE_CODEC: 'png',
    });
    expect(cfg).toMatchObject({
      width: 1920,
      height: 1080,
      audio: false,
      display: 42,
      chromiumExtraArgs: ['--lang=de', '--foo'],
      tileCodec: 'png',
    });
  });

  it('rejects bad values with every problem listed', () => {
    try {
      loadHostAgentConfig({
        BPANE_HOST_AGENT_WIDTH: 'wide',
        BPANE_HOST_AGENT_AUDIO: 'maybe',
        BPANE_HOST_AGENT_TILE_SIZE: '40',
        BPANE_HOST_AGENT_RUNTIME_ID: 'a/b',
      });
      expect.unreachable();
    } catch (e) {
      expect(isBpaneError(e)).toBe(true);
      const problems = (e as { details: { problems: string[] } }).details.problems;
      expect(problems.join('\n')).toMatch(/BPANE_HOST_AGENT_WIDTH must be an integer/);
      expect(problems.join('\n')).toMatch(/BPANE_HOST_AGENT_AUDIO must be a boolean/);
      expect(problems.join('\n')).toMatch(/multiple of 16/);
      expect(problems.join('\n')).toMatch(/RUNTIME_ID/);
    }
  });

  it('rejects an initial size larger than the framebuffer', () => {
    expect(() =>
      loadHostAgentConfig({ BPANE_HOST_AGENT_WIDTH: '4000', BPANE_HOST_AGENT_MAX_WIDTH: '3840' }),
    ).toThrow(/exceeds the framebuffer/);
  });

  it('names variables BPANE_HOST_AGENT_<SNAKE_CASE>', () => {
    expect(envName('roiMaxBitrateKbps')).toBe('BPANE_HOST_AGENT_ROI_MAX_BITRATE_KBPS');
  });

  it('renders the documentation table that docs/host-agent.md contains', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../../docs/host-agent.md', import.meta.url), 'utf8');
    // compare cell by cell: Prettier pads markdown tables
    const rows = (text: string): string[] =>
      text
        .split('\n')
        .filter((l) => l.startsWith('| `BPANE_HOST_AGENT_'))
        .map((l) =>
          l
            .split(/(?<!\\)\|/)
            .map((c) => c.trim())
            .join('|'),
        );
    expect(rows(doc)).toEqual(rows(configTableMarkdown()));
  });
});
