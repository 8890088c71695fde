import { isIP } from 'node:net';
import { ValidationFailedError } from '@bpane/ddd';

/**
 * Which delivery targets are refused (SSRF protection). Every address a target host resolves to is
 * checked, at subscription time and again on every delivery (DNS may change). Cloud metadata
 * endpoints are refused always; loopback, private, link-local and other non-public ranges are
 * refused unless `allowPrivate` (BPANE_WEBHOOK_ALLOW_PRIVATE_TARGETS) is set.
 */
export type AddressVerdict = 'public' | 'private' | 'metadata';

type Range = readonly [base: bigint, prefix: number, bits: 32 | 128];

const v4 = (text: string): bigint =>
  text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);

const v6 = (text: string): bigint => {
  let t = text.toLowerCase();
  const zone = t.indexOf('%');
  if (zone !== -1) t = t.slice(0, zone);
  // An embedded dotted IPv4 tail (`::ffff:1.2.3.4`) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (dotted?.[1] !== undefined) {
    const n = v4(dotted[1]);
    t = `${t.slice(0, dotted.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = t.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const tl = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - tl.length).fill('0'), ...tl];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
};

const inRange = (value: bigint, [base, prefix, bits]: Range): boolean =>
  value >> BigInt(bits - prefix) === base >> BigInt(bits - prefix);

const r4 = (cidr: string): Range => {
  const [a, p] = cidr.split('/') as [string, string];
  return [v4(a), Number(p), 32];
};
const r6 = (cidr: string): Range => {
  const [a, p] = cidr.split('/') as [string, string];
  return [v6(a), Number(p), 128];
};

const METADATA_V4 = ['169.254.169.254/32', '169.254.170.2/32', '100.100.100.200/32'].map(r4);
const METADATA_V6 = ['fd00:ec2::254/128'].map(r6);

const NON_PUBLIC_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
].map(r4);

const NON_PUBLIC_V6 = [
  '::/128',
  '::1/128',
  '100::/64',
  '2001:db8::/32',
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
].map(r6);

/** IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4) are judged by that address. */
const embeddedV4 = (n: bigint): bigint | undefined => {
  if (inRange(n, r6('::ffff:0:0/96')) || inRange(n, r6('64:ff9b::/96')) || inRange(n, r6('::/96')))
    return n & 0xffffffffn;
  if (inRange(n, r6('2002::/16'))) return (n >> 80n) & 0xffffffffn;
  return undefined;
};

const judgeV4 = (n: bigint): AddressVerdict => {
  if (METADATA_V4.some((r) => inRange(n, r))) return 'metadata';
  return NON_PUBLIC_V4.some((r) => inRange(n, r)) ? 'private' : 'public';
};

/** Classifies one literal IP address; anything that is not an IP address is `private` (refused). */
export const classifyAddress = (address: string): AddressVerdict => {
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) return judgeV4(v4(address));
  if (family === 6) {
    const n = v6(address);
    if (METADATA_V6.some((r) => inRange(n, r))) return 'metadata';
    if (n === 0n || n === 1n) return 'private';
    const inner = embeddedV4(n);
    if (inner !== undefined) return judgeV4(inner);
    return NON_PUBLIC_V6.some((r) => inRange(n, r)) ? 'private' : 'public';
  }
  return 'private';
};

const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data']);

export type TargetPolicy = Readonly<{ allowPrivate: boolean }>;

/** Why an address may not be a target under `policy`, or undefined when it may. */
export const refusalOf = (address: string, policy: TargetPolicy): string | undefined => {
  const verdict = classifyAddress(address);
  if (verdict === 'metadata') return `${address} is a cloud metadata address`;
  if (verdict === 'private' && !policy.allowPrivate)
    return `${address} is a private, loopback or link-local address`;
  return undefined;
};

export type LookupAll = (hostname: string) => Promise<readonly string[]>;

/**
 * Resolves the URL's host and checks every address; throws `validation_failed` on field `url`
 * when the target is refused or does not resolve. Returns the checked addresses.
 */
export const assertTargetAllowed = async (
  url: string,
  policy: TargetPolicy,
  lookupAll: LookupAll,
): Promise<readonly string[]> => {
  const refuse = (message: string): never => {
    throw new ValidationFailedError([{ field: 'url', message }]);
  };
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return refuse('must be an absolute http(s) URL');
  }
  const bare = host.replace(/\.$/, '');
  if (METADATA_HOSTS.has(bare)) refuse(`target host ${bare} is a cloud metadata endpoint`);
  if (!policy.allowPrivate && (bare === 'localhost' || bare.endsWith('.localhost')))
    refuse('target host resolves to loopback');
  let addresses: readonly string[];
  if (isIP(bare) !== 0) addresses = [bare];
  else {
    try {
      addresses = await lookupAll(bare);
    } catch {
      return refuse(`target host ${bare} does not resolve`);
    }
  }
  if (addresses.length === 0) refuse(`target host ${bare} does not resolve`);
  for (const a of addresses) {
    const why = refusalOf(a, policy);
    if (why !== undefined) refuse(`target refused: ${why}`);
  }
  return addresses;
};
