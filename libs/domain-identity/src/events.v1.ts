/**
 * Version 1 of the identity events, FROZEN: stored shapes are never edited. A breaking change gets
 * a new type name (`'ServicePrincipalRegistered.v2'`) plus an upcaster.
 */
import type { DomainEvent } from '@bpane/ddd';

export type LabelsV1 = Readonly<Record<string, string>>;

export type ServicePrincipalRegisteredV1 = DomainEvent<
  'ServicePrincipalRegistered',
  Readonly<{
    servicePrincipalId: string;
    ownerId: string;
    /** The OAuth client id the principal's tokens carry (`client_id` / `azp`). */
    clientId: string;
    /** Issuer of the client's tokens; null means the gateway's configured issuer. */
    issuer: string | null;
    displayName: string;
    description: string | null;
    labels: LabelsV1;
    registeredAt: string;
  }>
>;

export type ServicePrincipalUpdatedV1 = DomainEvent<
  'ServicePrincipalUpdated',
  Readonly<{
    servicePrincipalId: string;
    displayName: string;
    description: string | null;
    labels: LabelsV1;
    updatedAt: string;
  }>
>;

export type ServicePrincipalDisabledV1 = DomainEvent<
  'ServicePrincipalDisabled',
  Readonly<{ servicePrincipalId: string; disabledAt: string }>
>;

export type ServicePrincipalEnabledV1 = DomainEvent<
  'ServicePrincipalEnabled',
  Readonly<{ servicePrincipalId: string; enabledAt: string }>
>;

/** Who an identity mapping matches. `claim` only names claims of the bounded safe claim set. */
export type MappingSubjectV1 =
  | Readonly<{ kind: 'user'; subject: string }>
  | Readonly<{ kind: 'group'; group: string }>
  | Readonly<{ kind: 'claim'; claim: string; value: string }>
  | Readonly<{ kind: 'service_principal'; servicePrincipalId: string }>;

export type IdentityMappingCreatedV1 = DomainEvent<
  'IdentityMappingCreated',
  Readonly<{
    identityMappingId: string;
    ownerId: string;
    subject: MappingSubjectV1;
    projectId: string;
    role: 'member' | 'viewer';
    description: string | null;
    createdAt: string;
  }>
>;

export type IdentityMappingUpdatedV1 = DomainEvent<
  'IdentityMappingUpdated',
  Readonly<{
    identityMappingId: string;
    projectId: string;
    role: 'member' | 'viewer';
    description: string | null;
    updatedAt: string;
  }>
>;

export type IdentityMappingDisabledV1 = DomainEvent<
  'IdentityMappingDisabled',
  Readonly<{ identityMappingId: string; disabledAt: string }>
>;

export type IdentityMappingEnabledV1 = DomainEvent<
  'IdentityMappingEnabled',
  Readonly<{ identityMappingId: string; enabledAt: string }>
>;
