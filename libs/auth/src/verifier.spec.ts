import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnauthenticatedError, bearerChallenge, type AuthFailureReason } from './errors';
import { createTokenVerifier, extractBearerToken, type TokenVerifier } from './verifier';

const ISS = 'http://issuer.test';
const AUD = 'bpane-api';

describe('createTokenVerifier (local keys)', () => {
  let es: CryptoKey;
  let rs: CryptoKey;
  let other: CryptoKey;
  let verifier: TokenVerifier;
  let keys: JWK[];
  const now = Math.floor(Date.now() / 1000);

  const sign = (
    claims: Record<string, unknown>,
    opts: { key?: CryptoKey; alg?: string; kid?: string } = {},
  ): Promise<string> =>
    new SignJWT({ sub: 'u-1', preferred_username: 'demo', ...claims })
      .setProtectedHeader({ alg: opts.alg ?? 'ES256', kid: opts.kid ?? 'es', typ: 'at+jwt' })
      .setIssuer((claims['iss'] as string | undefined) ?? ISS)
      .setAudience((claims['aud'] as string | undefined) ?? AUD)
      .setIssuedAt((claims['iat'] as number | undefined) ?? now)
      .setExpirationTime((claims['exp'] as number | undefined) ?? now + 300)
      .sign(opts.key ?? es);

  beforeAll(async () => {
    const e = await generateKeyPair('ES256', { extractable: true });
    const r = await generateKeyPair('RS256', { extractable: true });
    const o = await generateKeyPair('ES256', { extractable: true });
    es = e.privateKey;
    rs = r.privateKey;
    other = o.privateKey;
    keys = [
      { ...(await exportJWK(e.publicKey)), kid: 'es', alg: 'ES256' },
      { ...(await exportJWK(r.publicKey)), kid: 'rs', alg: 'RS256' },
    ];
    verifier = createTokenVerifier({
      issuer: ISS,
      audience: AUD,
      keySet: createLocalJWKSet({ keys }),
      now: () => new Date(now * 1000),
    });
  });

  const reason = async (
    token: string,
    v: TokenVerifier = verifier,
  ): Promise<AuthFailureReason | 'accepted'> => {
    try {
      await v.verify(token);
      return 'accepted';
    } catch (e) {
      if (e instanceof UnauthenticatedError) {
        if (token.length > 0) {
          expect(e.message).not.toContain(token);
          expect(JSON.stringify(e.toJSON())).not.toContain(token);
        }
        return e.reason;
      }
      throw e;
    }
  };

  it('accepts ES256 and RS256 tokens and returns the principal', async () => {
    const p = await verifier.verify(await sign({ groups: ['g'] }));
    expect(p).toMatchObject({ kind: 'user', subject: 'u-1', username: 'demo', issuer: ISS, groups: ['g'] });
    const p2 = await verifier.verifyAuthorizationHeader(
      `Bearer ${await sign({}, { key: rs, alg: 'RS256', kid: 'rs' })}`,
    );
    expect(p2.subject).toBe('u-1');
  });

  it('says why a token is refused', async () => {
    const good = await sign({});
    const [h, p, s] = good.split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin' })).toString('base64url')}.${s}`;
    expect(await reason(forged)).toBe('bad_signature');
    expect(await reason(`${h}.${p}.${s.slice(0, -4)}AAAA`)).toBe('bad_signature');
    expect(await reason(await sign({}, { key: other }))).toBe('bad_signature');
    expect(await reason(await sign({}, { key: other, kid: 'unknown' }))).toBe('bad_signature');
    expect(await reason(await sign({ exp: now - 60, iat: now - 120 }))).toBe('expired');
    expect(await reason(await sign({ exp: now - 3 }))).toBe('accepted'); // within the 5 s tolerance
    expect(await reason(await sign({ aud: 'other-api' }))).toBe('wrong_audience');
    expect(await reason(await sign({ iss: 'http://evil.test' }))).toBe('wrong_issuer');
    expect(await reason(await sign({ nbf: now + 600 }))).toBe('not_yet_valid');
    expect(await reason(await sign({ typ: 'ID' }))).toBe('invalid_claims');
    const hs = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISS)
      .setAudience(AUD)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('k'.repeat(32)));
    expect(await reason(hs)).toBe('algorithm_not_allowed');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    expect(await reason(none)).toBe('malformed');
    expect(await reason(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.x`)).toBe(
      'algorithm_not_allowed',
    );
    expect(await reason('not-a-jwt')).toBe('malformed');
    expect(await reason('a.b.c')).toBe('malformed');
    expect(await reason(`${h}.${p}.${s}.x.y`)).toBe('malformed');
    expect(await reason('x'.repeat(20_000))).toBe('malformed');
    expect(await reason('')).toBe('missing');
  });

  it('uses the injected clock', async () => {
    const token = await sign({});
    const later = createTokenVerifier({
      issuer: ISS,
      audience: AUD,
      keySet: createLocalJWKSet({ keys }),
      now: () => new Date((now + 3600) * 1000),
    });
    expect(await reason(token, later)).toBe('expired');
  });

  it('refuses to be configured with none or HMAC algorithms, or without an audience', () => {
    expect(() => createTokenVerifier({ issuer: ISS, audience: AUD, algorithms: ['HS256'] })).toThrow(
      /not allowed/,
    );
    expect(() => createTokenVerifier({ issuer: ISS, audience: [] })).toThrow(/audience/);
  });
});

describe('extractBearerToken', () => {
  it('parses the Authorization header', () => {
    expect(extractBearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(extractBearerToken('bearer   abc')).toBe('abc');
    const cases: [string | string[] | undefined, AuthFailureReason][] = [
      [undefined, 'missing'],
      ['', 'missing'],
      ['Basic dXNlcjpwYXNz', 'malformed'],
      ['Bearer', 'malformed'],
      ['Bearer a b', 'malformed'],
      [['Bearer a', 'Bearer b'], 'malformed'],
    ];
    for (const [header, why] of cases) {
      try {
        extractBearerToken(header);
        expect.unreachable();
      } catch (e) {
        expect((e as UnauthenticatedError).reason, String(header)).toBe(why);
      }
    }
  });

  it('builds RFC 6750 challenges', () => {
    expect(bearerChallenge(new UnauthenticatedError('missing', 'no bearer token'))).toBe(
      'Bearer realm="bpane"',
    );
    expect(bearerChallenge(new UnauthenticatedError('expired', 'the token has "expired"'))).toBe(
      'Bearer realm="bpane", error="invalid_token", error_description="the token has expired"',
    );
  });
});
