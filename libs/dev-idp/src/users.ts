import { createHash, timingSafeEqual } from 'node:crypto';

/** A user account of the development OpenID provider. */
export type DevIdpUser = Readonly<{
  username: string;
  password: string;
  /** Stable subject (`sub`); defaults to a UUID derived from the username. */
  subject?: string;
  email?: string;
  /** Display name (`name`); defaults to the username. */
  name?: string;
  groups?: readonly string[];
}>;

/** A user with every optional field filled in. */
export type ResolvedDevIdpUser = Readonly<{
  username: string;
  subject: string;
  email: string;
  name: string;
  groups: readonly string[];
}>;

/**
 * The two built-in users. Their subjects are fixed UUIDs, the same ids the Keycloak realm export
 * (infra/keycloak/bpane-realm.json) gives them, so fixtures read alike against either issuer.
 */
export const DEFAULT_DEV_USERS: readonly DevIdpUser[] = [
  {
    username: 'demo',
    password: 'demo-demo',
    subject: '5d0c3f3e-8f0a-4a52-9a40-6f1e4c0d0001',
    email: 'demo@example.com',
    name: 'Demo User',
    groups: ['bpane-users', 'bpane-admins'],
  },
  {
    username: 'demo2',
    password: 'demo2-demo2',
    subject: '5d0c3f3e-8f0a-4a52-9a40-6f1e4c0d0002',
    email: 'demo2@example.com',
    name: 'Second Demo User',
    groups: ['bpane-users'],
  },
];

/** A deterministic UUID-shaped subject for a username (same username, same subject, every start). */
export const subjectForUsername = (username: string): string => {
  const h = createHash('sha256').update(`bpane-dev-idp-user:${username}`).digest('hex');
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export const resolveUser = (u: DevIdpUser): ResolvedDevIdpUser => ({
  username: u.username,
  subject: u.subject ?? subjectForUsername(u.username),
  email: u.email ?? `${u.username}@example.com`,
  name: u.name ?? u.username,
  groups: [...(u.groups ?? [])],
});

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const GROUP = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** Problems with a user list (empty when valid). */
export const validateUsers = (users: readonly DevIdpUser[]): string[] => {
  const problems: string[] = [];
  if (users.length === 0) problems.push('at least one user is required');
  const names = new Set<string>();
  const subjects = new Set<string>();
  for (const u of users) {
    const label = `user ${JSON.stringify(u.username)}`;
    if (typeof u.username !== 'string' || !USERNAME.test(u.username))
      problems.push(`${label}: username must match ${USERNAME.source}`);
    if (typeof u.password !== 'string' || u.password.length < 8)
      problems.push(`${label}: password must be at least 8 characters`);
    if (
      u.groups !== undefined &&
      (!Array.isArray(u.groups) || !u.groups.every((g) => typeof g === 'string' && GROUP.test(g)))
    )
      problems.push(`${label}: groups must be strings matching ${GROUP.source}`);
    if (u.email !== undefined && (typeof u.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(u.email)))
      problems.push(`${label}: email is not an address`);
    if (names.has(u.username)) problems.push(`${label}: duplicate username`);
    names.add(u.username);
    const sub = u.subject ?? subjectForUsername(u.username);
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255)
      problems.push(`${label}: subject must be 1..255 characters`);
    if (subjects.has(sub)) problems.push(`${label}: duplicate subject`);
    subjects.add(sub);
  }
  return problems;
};

/** Parses `BPANE_DEV_IDP_EXTRA_USERS`; returns a problem description instead of throwing. */
export const parseExtraUsers = (raw: string): DevIdpUser[] | string => {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'must be a JSON array of users';
  }
  if (!Array.isArray(value)) return 'must be a JSON array of users';
  const out: DevIdpUser[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) return 'must contain user objects';
    const o = item as Record<string, unknown>;
    const allowed = new Set(['username', 'password', 'subject', 'email', 'name', 'groups']);
    const unknownKey = Object.keys(o).find((k) => !allowed.has(k));
    if (unknownKey !== undefined) return `has an unknown user field ${JSON.stringify(unknownKey)}`;
    out.push(o as unknown as DevIdpUser);
  }
  return out;
};

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** The directory of users: lookup by subject and constant-time password checks. */
export class DevUserDirectory {
  readonly #bySubject = new Map<string, ResolvedDevIdpUser>();
  readonly #byUsername = new Map<string, { user: ResolvedDevIdpUser; passwordHash: Buffer }>();

  constructor(users: readonly DevIdpUser[]) {
    for (const u of users) {
      const r = resolveUser(u);
      this.#bySubject.set(r.subject, r);
      this.#byUsername.set(r.username, { user: r, passwordHash: sha256(u.password) });
    }
  }

  bySubject(subject: string): ResolvedDevIdpUser | undefined {
    return this.#bySubject.get(subject);
  }

  /** The user when the username and password match, else `undefined` (no hint which one was wrong). */
  authenticate(username: string, password: string): ResolvedDevIdpUser | undefined {
    const entry = this.#byUsername.get(username.trim());
    const given = sha256(password);
    // Compare even for unknown users so timing does not reveal which usernames exist.
    const ok = timingSafeEqual(given, entry?.passwordHash ?? sha256(`\u0000${password}`));
    return ok && entry !== undefined ? entry.user : undefined;
  }
}
