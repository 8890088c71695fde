import { EntitySchema } from 'typeorm';

export const SERVICE_PRINCIPALS_TABLE = 'service_principals';
export const IDENTITY_MAPPINGS_TABLE = 'identity_mappings';

/** A row of `read_models.service_principals`. */
export type ServicePrincipalRow = {
  id: string;
  ownerId: string;
  clientId: string;
  issuer: string | null;
  displayName: string;
  description: string | null;
  labels: Record<string, string>;
  state: 'active' | 'disabled';
  createdAt: Date;
  updatedAt: Date;
  disabledAt: Date | null;
  position: string;
};

export const ServicePrincipalRowEntity = new EntitySchema<ServicePrincipalRow>({
  name: 'ServicePrincipalRow',
  tableName: SERVICE_PRINCIPALS_TABLE,
  columns: {
    id: { type: 'uuid', primary: true },
    ownerId: { name: 'owner_id', type: 'text' },
    clientId: { name: 'client_id', type: 'text' },
    issuer: { type: 'text', nullable: true },
    displayName: { name: 'display_name', type: 'text' },
    description: { type: 'text', nullable: true },
    labels: { type: 'jsonb' },
    state: { type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    disabledAt: { name: 'disabled_at', type: 'timestamptz', nullable: true },
    position: { type: 'bigint' },
  },
});

/** A row of `read_models.identity_mappings`; `subject` is the stored mapping subject (JSON). */
export type IdentityMappingRow = {
  id: string;
  ownerId: string;
  subjectKind: 'user' | 'group' | 'claim' | 'service_principal';
  subject: Record<string, string>;
  projectId: string;
  role: 'member' | 'viewer';
  description: string | null;
  state: 'active' | 'disabled';
  createdAt: Date;
  updatedAt: Date;
  disabledAt: Date | null;
  position: string;
};

export const IdentityMappingRowEntity = new EntitySchema<IdentityMappingRow>({
  name: 'IdentityMappingRow',
  tableName: IDENTITY_MAPPINGS_TABLE,
  columns: {
    id: { type: 'uuid', primary: true },
    ownerId: { name: 'owner_id', type: 'text' },
    subjectKind: { name: 'subject_kind', type: 'text' },
    subject: { type: 'jsonb' },
    projectId: { name: 'project_id', type: 'uuid' },
    role: { type: 'text' },
    description: { type: 'text', nullable: true },
    state: { type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    disabledAt: { name: 'disabled_at', type: 'timestamptz', nullable: true },
    position: { type: 'bigint' },
  },
});
