import { Controller, Get, Inject, Query } from '@nestjs/common';
import { NotFoundError } from '@bpane/ddd';
import { createDeciderRegistry } from '@bpane/read-models';
import type { EventStore, RecordedEvent } from '@bpane/event-store';
import { Ctx, type RequestContext } from '../auth/current-principal';
import { EVENT_STORE } from '../infra/tokens';

export type AuditEventDto = {
  id: string;
  type: string;
  stream_id: string;
  revision: string;
  position: string;
  occurred_at: string;
  recorded_at: string;
  correlation_id: string | null;
  causation_id: string | null;
  actor: { kind: 'user' | 'service' | 'system'; id: string };
  data: Record<string, unknown>;
};

type EventsQuery = {
  stream?: string;
  type?: string;
  after?: string;
  since?: string;
  until?: string;
  limit: number;
};

/** Keys whose values never leave the gateway, even encrypted (secrets, tokens, passwords). */
const SENSITIVE_KEY = /(secret|password|token)/i;

/** A copy of event data or state with sensitive values replaced by `"[redacted]"`. */
export const redact = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SENSITIVE_KEY.test(k) ? '[redacted]' : redact(v),
      ]),
    );
  return value;
};

const toDto = (e: RecordedEvent): AuditEventDto => ({
  id: e.id,
  type: e.type,
  stream_id: e.streamId,
  revision: e.revision.toString(),
  position: e.position.toString(),
  occurred_at: e.metadata.occurredAt,
  recorded_at: e.recordedAt.toISOString(),
  correlation_id: e.metadata.correlationId ?? null,
  causation_id: e.metadata.causationId ?? null,
  actor: { kind: e.metadata.actor.kind, id: e.metadata.actor.id },
  data: e.data,
});

/** Events scanned per request at most, so a sparse filter cannot turn one request into a full scan. */
const SCAN_LIMIT = 5_000;

export type AggregateStateDto = {
  stream_id: string;
  aggregate: string;
  at_position: string | null;
  event_count: number;
  revision: string | null;
  position: string | null;
  state: unknown;
};

@Controller('api/v1/events')
export class EventsController {
  private readonly registry = createDeciderRegistry();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Replay: an aggregate's state as of a global position (default: now), folded from the log by the
   * aggregate's own decider. Only the owner of the stream sees it; anything else is a 404.
   */
  @Get('state')
  async state(
    @Ctx() ctx: RequestContext,
    @Query() q: { stream: string; at?: string },
  ): Promise<AggregateStateDto> {
    let first: RecordedEvent | undefined;
    try {
      first = (await this.store.readStream(q.stream, { maxCount: 1 }))[0];
    } catch {
      first = undefined;
    }
    if (first === undefined || first.metadata.ownerId !== ctx.ownerId)
      throw new NotFoundError('stream', q.stream);
    const at = q.at === undefined ? undefined : BigInt(q.at);
    const r = await this.registry.stateAt(this.store, q.stream, at);
    return {
      stream_id: r.streamId,
      aggregate: r.aggregate,
      at_position: at === undefined ? null : at.toString(),
      event_count: r.eventCount,
      revision: r.revision === null ? null : r.revision.toString(),
      position: r.position === null ? null : r.position.toString(),
      state: redact(r.state),
    };
  }

  /**
   * The caller's slice of the global log: only events whose metadata names the caller as owner.
   * Pages are position-based (`after` = `next_after` of the previous page).
   */
  @Get()
  async list(
    @Ctx() ctx: RequestContext,
    @Query() q: EventsQuery,
  ): Promise<{ items: AuditEventDto[]; next_after: string; end_of_log: boolean }> {
    const items: AuditEventDto[] = [];
    let after = q.after === undefined ? 0n : BigInt(q.after);
    const since = q.since === undefined ? undefined : Date.parse(q.since);
    const until = q.until === undefined ? undefined : Date.parse(q.until);
    let scanned = 0;
    let exhausted = false;
    while (items.length < q.limit && scanned < SCAN_LIMIT) {
      const batch = await this.store.readAll({ after, maxCount: Math.min(500, SCAN_LIMIT - scanned) });
      if (batch.length === 0) {
        exhausted = true;
        break;
      }
      for (const e of batch) {
        scanned++;
        after = e.position;
        if (e.metadata.ownerId !== ctx.ownerId) continue;
        if (q.stream !== undefined && e.streamId !== q.stream) continue;
        if (q.type !== undefined && e.type !== q.type) continue;
        const at = Date.parse(e.metadata.occurredAt);
        if (since !== undefined && at < since) continue;
        if (until !== undefined && at >= until) continue;
        items.push(toDto(e));
        if (items.length >= q.limit) break;
      }
    }
    return { items, next_after: after.toString(), end_of_log: exhausted };
  }
}
