import { type EventsStreamDefinition } from '@bpane/contracts';
import {
  DiscardPolicy,
  type JetStreamManager,
  nanos,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
  type StreamInfo,
} from 'nats';
import { MessagingError } from './errors';

const toStreamConfig = (def: EventsStreamDefinition): Partial<StreamConfig> & { name: string } => ({
  name: def.name,
  subjects: [...def.subjects],
  duplicate_window: nanos(def.duplicateWindowMs),
  max_age: nanos(def.maxAgeMs),
  storage: def.storage === 'memory' ? StorageType.Memory : StorageType.File,
  retention: RetentionPolicy.Limits,
  discard: DiscardPolicy.Old,
  num_replicas: 1,
});

const isNotFound = (e: unknown): boolean => e instanceof Error && /stream not found/i.test(e.message);

const isAlreadyInUse = (e: unknown): boolean => e instanceof Error && /already in use/i.test(e.message);

/**
 * Creates the events stream, or brings an existing one in line with the definition (subjects,
 * duplicate window, max age). Idempotent; every publisher and worker may call it on start.
 */
export const ensureEventsStream = async (
  jsm: JetStreamManager,
  def: EventsStreamDefinition,
): Promise<StreamInfo> => {
  const wanted = toStreamConfig(def);
  try {
    let current: StreamInfo;
    try {
      current = await jsm.streams.info(def.name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      try {
        return await jsm.streams.add(wanted);
      } catch (addError) {
        // Another process created it in between (several services start at once): fall through.
        if (!isAlreadyInUse(addError)) throw addError;
        current = await jsm.streams.info(def.name);
      }
    }
    const c = current.config;
    const same =
      c.subjects.length === wanted.subjects?.length &&
      c.subjects.every((s, i) => s === wanted.subjects?.[i]) &&
      c.duplicate_window === wanted.duplicate_window &&
      c.max_age === wanted.max_age;
    if (same) return current;
    return await jsm.streams.update(def.name, {
      subjects: wanted.subjects,
      duplicate_window: wanted.duplicate_window,
      max_age: wanted.max_age,
    });
  } catch (cause) {
    throw new MessagingError('stream_setup_failed', `cannot create or update JetStream stream ${def.name}`, {
      cause,
      details: { stream: def.name },
    });
  }
};
