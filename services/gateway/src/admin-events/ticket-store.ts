import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { BpaneError } from '@bpane/errors';
import type { ReadModelDatabase } from '@bpane/read-models';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { READ_MODELS } from '../infra/tokens';

export type TicketErrorCode = 'invalid_ticket' | 'ticket_expired' | 'ticket_used';

/** Why a ticket was not accepted; sent to the WebSocket client before it is closed. */
export class TicketError extends BpaneError<TicketErrorCode> {}

export type MintedTicket = Readonly<{ ticket: string; jti: string; expiresAt: Date }>;

const TABLE = 'admin_event_tickets';
const PREFIX = 'bpet_';
const FORMAT = /^bpet_([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

const digest = (ticket: string): Buffer => createHash('sha256').update(ticket, 'utf8').digest();

/**
 * Short-lived, single-use tickets for the admin events WebSocket. A ticket is `bpet_<jti>.<secret>`;
 * the table keeps the jti, the owner, the expiry, a SHA-256 of the ticket and when it was used, so
 * a ticket opens one connection at most, on any gateway instance.
 */
@Injectable()
export class AdminEventTickets implements OnModuleInit {
  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  private get table(): string {
    return this.db.qualified(TABLE);
  }

  async onModuleInit(): Promise<void> {
    await this.db.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `bpane-admin-event-tickets:${this.db.schema}`,
      ]);
      await m.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
           jti uuid PRIMARY KEY,
           owner_id text NOT NULL,
           ticket_sha256 bytea NOT NULL,
           expires_at timestamptz NOT NULL,
           used_at timestamptz
         )`,
      );
    });
  }

  async mint(ownerId: string, now = new Date()): Promise<MintedTicket> {
    const jti = randomUUID();
    const ticket = `${PREFIX}${jti}.${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + this.config.adminEventsTicketTtlSeconds * 1000);
    await this.db.dataSource.query(
      `INSERT INTO ${this.table} (jti, owner_id, ticket_sha256, expires_at) VALUES ($1, $2, $3, $4)`,
      [jti, ownerId, digest(ticket), expiresAt],
    );
    // Rows past their expiry are useless; keep the table small.
    await this.db.dataSource.query(`DELETE FROM ${this.table} WHERE expires_at < now() - interval '1 hour'`);
    return { ticket, jti, expiresAt };
  }

  /** Marks the ticket used and returns its owner; throws `TicketError` when it cannot be used. */
  async redeem(ticket: unknown): Promise<string> {
    const m = typeof ticket === 'string' ? FORMAT.exec(ticket) : null;
    if (m === null || typeof ticket !== 'string')
      throw new TicketError('invalid_ticket', 'the ticket is missing or malformed');
    const jti = m[1]!;
    const rows: { owner_id: string; ticket_sha256: Buffer; expired: boolean; used: boolean }[] =
      await this.db.dataSource.query(
        `SELECT owner_id, ticket_sha256, expires_at <= now() AS expired, used_at IS NOT NULL AS used
           FROM ${this.table} WHERE jti = $1`,
        [jti],
      );
    const row = rows[0];
    if (row === undefined || !timingSafeEqual(row.ticket_sha256, digest(ticket)))
      throw new TicketError('invalid_ticket', 'unknown ticket');
    if (row.used) throw new TicketError('ticket_used', 'the ticket was already used; mint a new one');
    if (row.expired) throw new TicketError('ticket_expired', 'the ticket has expired; mint a new one');
    const claimed: unknown[] = await this.db.dataSource.query(
      `UPDATE ${this.table} SET used_at = now()
        WHERE jti = $1 AND used_at IS NULL AND expires_at > now() RETURNING jti`,
      [jti],
    );
    // pg returns [rows, count] for UPDATE … RETURNING through TypeORM.
    const list = Array.isArray(claimed[0]) ? (claimed[0] as unknown[]) : claimed;
    if (list.length === 0)
      throw new TicketError('ticket_used', 'the ticket was already used; mint a new one');
    return row.owner_id;
  }
}
