import { createUpcasterRegistry } from '@bpane/ddd';
import type {
  IdentityMappingCreatedV1,
  IdentityMappingDisabledV1,
  IdentityMappingEnabledV1,
  IdentityMappingUpdatedV1,
  MappingSubjectV1,
  ServicePrincipalDisabledV1,
  ServicePrincipalEnabledV1,
  ServicePrincipalRegisteredV1,
  ServicePrincipalUpdatedV1,
} from './events.v1';

export type Labels = Readonly<Record<string, string>>;
export type MappingSubject = MappingSubjectV1;
export type MappingRole = 'member' | 'viewer';

export type ServicePrincipalEvent =
  | ServicePrincipalRegisteredV1
  | ServicePrincipalUpdatedV1
  | ServicePrincipalDisabledV1
  | ServicePrincipalEnabledV1;

export type IdentityMappingEvent =
  IdentityMappingCreatedV1 | IdentityMappingUpdatedV1 | IdentityMappingDisabledV1 | IdentityMappingEnabledV1;

export const servicePrincipalEventTypes: readonly ServicePrincipalEvent['type'][] = [
  'ServicePrincipalRegistered',
  'ServicePrincipalUpdated',
  'ServicePrincipalDisabled',
  'ServicePrincipalEnabled',
];
export const identityMappingEventTypes: readonly IdentityMappingEvent['type'][] = [
  'IdentityMappingCreated',
  'IdentityMappingUpdated',
  'IdentityMappingDisabled',
  'IdentityMappingEnabled',
];

export const isServicePrincipalEvent = (e: { type: string }): e is ServicePrincipalEvent =>
  (servicePrincipalEventTypes as readonly string[]).includes(e.type);
export const isIdentityMappingEvent = (e: { type: string }): e is IdentityMappingEvent =>
  (identityMappingEventTypes as readonly string[]).includes(e.type);

export const identityUpcasters = createUpcasterRegistry([]);

export const SERVICE_PRINCIPAL_STREAM_PREFIX = 'servicePrincipal-';
export const IDENTITY_MAPPING_STREAM_PREFIX = 'identityMapping-';
export const servicePrincipalStreamId = (id: string): string => `${SERVICE_PRINCIPAL_STREAM_PREFIX}${id}`;
export const identityMappingStreamId = (id: string): string => `${IDENTITY_MAPPING_STREAM_PREFIX}${id}`;

/**
 * The bounded, safe claim set identity mappings may match on (besides users, groups and service
 * principals). Raw tokens are never stored; only these names and the mapped values are.
 * `resource_access.<client>.roles` is allowed for any client id.
 */
export const MAPPABLE_CLAIMS = [
  'roles',
  'realm_access.roles',
  'tenant',
  'tenant_id',
  'organization',
  'organization_id',
  'org_id',
  'department',
] as const;
export const RESOURCE_ACCESS_CLAIM = /^resource_access\.[A-Za-z0-9._-]{1,64}\.roles$/;
export const isMappableClaim = (claim: string): boolean =>
  (MAPPABLE_CLAIMS as readonly string[]).includes(claim) || RESOURCE_ACCESS_CLAIM.test(claim);
