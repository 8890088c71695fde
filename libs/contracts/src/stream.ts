import { ContractError } from './errors';
import { assertSubjectRoot, DEFAULT_SUBJECT_ROOT } from './subjects';

export const DEFAULT_EVENTS_STREAM = 'BPANE_EVENTS';
/** JetStream de-duplication window for `Nats-Msg-Id` (10 minutes). */
export const DEFAULT_DUPLICATE_WINDOW_MS = 10 * 60_000;
/** How long events stay in the stream (7 days); the event store remains the source of truth. */
export const DEFAULT_EVENTS_MAX_AGE_MS = 7 * 24 * 3_600_000;

/** The JetStream stream that carries every integration event, independent of the NATS client. */
export type EventsStreamDefinition = Readonly<{
  name: string;
  /** Subject root; the stream captures `<root>.>`. */
  subjectRoot: string;
  subjects: readonly string[];
  duplicateWindowMs: number;
  maxAgeMs: number;
  storage: 'file' | 'memory';
}>;

const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const eventsStreamDefinition = (
  options: Partial<Omit<EventsStreamDefinition, 'subjects'>> = {},
): EventsStreamDefinition => {
  const name = options.name ?? DEFAULT_EVENTS_STREAM;
  const subjectRoot = assertSubjectRoot(options.subjectRoot ?? DEFAULT_SUBJECT_ROOT);
  const duplicateWindowMs = options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_EVENTS_MAX_AGE_MS;
  if (!STREAM_NAME.test(name)) {
    throw new ContractError(
      'invalid_stream_config',
      `stream name "${name}" must match ${STREAM_NAME.source}`,
    );
  }
  if (!Number.isSafeInteger(duplicateWindowMs) || duplicateWindowMs < 1000) {
    throw new ContractError(
      'invalid_stream_config',
      'duplicate window must be an integer of at least 1000 ms',
    );
  }
  if (!Number.isSafeInteger(maxAgeMs) || (maxAgeMs !== 0 && maxAgeMs < duplicateWindowMs)) {
    throw new ContractError(
      'invalid_stream_config',
      'max age must be 0 (unlimited) or at least the duplicate window',
    );
  }
  return {
    name,
    subjectRoot,
    subjects: [`${subjectRoot}.>`],
    duplicateWindowMs,
    maxAgeMs,
    storage: options.storage ?? 'file',
  };
};
