/**
 * Version 1 of the session-template events, FROZEN: stored in the event log and never edited. A
 * breaking change gets a new type name plus an upcaster.
 */
import type { DomainEvent } from '@bpane/ddd';
import type { NetworkIdentity, OwnerMode, RecordingPolicy, StringMap, Viewport } from './values';

/** Defaults a template gives the sessions created from it; `null` means "not set". */
export type TemplateDefaultsV1 = Readonly<{
  ownerMode: OwnerMode | null;
  projectId: string | null;
  viewport: Viewport | null;
  idleTimeoutSec: number | null;
  /** Labels every session created from the template gets. */
  labels: StringMap;
  integrationContext: StringMap;
  networkIdentity: NetworkIdentity;
  recording: RecordingPolicy | null;
}>;

export type SessionTemplateCreatedV1 = DomainEvent<
  'SessionTemplateCreated',
  Readonly<{
    templateId: string;
    ownerId: string;
    name: string;
    description: string | null;
    /** The template's own labels (for finding templates), not the session defaults. */
    labels: StringMap;
    defaults: TemplateDefaultsV1;
    createdAt: string;
  }>
>;

export type TemplateChangedFieldV1 =
  'name' | 'description' | 'labels' | `defaults.${keyof TemplateDefaultsV1}`;

/** Complete new values of every mutable field; `changedFields` names what changed. */
export type SessionTemplateUpdatedV1 = DomainEvent<
  'SessionTemplateUpdated',
  Readonly<{
    templateId: string;
    name: string;
    description: string | null;
    labels: StringMap;
    defaults: TemplateDefaultsV1;
    changedFields: readonly TemplateChangedFieldV1[];
    updatedAt: string;
  }>
>;

export type SessionTemplateEventV1 = SessionTemplateCreatedV1 | SessionTemplateUpdatedV1;

export const sessionTemplateEventTypesV1 = [
  'SessionTemplateCreated',
  'SessionTemplateUpdated',
] as const satisfies readonly SessionTemplateEventV1['type'][];
