import type { Command } from '@bpane/ddd';
import type { Labels, MappingRole, MappingSubject } from './events';

export type RegisterServicePrincipal = Command<
  'RegisterServicePrincipal',
  Readonly<{
    servicePrincipalId: string;
    clientId: string;
    issuer?: string | null;
    displayName: string;
    description?: string | null;
    labels?: Labels;
  }>
>;
export type UpdateServicePrincipal = Command<
  'UpdateServicePrincipal',
  Readonly<{ servicePrincipalId: string; displayName?: string; description?: string | null; labels?: Labels }>
>;
export type DisableServicePrincipal = Command<
  'DisableServicePrincipal',
  Readonly<{ servicePrincipalId: string }>
>;
export type EnableServicePrincipal = Command<
  'EnableServicePrincipal',
  Readonly<{ servicePrincipalId: string }>
>;

export type ServicePrincipalCommand =
  RegisterServicePrincipal | UpdateServicePrincipal | DisableServicePrincipal | EnableServicePrincipal;

export type CreateIdentityMapping = Command<
  'CreateIdentityMapping',
  Readonly<{
    identityMappingId: string;
    subject: MappingSubject;
    projectId: string;
    role?: MappingRole;
    description?: string | null;
  }>
>;
export type UpdateIdentityMapping = Command<
  'UpdateIdentityMapping',
  Readonly<{ identityMappingId: string; projectId?: string; role?: MappingRole; description?: string | null }>
>;
export type DisableIdentityMapping = Command<
  'DisableIdentityMapping',
  Readonly<{ identityMappingId: string }>
>;
export type EnableIdentityMapping = Command<'EnableIdentityMapping', Readonly<{ identityMappingId: string }>>;

export type IdentityMappingCommand =
  CreateIdentityMapping | UpdateIdentityMapping | DisableIdentityMapping | EnableIdentityMapping;
