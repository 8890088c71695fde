import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretsError } from './errors';

/** AES-256-GCM with a 96-bit random nonce and a 128-bit tag. */
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

/** A parsed 32-byte data key. The bytes never leave this object except into the cipher. */
export class SecretKey {
  readonly #bytes: Buffer;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** Parses the base64 form of `BPANE_SECRET_KEY` (exactly 32 bytes once decoded). */
  static fromBase64(text: string): SecretKey {
    const trimmed = text.trim();
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
      throw new SecretsError('invalid_secret_key', 'the secret key must be base64 (32 random bytes)');
    }
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes.length !== KEY_BYTES) {
      throw new SecretsError(
        'invalid_secret_key',
        `the secret key must decode to ${KEY_BYTES} bytes, got ${bytes.length}`,
      );
    }
    return new SecretKey(bytes);
  }

  /** A fresh random key, base64 (what `.bpane/data/secret.key` holds). */
  static generateBase64(): string {
    return randomBytes(KEY_BYTES).toString('base64');
  }

  /**
   * Encrypts `plaintext`; `context` (e.g. the owning resource id) is authenticated but not stored,
   * so a ciphertext copied onto another resource does not decrypt. Output:
   * `v1.<nonce>.<ciphertext>.<tag>` (base64url parts).
   */
  encrypt(plaintext: string, context: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#bytes, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, nonce, body, tag]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  decrypt(sealed: string, context: string): string {
    const parts = sealed.split('.');
    const [version, nonceText, bodyText, tagText] = parts;
    if (
      parts.length !== 4 ||
      version !== VERSION ||
      nonceText === undefined ||
      bodyText === undefined ||
      tagText === undefined
    ) {
      throw new SecretsError('invalid_ciphertext', 'not a v1 sealed secret');
    }
    const nonce = Buffer.from(nonceText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) {
      throw new SecretsError('invalid_ciphertext', 'sealed secret has a malformed nonce or tag');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.#bytes, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch (cause) {
      throw new SecretsError(
        'decryption_failed',
        'the sealed secret does not decrypt with this key (wrong key, wrong context or tampered)',
        { cause },
      );
    }
  }

  /** Never print key material. */
  toString(): string {
    return 'SecretKey(**redacted**)';
  }

  toJSON(): string {
    return this.toString();
  }
}
