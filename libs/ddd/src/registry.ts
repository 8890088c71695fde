import { BpaneError } from '@bpane/errors';
import type { AnyDecider } from './decider';
import { loadStream } from './command-pipeline';
import type { CommandStore } from './store-port';
import { createUpcasterRegistry, type UpcasterRegistry } from './upcasting';

/** One aggregate type: the streams that start with `streamPrefix` are folded by `decider`. */
export type AggregateRegistration = Readonly<{
  /** Short name for tools (`project`). */
  name: string;
  /** Stream-id prefix including the dash (`project-`). */
  streamPrefix: string;
  decider: AnyDecider;
  upcasters?: UpcasterRegistry;
}>;

export type RegistryErrorCode = 'unknown_stream_prefix' | 'duplicate_stream_prefix' | 'invalid_position';

export class DeciderRegistryError extends BpaneError<RegistryErrorCode> {}

export type AggregateStateAt = Readonly<{
  aggregate: string;
  streamId: string;
  state: unknown;
  /** Events folded (those with a position ≤ `atPosition`). */
  eventCount: number;
  /** Revision and position of the last folded event; null when none was. */
  revision: bigint | null;
  position: bigint | null;
}>;

/**
 * Maps stream-id prefixes to deciders so tools (`bpane events state <stream>`) can rebuild any
 * aggregate's state as of any global position.
 */
export class DeciderRegistry {
  readonly #entries: AggregateRegistration[] = [];

  register(entry: AggregateRegistration): this {
    const clash = this.#entries.find(
      (e) => e.streamPrefix.startsWith(entry.streamPrefix) || entry.streamPrefix.startsWith(e.streamPrefix),
    );
    if (clash !== undefined) {
      throw new DeciderRegistryError(
        'duplicate_stream_prefix',
        `stream prefix ${entry.streamPrefix} overlaps ${clash.streamPrefix} (${clash.name})`,
        { details: { prefix: entry.streamPrefix, existing: clash.streamPrefix } },
      );
    }
    this.#entries.push(entry);
    return this;
  }

  list(): readonly AggregateRegistration[] {
    return [...this.#entries];
  }

  find(streamId: string): AggregateRegistration | undefined {
    return this.#entries.find((e) => streamId.startsWith(e.streamPrefix));
  }

  resolve(streamId: string): AggregateRegistration {
    const entry = this.find(streamId);
    if (entry === undefined) {
      throw new DeciderRegistryError(
        'unknown_stream_prefix',
        `no aggregate is registered for stream ${streamId}`,
        {
          details: { streamId, known: this.#entries.map((e) => e.streamPrefix) },
        },
      );
    }
    return entry;
  }

  /** State of `streamId` after every event with a position ≤ `atPosition` (default: all). */
  async stateAt(store: CommandStore, streamId: string, atPosition?: bigint): Promise<AggregateStateAt> {
    if (atPosition !== undefined && atPosition < 0n) {
      throw new DeciderRegistryError('invalid_position', `position must be ≥ 0, got ${atPosition}`, {
        details: { position: atPosition.toString() },
      });
    }
    const entry = this.resolve(streamId);
    const loaded = await loadStream(
      store,
      streamId,
      entry.decider,
      entry.upcasters ?? createUpcasterRegistry(),
      atPosition,
    );
    return {
      aggregate: entry.name,
      streamId,
      state: loaded.state,
      eventCount: loaded.events.length,
      revision: loaded.revision,
      position: loaded.position,
    };
  }
}
