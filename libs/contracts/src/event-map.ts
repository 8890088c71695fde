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
import * as sessions from './sessions';

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
  'bpane.sessions.SessionTemplateCreated': sessions.SessionTemplateCreatedV1;
  'bpane.sessions.SessionTemplateUpdated': sessions.SessionTemplateUpdatedV1;
  'bpane.sessions.SessionCreated': sessions.SessionCreatedV1;
  'bpane.sessions.SessionAdmissionDecided': sessions.SessionAdmissionDecidedV1;
  'bpane.sessions.SessionRuntimeAssigned': sessions.SessionRuntimeAssignedV1;
  'bpane.sessions.SessionReady': sessions.SessionReadyV1;
  'bpane.sessions.SessionBecameIdle': sessions.SessionBecameIdleV1;
  'bpane.sessions.SessionResumed': sessions.SessionResumedV1;
  'bpane.sessions.SessionConnectionOpened': sessions.SessionConnectionOpenedV1;
  'bpane.sessions.SessionConnectionClosed': sessions.SessionConnectionClosedV1;
  'bpane.sessions.SessionStopRequested': sessions.SessionStopRequestedV1;
  'bpane.sessions.SessionRuntimeReleased': sessions.SessionRuntimeReleasedV1;
  'bpane.sessions.SessionStopped': sessions.SessionStoppedV1;
  'bpane.sessions.SessionCancelled': sessions.SessionCancelledV1;
  'bpane.sessions.SessionFailed': sessions.SessionFailedV1;
  'bpane.sessions.SessionExpired': sessions.SessionExpiredV1;
  'bpane.sessions.SessionAutomationOwnerSet': sessions.SessionAutomationOwnerSetV1;
  'bpane.sessions.SessionAutomationOwnerCleared': sessions.SessionAutomationOwnerClearedV1;
  'bpane.sessions.SessionMcpOwnerClaimed': sessions.SessionMcpOwnerClaimedV1;
  'bpane.sessions.SessionMcpOwnerReleased': sessions.SessionMcpOwnerReleasedV1;
  'bpane.sessions.SessionDeleted': sessions.SessionDeletedV1;
}

export type KnownSubject = keyof IntegrationEventMap;

/** Runtime payload checks, one per known subject (the consumer helper rejects what fails them). */
export const integrationEventGuards: { readonly [S in KnownSubject]: Guard<IntegrationEventMap[S]> } = {
  'bpane.projects.ProjectCreated': projectCreatedV1,
  'bpane.projects.ProjectUpdated': projectUpdatedV1,
  'bpane.projects.ProjectArchived': projectArchivedV1,
  'bpane.projects.ProjectUnarchived': projectUnarchivedV1,
  'bpane.sessions.SessionTemplateCreated': sessions.sessionTemplateCreatedV1,
  'bpane.sessions.SessionTemplateUpdated': sessions.sessionTemplateUpdatedV1,
  'bpane.sessions.SessionCreated': sessions.sessionCreatedV1,
  'bpane.sessions.SessionAdmissionDecided': sessions.sessionAdmissionDecidedV1,
  'bpane.sessions.SessionRuntimeAssigned': sessions.sessionRuntimeAssignedV1,
  'bpane.sessions.SessionReady': sessions.sessionReadyV1,
  'bpane.sessions.SessionBecameIdle': sessions.sessionBecameIdleV1,
  'bpane.sessions.SessionResumed': sessions.sessionResumedV1,
  'bpane.sessions.SessionConnectionOpened': sessions.sessionConnectionOpenedV1,
  'bpane.sessions.SessionConnectionClosed': sessions.sessionConnectionClosedV1,
  'bpane.sessions.SessionStopRequested': sessions.sessionStopRequestedV1,
  'bpane.sessions.SessionRuntimeReleased': sessions.sessionRuntimeReleasedV1,
  'bpane.sessions.SessionStopped': sessions.sessionStoppedV1,
  'bpane.sessions.SessionCancelled': sessions.sessionCancelledV1,
  'bpane.sessions.SessionFailed': sessions.sessionFailedV1,
  'bpane.sessions.SessionExpired': sessions.sessionExpiredV1,
  'bpane.sessions.SessionAutomationOwnerSet': sessions.sessionAutomationOwnerSetV1,
  'bpane.sessions.SessionAutomationOwnerCleared': sessions.sessionAutomationOwnerClearedV1,
  'bpane.sessions.SessionMcpOwnerClaimed': sessions.sessionMcpOwnerClaimedV1,
  'bpane.sessions.SessionMcpOwnerReleased': sessions.sessionMcpOwnerReleasedV1,
  'bpane.sessions.SessionDeleted': sessions.sessionDeletedV1,
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
