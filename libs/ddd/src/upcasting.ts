import { BpaneError } from '@bpane/errors';
import type { DomainEvent } from './decider';
import type { JsonObject } from './store-port';

/**
 * Turns a stored event of an old type into the next version (`'X'` → `'X.v2'`, `'X.v2'` →
 * `'X.v3'`). Stored events are never rewritten; readers upcast on the way in.
 */
export type Upcaster = Readonly<{
  fromType: string;
  toType: string;
  upcast: (data: JsonObject) => JsonObject;
}>;

export type UpcastErrorCode = 'upcaster_conflict' | 'upcaster_cycle' | 'upcast_failed';

export class UpcastError extends BpaneError<UpcastErrorCode> {}

/** Version suffix of a type name: `'ProjectCreated'` → 1, `'ProjectCreated.v2'` → 2. */
export const eventTypeVersion = (type: string): number => {
  const match = /\.v(\d+)$/.exec(type);
  return match?.[1] === undefined ? 1 : Number(match[1]);
};

/** Base name of a versioned type: `'ProjectCreated.v2'` → `'ProjectCreated'`. */
export const eventTypeBase = (type: string): string => type.replace(/\.v\d+$/, '');

export type UpcasterRegistry = Readonly<{
  /** Upcasts until no upcaster applies; events of unknown or current types pass unchanged. */
  upcast: <E extends DomainEvent>(event: DomainEvent) => E;
  upcasters: readonly Upcaster[];
}>;

export const createUpcasterRegistry = (upcasters: readonly Upcaster[] = []): UpcasterRegistry => {
  const byFrom = new Map<string, Upcaster>();
  for (const u of upcasters) {
    if (byFrom.has(u.fromType)) {
      throw new UpcastError('upcaster_conflict', `two upcasters from ${u.fromType}`, {
        details: { fromType: u.fromType },
      });
    }
    if (eventTypeBase(u.fromType) !== eventTypeBase(u.toType)) {
      throw new UpcastError(
        'upcaster_conflict',
        `upcaster ${u.fromType} → ${u.toType} changes the base name`,
        {
          details: { fromType: u.fromType, toType: u.toType },
        },
      );
    }
    if (eventTypeVersion(u.toType) <= eventTypeVersion(u.fromType)) {
      throw new UpcastError(
        'upcaster_cycle',
        `upcaster ${u.fromType} → ${u.toType} does not raise the version`,
        {
          details: { fromType: u.fromType, toType: u.toType },
        },
      );
    }
    byFrom.set(u.fromType, u);
  }
  const upcast = <E extends DomainEvent>(event: DomainEvent): E => {
    let current: DomainEvent = { type: event.type, data: event.data };
    for (let u = byFrom.get(current.type); u !== undefined; u = byFrom.get(current.type)) {
      try {
        current = { type: u.toType, data: u.upcast(current.data) };
      } catch (cause) {
        throw new UpcastError('upcast_failed', `upcasting ${u.fromType} → ${u.toType} failed`, {
          details: { fromType: u.fromType, toType: u.toType },
          cause,
        });
      }
    }
    return current as E;
  };
  return { upcast, upcasters: [...upcasters] };
};
