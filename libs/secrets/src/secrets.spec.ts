import { mkdtempSync, readFileSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey, SecretKey, SecretsError } from './index';

const key = SecretKey.fromBase64(SecretKey.generateBase64());

describe('SecretKey (AES-256-GCM)', () => {
  it('round-trips and never produces the same ciphertext twice', () => {
    const a = key.encrypt('whsec_abc', 'sub-1');
    const b = key.encrypt('whsec_abc', 'sub-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_abc');
    expect(key.decrypt(a, 'sub-1')).toBe('whsec_abc');
  });

  it('refuses another context, another key and tampering with typed errors', () => {
    const sealed = key.encrypt('s3cret', 'sub-1');
    expect(() => key.decrypt(sealed, 'sub-2')).toThrow(SecretsError);
    const other = SecretKey.fromBase64(SecretKey.generateBase64());
    expect(() => other.decrypt(sealed, 'sub-1')).toThrow(/does not decrypt/);
    const parts = sealed.split('.');
    const flipped = [parts[0], parts[1], `A${parts[2]!.slice(1)}`, parts[3]].join('.');
    expect(() => key.decrypt(flipped, 'sub-1')).toThrow(SecretsError);
    expect(() => key.decrypt('v2.x.y.z', 'sub-1')).toThrow(/not a v1 sealed secret/);
  });

  it('parses only 32-byte base64 keys and never prints them', () => {
    expect(() => SecretKey.fromBase64('short')).toThrow(/32 bytes/);
    expect(() => SecretKey.fromBase64('not base64!')).toThrow(/base64/);
    expect(String(key)).toBe('SecretKey(**redacted**)');
    expect(JSON.stringify({ key })).not.toMatch(/[A-Za-z0-9+/]{40}/);
  });
});

describe('loadSecretKey', () => {
  it('generates the local key file once with mode 0600 and reuses it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bpane-secrets-')), 'data', 'secret.key');
    const first = loadSecretKey({ keyFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const second = loadSecretKey({ keyFile: file });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(second.decrypt(first.encrypt('x', 'c'), 'c')).toBe('x');
  });

  it('prefers the configured key and refuses a world-readable key file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpane-secrets-'));
    const configured = SecretKey.generateBase64();
    const k = loadSecretKey({ keyBase64: configured, keyFile: join(dir, 'unused.key') });
    expect(SecretKey.fromBase64(configured).decrypt(k.encrypt('y', 'c'), 'c')).toBe('y');
    const file = join(dir, 'open.key');
    loadSecretKey({ keyFile: file });
    chmodSync(file, 0o644);
    expect(() => loadSecretKey({ keyFile: file })).toThrow(/must not be readable by others/);
  });
});
