import { describe, expect, it } from 'vitest';
import { ConfigError, field, loadConfig, redactConfig, renderConfigTable } from './define-config';

const spec = {
  host: field.string('X_HOST', 'bind address', { default: '127.0.0.1' }),
  port: field.int('X_PORT', 'port', { default: 8080, min: 0, max: 65535 }),
  debug: field.bool('X_DEBUG', 'debug', { default: false }),
  mode: field.enum('X_MODE', 'mode', ['a', 'b'] as const, { default: 'a' }),
  url: field.url('X_URL', 'db', { default: 'postgres://h/db', protocols: ['postgres'] }),
  secret: field.string('X_SECRET', 'secret', { sensitive: true }),
  hosts: field.list('X_HOSTS', 'allow-list', { default: [] }),
} as const;

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig(spec, {});
    expect(c).toEqual({
      host: '127.0.0.1',
      port: 8080,
      debug: false,
      mode: 'a',
      url: 'postgres://h/db',
      hosts: [],
    });
    expect(c.secret).toBeUndefined();
  });

  it('parses every kind', () => {
    const c = loadConfig(spec, {
      X_PORT: '9000',
      X_DEBUG: 'yes',
      X_MODE: 'b',
      X_URL: 'postgres://other/x',
      X_SECRET: 's3',
      X_HOSTS: 'a, b,,c',
    });
    expect(c.port).toBe(9000);
    expect(c.debug).toBe(true);
    expect(c.mode).toBe('b');
    expect(c.secret).toBe('s3');
    expect(c.hosts).toEqual(['a', 'b', 'c']);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig(spec, { X_PORT: '70000', X_DEBUG: 'maybe', X_MODE: 'z', X_URL: 'http://x' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems).toHaveLength(4);
      expect(problems.join('\n')).toMatch(/X_PORT must be ≤ 65535/);
      expect(problems.join('\n')).toMatch(/X_MODE must be one of a, b/);
    }
  });

  it('never shows sensitive values', () => {
    const c = loadConfig(spec, { X_SECRET: 'hunter2' });
    expect(JSON.stringify(redactConfig(spec, c))).not.toContain('hunter2');
    expect(renderConfigTable(spec)).toContain('`X_SECRET`');
    expect(renderConfigTable(spec)).toContain('`8080`');
  });
});
