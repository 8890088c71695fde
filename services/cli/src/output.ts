import { type RecordedEvent } from '@bpane/event-store';

/** JSON with bigints as decimal strings (positions and revisions are 64-bit). */
export const toJson = (value: unknown, indent?: number): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent);

export const eventToJson = (e: RecordedEvent): Record<string, unknown> => ({
  position: e.position.toString(),
  recordedAt: e.recordedAt.toISOString(),
  streamId: e.streamId,
  revision: e.revision.toString(),
  type: e.type,
  id: e.id,
  data: e.data,
  metadata: e.metadata,
});

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** One readable line: position, time, stream, type, short data. */
export const eventToLine = (e: RecordedEvent, dataWidth = 80): string =>
  [
    e.position.toString(),
    e.recordedAt.toISOString(),
    e.streamId,
    e.type,
    truncate(toJson(e.data), dataWidth),
  ].join('  ');
