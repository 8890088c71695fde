import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { BpaneError } from '@bpane/errors';
import type { ReadModelDatabase } from '@bpane/read-models';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { READ_MODELS } from '../infra/tokens';

export type LiveTicketErrorCode =
  'invalid_ticket' | 'ticket_expired' | 'ticket_used' | 'ticket_wrong_session';

/** Why a ticket or automation token was not accepted (sent to the client before the close). */
export class LiveTicketError extends BpaneError<LiveTicketErrorCode> {}

export type TicketRole = 'interactive' | 'viewer';
export type LiveTicketKind = 'viewer' | 'automation';

export type MintedLiveTicket = Readonly<{ token: string; jti: string; expiresAt: Date }>;

export type RedeemedTicket = Readonly<{
  jti: string;
  ownerId: string;
  sessionId: string;
  role: TicketRole | 'automation';
}>;

const TABLE = 'live_tickets';
const PREFIX: Record<LiveTicketKind, string> = { viewer: 'bplt_', automation: 'bpat_' };
const FORMAT = /^(bplt|bpat)_([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Connect tickets of the live path in PostgreSQL, so they hold across gateway instances.
 *
 * - Viewer tickets (`bplt_<jti>.<secret>`): bound to one session and one role (interactive or
 *   viewer), at most 60 s (`BPANE_LIVE_TICKET_TTL_SECONDS`), **single use**: redeeming marks the
 *   jti used in the same statement that checks it.
 * - Automation tokens (`bpat_<jti>.<secret>`): bound to one session, short-lived
 *   (`BPANE_LIVE_AUTOMATION_TOKEN_TTL_SECONDS`), usable until they expire (a CDP client makes a
 *   discovery request and then opens the WebSocket; an open connection outlives the token).
 *
 * Only a SHA-256 of the token is stored; the comparison is constant-time.
 */
@Injectable()
export class LiveTickets implements OnModuleInit {
  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  private get table(): string {
    return this.db.qualified(TABLE);
  }

  async onModuleInit(): Promise<void> {
    await this.db.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`bpane-live-tickets:${this.db.schema}`]);
      await m.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
           jti uuid PRIMARY KEY,
           kind text NOT NULL,
           owner_id text NOT NULL,
           session_id text NOT NULL,
           role text NOT NULL,
           token_sha256 bytea NOT NULL,
           expires_at timestamptz NOT NULL,
           used_at timestamptz
         )`,
      );
    });
  }

  async mint(
    kind: LiveTicketKind,
    ownerId: string,
    sessionId: string,
    role: TicketRole | 'automation',
    now = new Date(),
  ): Promise<MintedLiveTicket> {
    const jti = randomUUID();
    const token = `${PREFIX[kind]}${jti}.${randomBytes(32).toString('base64url')}`;
    const ttl =
      kind === 'viewer' ? this.config.liveTicketTtlSeconds : this.config.liveAutomationTokenTtlSeconds;
    const expiresAt = new Date(now.getTime() + ttl * 1000);
    await this.db.dataSource.query(
      `INSERT INTO ${this.table} (jti, kind, owner_id, session_id, role, token_sha256, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [jti, kind, ownerId, sessionId, role, digest(token), expiresAt],
    );
    await this.db.dataSource.query(`DELETE FROM ${this.table} WHERE expires_at < now() - interval '1 hour'`);
    return { token, jti, expiresAt };
  }

  /** Checks a token for `sessionId`; viewer tickets are marked used. Throws `LiveTicketError`. */
  async redeem(token: unknown, kind: LiveTicketKind, sessionId: string): Promise<RedeemedTicket> {
    const m = typeof token === 'string' ? FORMAT.exec(token) : null;
    if (m === null || typeof token !== 'string' || `${m[1]!}_` !== PREFIX[kind])
      throw new LiveTicketError('invalid_ticket', 'the ticket is missing or malformed');
    const jti = m[2]!;
    const rows: {
      owner_id: string;
      session_id: string;
      role: string;
      kind: string;
      token_sha256: Buffer;
      expired: boolean;
      used: boolean;
    }[] = await this.db.dataSource.query(
      `SELECT owner_id, session_id, role, kind, token_sha256, expires_at <= now() AS expired,
              used_at IS NOT NULL AS used
         FROM ${this.table} WHERE jti = $1`,
      [jti],
    );
    const row = rows[0];
    if (row === undefined || row.kind !== kind || !timingSafeEqual(row.token_sha256, digest(token)))
      throw new LiveTicketError('invalid_ticket', 'unknown ticket');
    if (row.session_id !== sessionId)
      throw new LiveTicketError('ticket_wrong_session', 'the ticket was minted for another session');
    if (row.used) throw new LiveTicketError('ticket_used', 'the ticket was already used; mint a new one');
    if (row.expired) throw new LiveTicketError('ticket_expired', 'the ticket has expired; mint a new one');
    if (kind === 'viewer') {
      const claimed: unknown[] = await this.db.dataSource.query(
        `UPDATE ${this.table} SET used_at = now()
          WHERE jti = $1 AND used_at IS NULL AND expires_at > now() RETURNING jti`,
        [jti],
      );
      const list = Array.isArray(claimed[0]) ? (claimed[0] as unknown[]) : claimed;
      if (list.length === 0)
        throw new LiveTicketError('ticket_used', 'the ticket was already used; mint a new one');
    }
    return { jti, ownerId: row.owner_id, sessionId: row.session_id, role: row.role as TicketRole };
  }
}
