import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { DevIdpError } from './errors';

/**
 * The provider's secrets: one ES256 (P-256) and one RS256 (RSA 2048) private signing key, published
 * (public parts only) on the JWKS endpoint, and the keys that sign the provider's cookies. They are
 * kept in one JSON file so tokens issued before a restart still verify after it.
 */
export type DevIdpKeyMaterial = Readonly<{
  signingKeys: readonly JWK[];
  cookieKeys: readonly string[];
}>;

const FORMAT = 'bpane-dev-idp-keys/v1';

type KeyFile = { format: typeof FORMAT; createdAt: string; signingKeys: JWK[]; cookieKeys: string[] };

const privateJwk = async (alg: 'ES256' | 'RS256'): Promise<JWK> => {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { ...jwk, kid, alg, use: 'sig' };
};

export const generateKeyMaterial = async (): Promise<DevIdpKeyMaterial> => ({
  signingKeys: [await privateJwk('ES256'), await privateJwk('RS256')],
  cookieKeys: [randomBytes(32).toString('base64url')],
});

const checkKeyFile = (value: unknown): KeyFile | string => {
  if (typeof value !== 'object' || value === null) return 'is not a JSON object';
  const f = value as Partial<KeyFile>;
  if (f.format !== FORMAT) return `has format ${JSON.stringify(f.format)}, expected ${FORMAT}`;
  if (!Array.isArray(f.signingKeys) || !Array.isArray(f.cookieKeys)) return 'lacks signingKeys or cookieKeys';
  for (const alg of ['ES256', 'RS256']) {
    const k = f.signingKeys.find((j) => j.alg === alg);
    if (k === undefined || typeof k.kid !== 'string' || typeof k.d !== 'string')
      return `lacks a private ${alg} key`;
  }
  if (f.cookieKeys.length === 0 || !f.cookieKeys.every((k) => typeof k === 'string' && k.length >= 32))
    return 'has no usable cookie key';
  return f as KeyFile;
};

/**
 * Loads the key file, or creates it (directory 0700, file 0600) on first start. A file that exists
 * but cannot be used is an error, never silently replaced: replacing it would invalidate every token
 * issued so far. With `path === null` the keys live in memory only.
 */
export const loadOrCreateKeyMaterial = async (
  path: string | null,
): Promise<{ material: DevIdpKeyMaterial; created: boolean }> => {
  if (path === null) return { material: await generateKeyMaterial(), created: true };
  let raw: string | undefined;
  try {
    raw = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new DevIdpError('keys_unusable', `cannot read the key file ${path}`, { cause: e });
  }
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      throw new DevIdpError(
        'keys_unusable',
        `the key file ${path} is not JSON; delete it to generate new keys`,
        {
          cause: e,
        },
      );
    }
    const file = checkKeyFile(parsed);
    if (typeof file === 'string')
      throw new DevIdpError('keys_unusable', `the key file ${path} ${file}; delete it to generate new keys`);
    return { material: { signingKeys: file.signingKeys, cookieKeys: file.cookieKeys }, created: false };
  }
  const material = await generateKeyMaterial();
  const file: KeyFile = {
    format: FORMAT,
    createdAt: new Date().toISOString(),
    signingKeys: [...material.signingKeys],
    cookieKeys: [...material.cookieKeys],
  };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
  return { material, created: true };
};

/** The public JWKS (what `/jwks` serves), for tests and tools. */
export const publicJwks = (material: DevIdpKeyMaterial): { keys: JWK[] } => ({
  keys: material.signingKeys.map((k) => {
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = k;
    return pub;
  }),
});
