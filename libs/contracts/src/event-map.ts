import { type Guard } from './guards';
import {
  projectArchivedV1,
  projectCreatedV1,
  projectUnarchivedV1,
  projectUpdatedV1,
  type ProjectArchivedV1,
  type ProjectUnarchivedV1,
  type ProjectCreatedV1,
  type ProjectUpdatedV1,
} from './projects';

/**
 * The typed subject → payload map of every integration event with a published contract. Subjects
 * are canonical (root `bpane`). Consumers get their payload type from here; the publisher forwards
 * every event (also those without a contract yet), so the map can grow context by context.
 */
export interface IntegrationEventMap {
  'bpane.projects.ProjectCreated': ProjectCreatedV1;
  'bpane.projects.ProjectUpdated': ProjectUpdatedV1;
  'bpane.projects.ProjectArchived': ProjectArchivedV1;
  'bpane.projects.ProjectUnarchived': ProjectUnarchivedV1;
}

export type KnownSubject = keyof IntegrationEventMap;

/** Runtime payload checks, one per known subject (the consumer helper rejects what fails them). */
export const integrationEventGuards: { readonly [S in KnownSubject]: Guard<IntegrationEventMap[S]> } = {
  'bpane.projects.ProjectCreated': projectCreatedV1,
  'bpane.projects.ProjectUpdated': projectUpdatedV1,
  'bpane.projects.ProjectArchived': projectArchivedV1,
  'bpane.projects.ProjectUnarchived': projectUnarchivedV1,
};

export const KNOWN_SUBJECTS = Object.keys(integrationEventGuards) as readonly KnownSubject[];

export const isKnownSubject = (subject: string): subject is KnownSubject =>
  Object.hasOwn(integrationEventGuards, subject);

// --- type-level NATS subject matching -------------------------------------------------------

type Tokens<S extends string> = S extends `${infer Head}.${infer Rest}` ? [Head, ...Tokens<Rest>] : [S];

type MatchTokens<P extends readonly string[], S extends readonly string[]> = P extends ['>']
  ? S extends [string, ...string[]]
    ? true
    : false
  : P extends [infer PH extends string, ...infer PR extends string[]]
    ? S extends [infer SH extends string, ...infer SR extends string[]]
      ? PH extends '*'
        ? MatchTokens<PR, SR>
        : PH extends SH
          ? MatchTokens<PR, SR>
          : false
      : false
    : S extends []
      ? true
      : false;

/** The known subjects a NATS pattern (`*`, trailing `>`) matches, e.g. `'bpane.projects.*'`. */
export type SubjectsMatching<P extends string> = {
  [K in KnownSubject]: MatchTokens<Tokens<P>, Tokens<K>> extends true ? K : never;
}[KnownSubject];
