import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { HostBridgeConfigError } from './errors';

export const PUBLIC_BIND = '0.0.0.0';

/** One explicit IPv4 address; `0.0.0.0` only with an explicit acknowledgement. */
export const validateBind = (bind: string, allowPublicBind: boolean): void => {
  if (!isIPv4(bind))
    throw new HostBridgeConfigError(
      `--bind must be a single IPv4 address (got "${bind}"); use 127.0.0.1, or the docker bridge IP (e.g. 172.17.0.1) on Linux`,
    );
  if (bind === PUBLIC_BIND && !allowPublicBind)
    throw new HostBridgeConfigError(
      'refusing to bind 0.0.0.0: it accepts connections from every interface, including the LAN. ' +
        'Bind a single address instead (127.0.0.1, or the docker bridge IP such as 172.17.0.1 on Linux), ' +
        'or acknowledge the exposure with --allow-public-bind / BPANE_HOST_BRIDGE_ALLOW_PUBLIC_BIND=1',
    );
};

/** Host header names the bridge answers to. `0.0.0.0` is never one of them. */
export const allowedHostNames = (bind: string): ReadonlySet<string> => {
  const names = new Set(['127.0.0.1', 'localhost', 'host.docker.internal']);
  if (bind !== PUBLIC_BIND) names.add(bind);
  return names;
};

/** The name part of a Host header (`name` or `name:port`); bracketed IPv6 literals never match. */
export const hostNameOf = (hostHeader: string | undefined): string | undefined => {
  if (hostHeader === undefined) return undefined;
  const value = hostHeader.trim().toLowerCase();
  if (value === '' || value.startsWith('[')) return undefined;
  const colon = value.indexOf(':');
  const name = colon === -1 ? value : value.slice(0, colon);
  if (colon !== -1 && !/^\d{1,5}$/.test(value.slice(colon + 1))) return undefined;
  return name;
};

export const isHostAllowed = (hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean => {
  const name = hostNameOf(hostHeader);
  return name !== undefined && allowed.has(name);
};

export const generateToken = (): string => randomBytes(32).toString('base64url');

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time comparison (both sides hashed first, so lengths never leak either). */
export const tokenMatches = (given: string | undefined, expected: string): boolean =>
  given !== undefined && timingSafeEqual(digest(given), digest(expected));

/** `Authorization: Bearer <token>`. */
export const tokenFromAuthorization = (header: string | string[] | undefined): string | undefined => {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
};
