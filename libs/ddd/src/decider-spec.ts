import { AssertionError, deepStrictEqual } from 'node:assert';
import { isBpaneError } from '@bpane/errors';
import type { Command, Decider, DomainEvent } from './decider';

export type ThenThrowsCheck = Readonly<{
  /** The error must carry these field names in `details.fields` (validation errors). */
  fields?: readonly string[];
}>;

export type DeciderWhen<E extends DomainEvent> = Readonly<{
  /** Asserts that deciding `command` after the given events yields exactly `expected`. */
  then: (expected: readonly E[]) => void;
  /** Asserts that deciding throws a coded error with `code` (and, optionally, field names). */
  thenThrows: (code: string, check?: ThenThrowsCheck) => void;
  /** The events decided, for assertions the helper does not cover. */
  events: () => readonly E[];
}>;

export type DeciderGiven<C extends Command, E extends DomainEvent> = Readonly<{
  when: (command: C) => DeciderWhen<E>;
}>;

/**
 * Given/when/then for deciders: `const given = deciderSpec(decider);`
 * `given([created]).when(update).then([updated])` or `.thenThrows('illegal_state')`.
 * Events are compared by deep equality after a JSON round trip, so they must be JSON-safe.
 */
export const deciderSpec =
  <C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>) =>
  (given: readonly E[]): DeciderGiven<C, E> => ({
    when: (command) => {
      const run = (): readonly E[] => {
        const state = given.reduce((s, e) => decider.evolve(s, e), decider.initialState());
        return decider.decide(command, state);
      };
      return {
        events: run,
        then: (expected) => {
          const actual = run();
          deepStrictEqual(JSON.parse(JSON.stringify(actual)), JSON.parse(JSON.stringify(expected)));
          deepStrictEqual(actual, expected);
        },
        thenThrows: (code, check) => {
          let produced: readonly E[];
          try {
            produced = run();
          } catch (error) {
            if (!isBpaneError(error)) {
              throw new AssertionError({ message: `expected a coded error ${code}, got ${String(error)}` });
            }
            if (error.code !== code) {
              throw new AssertionError({
                message: `expected error code ${code}, got ${error.code}: ${error.message}`,
                actual: error.code,
                expected: code,
              });
            }
            if (check?.fields !== undefined) {
              const fields = (error.details?.['fields'] ?? []) as readonly string[];
              deepStrictEqual([...fields].sort(), [...check.fields].sort());
            }
            return;
          }
          throw new AssertionError({
            message: `expected error ${code}, but decide returned ${JSON.stringify(produced)}`,
          });
        },
      };
    },
  });
