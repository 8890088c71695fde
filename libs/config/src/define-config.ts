import { BpaneError } from '@bpane/errors';

/**
 * Typed, validated configuration read once from the environment. Each service declares a spec;
 * `loadConfig(spec, env)` returns a frozen object or throws `ConfigError` listing every problem.
 * `renderConfigTable(spec)` renders the documentation table, so docs are generated from the same
 * declaration the code uses (defaults in docs equal defaults in code).
 */
type Base<T> = Readonly<{ env: string; description: string; sensitive?: boolean; default?: T }>;

export type StringField = Base<string> & Readonly<{ kind: 'string'; minLength?: number }>;
export type UrlField = Base<string> & Readonly<{ kind: 'url'; protocols?: readonly string[] }>;
export type IntField = Base<number> & Readonly<{ kind: 'int'; min?: number; max?: number }>;
export type BoolField = Base<boolean> & Readonly<{ kind: 'bool' }>;
export type EnumField<V extends string = string> = Base<V> & Readonly<{ kind: 'enum'; values: readonly V[] }>;
export type ListField = Base<readonly string[]> & Readonly<{ kind: 'list' }>;

export type ConfigField = StringField | UrlField | IntField | BoolField | EnumField | ListField;
export type ConfigSpec = Readonly<Record<string, ConfigField>>;

type ValueOf<F> = F extends IntField
  ? number
  : F extends BoolField
    ? boolean
    : F extends EnumField<infer V>
      ? V
      : F extends ListField
        ? readonly string[]
        : string;

type HasDefault<F> = F extends { default: unknown } ? true : false;

export type ConfigOf<S extends ConfigSpec> = Readonly<
  { [K in keyof S as HasDefault<S[K]> extends true ? K : never]: ValueOf<S[K]> } & {
    [K in keyof S as HasDefault<S[K]> extends true ? never : K]?: ValueOf<S[K]>;
  }
>;

export class ConfigError extends BpaneError<'invalid_config'> {
  constructor(readonly problems: readonly string[]) {
    super('invalid_config', `invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
}

/** Helpers that keep specs short and keep the literal types (enum values, whether a default exists). */
type Opts<F> = Partial<Omit<F, 'kind' | 'env' | 'description' | 'values'>>;
export const field = {
  string: <const O extends Opts<StringField> = Record<never, never>>(
    env: string,
    description: string,
    opts?: O,
  ) =>
    ({ kind: 'string', env, description, ...opts }) as {
      kind: 'string';
      env: string;
      description: string;
    } & O,
  url: <const O extends Opts<UrlField> = Record<never, never>>(env: string, description: string, opts?: O) =>
    ({ kind: 'url', env, description, ...opts }) as { kind: 'url'; env: string; description: string } & O,
  int: <const O extends Opts<IntField> = Record<never, never>>(env: string, description: string, opts?: O) =>
    ({ kind: 'int', env, description, ...opts }) as { kind: 'int'; env: string; description: string } & O,
  bool: <const O extends Opts<BoolField> = Record<never, never>>(
    env: string,
    description: string,
    opts?: O,
  ) =>
    ({ kind: 'bool', env, description, ...opts }) as { kind: 'bool'; env: string; description: string } & O,
  enum: <const V extends string, const O extends Opts<EnumField<V>> = Record<never, never>>(
    env: string,
    description: string,
    values: readonly V[],
    opts?: O,
  ) =>
    ({ kind: 'enum', env, description, values, ...opts }) as {
      kind: 'enum';
      env: string;
      description: string;
      values: readonly V[];
    } & O,
  list: <const O extends Opts<ListField> = Record<never, never>>(
    env: string,
    description: string,
    opts?: O,
  ) =>
    ({ kind: 'list', env, description, ...opts }) as { kind: 'list'; env: string; description: string } & O,
};

const parseField = (f: ConfigField, raw: string): { value?: unknown; problem?: string } => {
  switch (f.kind) {
    case 'string':
      if (f.minLength !== undefined && raw.length < f.minLength)
        return { problem: `${f.env} must be at least ${f.minLength} characters` };
      return { value: raw };
    case 'url': {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        return { problem: `${f.env} must be a URL (got ${f.sensitive ? '<hidden>' : JSON.stringify(raw)})` };
      }
      if (f.protocols && !f.protocols.includes(u.protocol.replace(/:$/, '')))
        return { problem: `${f.env} must use one of ${f.protocols.join(', ')}` };
      return { value: raw };
    }
    case 'int': {
      if (!/^-?\d+$/.test(raw))
        return { problem: `${f.env} must be an integer (got ${JSON.stringify(raw)})` };
      const n = Number(raw);
      if (f.min !== undefined && n < f.min) return { problem: `${f.env} must be ≥ ${f.min}` };
      if (f.max !== undefined && n > f.max) return { problem: `${f.env} must be ≤ ${f.max}` };
      return { value: n };
    }
    case 'bool':
      if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return { value: true };
      if (['0', 'false', 'no', 'off', ''].includes(raw.toLowerCase())) return { value: false };
      return { problem: `${f.env} must be true/false/1/0 (got ${JSON.stringify(raw)})` };
    case 'enum':
      if (!f.values.includes(raw))
        return { problem: `${f.env} must be one of ${f.values.join(', ')} (got ${JSON.stringify(raw)})` };
      return { value: raw };
    case 'list':
      return {
        value: raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      };
  }
};

export const loadConfig = <S extends ConfigSpec>(
  spec: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConfigOf<S> => {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, f] of Object.entries(spec)) {
    const raw = env[f.env];
    if (raw === undefined || (raw === '' && f.kind !== 'bool')) {
      if (f.default !== undefined) out[key] = f.default;
      continue;
    }
    const { value, problem } = parseField(f, raw);
    if (problem !== undefined) problems.push(problem);
    else out[key] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(out) as ConfigOf<S>;
};

const showDefault = (f: ConfigField): string => {
  if (f.default === undefined) return '—';
  if (f.sensitive) return '(generated / set me)';
  if (Array.isArray(f.default)) return f.default.length ? `\`${f.default.join(',')}\`` : '(empty)';
  return `\`${String(f.default)}\``;
};

/** A Markdown table of the spec: variable, default, meaning. */
export const renderConfigTable = (spec: ConfigSpec): string => {
  const rows = Object.values(spec).map((f) => {
    const kind = f.kind === 'enum' ? f.values.map((v) => `\`${v}\``).join(' \\| ') : f.kind;
    return `| \`${f.env}\` | ${kind} | ${showDefault(f)} | ${f.description}${f.sensitive ? ' (secret; never logged)' : ''} |`;
  });
  return ['| variable | type | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
};

/** A copy of the config safe to log: sensitive values replaced. */
export const redactConfig = <S extends ConfigSpec>(spec: S, config: ConfigOf<S>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(spec)) {
    const v = (config as Record<string, unknown>)[key];
    out[key] = f.sensitive && v !== undefined ? '<redacted>' : v;
  }
  return out;
};
