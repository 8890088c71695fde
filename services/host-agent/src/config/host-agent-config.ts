import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BpaneError } from '@bpane/errors';

/**
 * The host agent's configuration: one typed object, parsed and validated once from
 * `BPANE_HOST_AGENT_*` environment variables. The table in docs/host-agent.md is generated from
 * `configSchema` (a unit test keeps the two equal), so code defaults and documented defaults match.
 */
export type HostAgentConfig = Readonly<{
  runtimeId: string;
  rootDir: string;
  healthHost: string;
  healthPort: number;
  width: number;
  height: number;
  maxWidth: number;
  maxHeight: number;
  display: number | null;
  chromiumPath: string;
  chromiumKiosk: boolean;
  chromiumExtraArgs: readonly string[];
  startUrl: string;
  audio: boolean;
  restartBackoffMs: number;
  maxRestarts: number;
  tileSize: number;
  tileCodec: 'auto' | 'qoi' | 'png';
  cacheEntries: number;
  maxFps: number;
  roiBitrateKbps: number;
  roiMinBitrateKbps: number;
  roiMaxBitrateKbps: number;
  clipboardMaxBytes: number;
  linkHost: string;
  linkPort: number;
  linkSecret: string;
}>;

type Kind = 'string' | 'int' | 'bool' | 'list' | 'enum' | 'optional-int';

export type ConfigEntry = Readonly<{
  key: keyof HostAgentConfig;
  kind: Kind;
  default: string | number | boolean | null | readonly string[];
  min?: number;
  max?: number;
  values?: readonly string[];
  description: string;
}>;

export const ENV_PREFIX = 'BPANE_HOST_AGENT_';

export const defaultRootDir = (): string => join(tmpdir(), 'bpane-host-agent');

export const configSchema: readonly ConfigEntry[] = [
  {
    key: 'runtimeId',
    kind: 'string',
    default: 'default',
    description:
      'Name of this runtime; its directories are `<rootDir>/<runtimeId>/`. Letters, digits, `-`, `_`.',
  },
  {
    key: 'rootDir',
    kind: 'string',
    default: '$TMPDIR/bpane-host-agent',
    description: 'Root of the per-runtime directories (profile, uploads, downloads, pulse, process record).',
  },
  {
    key: 'healthHost',
    kind: 'string',
    default: '127.0.0.1',
    description: 'Address of the health server (`/healthz`, `/readyz`).',
  },
  {
    key: 'healthPort',
    kind: 'int',
    default: 9310,
    min: 0,
    max: 65535,
    description: 'Port of the health server; 0 picks a free port.',
  },
  {
    key: 'width',
    kind: 'int',
    default: 1280,
    min: 320,
    max: 7680,
    description: 'Initial screen width in pixels.',
  },
  {
    key: 'height',
    kind: 'int',
    default: 720,
    min: 200,
    max: 4320,
    description: 'Initial screen height in pixels.',
  },
  {
    key: 'maxWidth',
    kind: 'int',
    default: 3840,
    min: 320,
    max: 7680,
    description: 'Xvfb framebuffer width: the largest width RANDR can resize to without restarting Xvfb.',
  },
  {
    key: 'maxHeight',
    kind: 'int',
    default: 2160,
    min: 200,
    max: 4320,
    description: 'Xvfb framebuffer height: the largest height RANDR can resize to without restarting Xvfb.',
  },
  {
    key: 'display',
    kind: 'optional-int',
    default: null,
    min: 1,
    max: 65535,
    description: 'Fixed X display number; empty lets Xvfb pick a free one (`-displayfd`).',
  },
  { key: 'chromiumPath', kind: 'string', default: '/usr/bin/chromium', description: 'Chromium executable.' },
  {
    key: 'chromiumKiosk',
    kind: 'bool',
    default: false,
    description: 'Start Chromium in kiosk mode (no tab strip or omnibox).',
  },
  {
    key: 'chromiumExtraArgs',
    kind: 'list',
    default: [],
    description: 'Extra Chromium flags, separated by spaces.',
  },
  { key: 'startUrl', kind: 'string', default: 'about:blank', description: 'Page Chromium opens first.' },
  {
    key: 'audio',
    kind: 'bool',
    default: true,
    description: 'Start PulseAudio with a null sink and capture it as Opus.',
  },
  {
    key: 'restartBackoffMs',
    kind: 'int',
    default: 500,
    min: 0,
    max: 60000,
    description:
      'First delay before restarting a crashed process (doubles per consecutive crash, capped at 10 s).',
  },
  {
    key: 'maxRestarts',
    kind: 'int',
    default: 20,
    min: 0,
    max: 10000,
    description: 'Restarts of one process after which the runtime is reported failed.',
  },
  {
    key: 'tileSize',
    kind: 'int',
    default: 64,
    min: 16,
    max: 256,
    description: 'Tile edge in pixels (multiple of 16).',
  },
  {
    key: 'tileCodec',
    kind: 'enum',
    default: 'auto',
    values: ['auto', 'qoi', 'png'],
    description:
      'Lossless codec for UI/text tiles: `auto` sends QOI, or a palette PNG when that is smaller (ADR 0005).',
  },
  {
    key: 'cacheEntries',
    kind: 'int',
    default: 8192,
    min: 0,
    max: 1000000,
    description: 'Tiles remembered by the content cache (a tile seen before is sent as a cache reference).',
  },
  {
    key: 'maxFps',
    kind: 'int',
    default: 60,
    min: 1,
    max: 120,
    description: 'Upper bound of the adaptive capture cadence.',
  },
  {
    key: 'roiBitrateKbps',
    kind: 'int',
    default: 2500,
    min: 50,
    max: 100000,
    description: 'Initial ROI H.264 bitrate (whole screen budget, split by area between regions).',
  },
  {
    key: 'roiMinBitrateKbps',
    kind: 'int',
    default: 200,
    min: 50,
    max: 100000,
    description: 'Lowest bitrate the feedback loop may choose.',
  },
  {
    key: 'roiMaxBitrateKbps',
    kind: 'int',
    default: 12000,
    min: 50,
    max: 100000,
    description: 'Highest bitrate the feedback loop may choose.',
  },
  {
    key: 'clipboardMaxBytes',
    kind: 'int',
    default: 1048576,
    min: 1024,
    max: 16777216,
    description: 'Largest clipboard text accepted or offered, in UTF-8 bytes.',
  },
  {
    key: 'linkHost',
    kind: 'string',
    default: '127.0.0.1',
    description:
      'Address of the gateway link endpoint (`/link` protocol WebSocket, `/cdp/…` DevTools proxy).',
  },
  {
    key: 'linkPort',
    kind: 'int',
    default: 9320,
    min: 0,
    max: 65535,
    description: 'Port of the gateway link endpoint; 0 picks a free port (logged as `host link on …`).',
  },
  {
    key: 'linkSecret',
    kind: 'string',
    default: '',
    description:
      'Per-runtime secret the gateway presents as a bearer token (at least 16 characters); empty disables the link. (secret; never logged)',
  },
];

export const envName = (key: string): string =>
  ENV_PREFIX + key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

export type ConfigErrorCode = 'config_invalid';

const fail = (problems: string[]): never => {
  throw new BpaneError<ConfigErrorCode>(
    'config_invalid',
    `invalid host agent configuration: ${problems.join('; ')}`,
    {
      details: { problems },
    },
  );
};

const parseValue = (entry: ConfigEntry, raw: string, problems: string[]): unknown => {
  const name = envName(entry.key);
  switch (entry.kind) {
    case 'string':
      if (raw.trim() === '') problems.push(`${name} must not be empty`);
      return raw.trim();
    case 'int':
    case 'optional-int': {
      if (entry.kind === 'optional-int' && raw.trim() === '') return null;
      if (!/^-?\d+$/.test(raw.trim())) {
        problems.push(`${name} must be an integer, got "${raw}"`);
        return undefined;
      }
      const n = Number(raw.trim());
      if (entry.min !== undefined && n < entry.min)
        problems.push(`${name} must be >= ${entry.min}, got ${n}`);
      if (entry.max !== undefined && n > entry.max)
        problems.push(`${name} must be <= ${entry.max}, got ${n}`);
      return n;
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      problems.push(`${name} must be a boolean (true/false), got "${raw}"`);
      return undefined;
    }
    case 'list':
      return raw.split(/\s+/).filter((s) => s.length > 0);
    case 'enum':
      if (!entry.values?.includes(raw.trim()))
        problems.push(`${name} must be one of ${entry.values?.join(', ')}, got "${raw}"`);
      return raw.trim();
  }
};

/** Parses and validates the configuration from an environment (default: `process.env`). */
export const loadHostAgentConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<HostAgentConfig> = {},
): HostAgentConfig => {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const entry of configSchema) {
    const raw = env[envName(entry.key)];
    out[entry.key] = raw === undefined ? entry.default : parseValue(entry, raw, problems);
  }
  if (out['rootDir'] === '$TMPDIR/bpane-host-agent') out['rootDir'] = defaultRootDir();
  Object.assign(out, overrides);
  const cfg = out as HostAgentConfig;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cfg.runtimeId))
    problems.push(`${envName('runtimeId')} must match [A-Za-z0-9_-]{1,64}`);
  if (cfg.tileSize % 16 !== 0) problems.push(`${envName('tileSize')} must be a multiple of 16`);
  if (cfg.width > cfg.maxWidth || cfg.height > cfg.maxHeight)
    problems.push(
      `the initial size ${cfg.width}x${cfg.height} exceeds the framebuffer ${cfg.maxWidth}x${cfg.maxHeight}`,
    );
  if (cfg.width % 2 !== 0 || cfg.height % 2 !== 0) problems.push('width and height must be even');
  if (cfg.roiMinBitrateKbps > cfg.roiMaxBitrateKbps)
    problems.push('roiMinBitrateKbps must be <= roiMaxBitrateKbps');
  if (cfg.linkSecret !== '' && cfg.linkSecret.length < 16)
    problems.push(`${envName('linkSecret')} must have at least 16 characters`);
  if (problems.length > 0) fail(problems);
  return Object.freeze(cfg);
};

/** The configuration table for docs/host-agent.md, generated from the schema. */
export const configTableMarkdown = (): string => {
  const rows = configSchema.map((e) => {
    const def = Array.isArray(e.default)
      ? e.default.join(' ') || '(empty)'
      : e.default === null
        ? '(empty)'
        : String(e.default);
    const range =
      e.kind === 'enum'
        ? (e.values?.join(' \\| ') ?? '')
        : e.min !== undefined
          ? `${e.min}–${e.max}`
          : e.kind;
    return `| \`${envName(e.key)}\` | \`${def}\` | ${range} | ${e.description} |`;
  });
  return ['| variable | default | values | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
};
