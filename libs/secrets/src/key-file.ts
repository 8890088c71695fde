import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SecretsError } from './errors';
import { SecretKey } from './secret-box';

export type SecretKeySource = Readonly<{
  /** `BPANE_SECRET_KEY` (base64 32 bytes); wins when set. */
  keyBase64?: string | undefined;
  /** File holding the key for local runs; created once (mode 0600) when missing. */
  keyFile: string;
}>;

/**
 * The data key: from the configured value, else from the local key file, which is generated on
 * first use with mode 0600. A key file readable by group or others is refused.
 */
export const loadSecretKey = (source: SecretKeySource): SecretKey => {
  if (source.keyBase64 !== undefined && source.keyBase64 !== '')
    return SecretKey.fromBase64(source.keyBase64);
  let text: string;
  try {
    text = readFileSync(source.keyFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SecretsError('invalid_secret_key', `cannot read the secret key file ${source.keyFile}`, {
        cause: e,
      });
    }
    mkdirSync(dirname(source.keyFile), { recursive: true, mode: 0o700 });
    try {
      // `wx`: two processes starting at once never overwrite each other's key.
      writeFileSync(source.keyFile, `${SecretKey.generateBase64()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (w) {
      if ((w as NodeJS.ErrnoException).code !== 'EEXIST') throw w;
    }
    chmodSync(source.keyFile, 0o600);
    text = readFileSync(source.keyFile, 'utf8');
  }
  const mode = statSync(source.keyFile).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SecretsError(
      'invalid_secret_key',
      `the secret key file ${source.keyFile} must not be readable by others (mode ${mode.toString(8)}; want 600)`,
    );
  }
  return SecretKey.fromBase64(text);
};
