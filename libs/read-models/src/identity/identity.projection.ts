import {
  identityUpcasters,
  isIdentityMappingEvent,
  isServicePrincipalEvent,
  IDENTITY_MAPPING_STREAM_PREFIX,
  SERVICE_PRINCIPAL_STREAM_PREFIX,
  type IdentityMappingEvent,
  type ServicePrincipalEvent,
} from '@bpane/domain-identity';
import type { RecordedEvent } from '@bpane/event-store';
import { assertNever } from '@bpane/errors';
import type { EntityManager } from 'typeorm';
import type { Projection, ProjectionTable } from '../projection';
import { IDENTITY_MAPPINGS_TABLE, SERVICE_PRINCIPALS_TABLE } from './identity-rows.entity';

const servicePrincipals: ProjectionTable = {
  name: SERVICE_PRINCIPALS_TABLE,
  ddl: (t, prefix) => [
    `CREATE TABLE ${t} (
       id uuid PRIMARY KEY,
       owner_id text NOT NULL,
       client_id text NOT NULL,
       issuer text,
       display_name text NOT NULL,
       description text,
       labels jsonb NOT NULL DEFAULT '{}'::jsonb,
       state text NOT NULL CHECK (state IN ('active', 'disabled')),
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       disabled_at timestamptz,
       position bigint NOT NULL
     )`,
    `CREATE INDEX "${prefix}_owner_idx" ON ${t} (owner_id, created_at DESC, id)`,
    `CREATE INDEX "${prefix}_client_idx" ON ${t} (owner_id, client_id)`,
  ],
};

const identityMappings: ProjectionTable = {
  name: IDENTITY_MAPPINGS_TABLE,
  ddl: (t, prefix) => [
    `CREATE TABLE ${t} (
       id uuid PRIMARY KEY,
       owner_id text NOT NULL,
       subject_kind text NOT NULL,
       subject jsonb NOT NULL,
       project_id uuid NOT NULL,
       role text NOT NULL,
       description text,
       state text NOT NULL CHECK (state IN ('active', 'disabled')),
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       disabled_at timestamptz,
       position bigint NOT NULL
     )`,
    `CREATE INDEX "${prefix}_owner_idx" ON ${t} (owner_id, created_at DESC, id)`,
    `CREATE INDEX "${prefix}_project_idx" ON ${t} (owner_id, project_id)`,
  ],
};

/** Stored mapping subjects in API shape (snake_case keys). */
const subjectRow = (s: IdentityMappingEvent & { type: 'IdentityMappingCreated' }): Record<string, string> => {
  const subject = s.data.subject;
  switch (subject.kind) {
    case 'user':
      return { kind: 'user', subject: subject.subject };
    case 'group':
      return { kind: 'group', group: subject.group };
    case 'claim':
      return { kind: 'claim', claim: subject.claim, value: subject.value };
    case 'service_principal':
      return { kind: 'service_principal', service_principal_id: subject.servicePrincipalId };
    default:
      return assertNever(subject, 'mapping subject');
  }
};

const applyServicePrincipal = async (e: ServicePrincipalEvent, m: EntityManager, t: string, pos: string) => {
  switch (e.type) {
    case 'ServicePrincipalRegistered': {
      const d = e.data;
      await m.query(
        `INSERT INTO ${t} (id, owner_id, client_id, issuer, display_name, description, labels, state,
                           created_at, updated_at, disabled_at, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 'active', $8, $8, NULL, $9) ON CONFLICT (id) DO NOTHING`,
        [
          d.servicePrincipalId,
          d.ownerId,
          d.clientId,
          d.issuer,
          d.displayName,
          d.description,
          JSON.stringify(d.labels),
          d.registeredAt,
          pos,
        ],
      );
      return;
    }
    case 'ServicePrincipalUpdated': {
      const d = e.data;
      await m.query(
        `UPDATE ${t} SET display_name = $2, description = $3, labels = $4::jsonb, updated_at = $5, position = $6
          WHERE id = $1 AND position < $6`,
        [d.servicePrincipalId, d.displayName, d.description, JSON.stringify(d.labels), d.updatedAt, pos],
      );
      return;
    }
    case 'ServicePrincipalDisabled':
      await m.query(
        `UPDATE ${t} SET state = 'disabled', disabled_at = $2, updated_at = $2, position = $3 WHERE id = $1 AND position < $3`,
        [e.data.servicePrincipalId, e.data.disabledAt, pos],
      );
      return;
    case 'ServicePrincipalEnabled':
      await m.query(
        `UPDATE ${t} SET state = 'active', disabled_at = NULL, updated_at = $2, position = $3 WHERE id = $1 AND position < $3`,
        [e.data.servicePrincipalId, e.data.enabledAt, pos],
      );
      return;
    default:
      assertNever(e, 'service principal event');
  }
};

const applyIdentityMapping = async (e: IdentityMappingEvent, m: EntityManager, t: string, pos: string) => {
  switch (e.type) {
    case 'IdentityMappingCreated': {
      const d = e.data;
      await m.query(
        `INSERT INTO ${t} (id, owner_id, subject_kind, subject, project_id, role, description, state,
                           created_at, updated_at, disabled_at, position)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, 'active', $8, $8, NULL, $9) ON CONFLICT (id) DO NOTHING`,
        [
          d.identityMappingId,
          d.ownerId,
          d.subject.kind,
          JSON.stringify(subjectRow(e)),
          d.projectId,
          d.role,
          d.description,
          d.createdAt,
          pos,
        ],
      );
      return;
    }
    case 'IdentityMappingUpdated': {
      const d = e.data;
      await m.query(
        `UPDATE ${t} SET project_id = $2, role = $3, description = $4, updated_at = $5, position = $6
          WHERE id = $1 AND position < $6`,
        [d.identityMappingId, d.projectId, d.role, d.description, d.updatedAt, pos],
      );
      return;
    }
    case 'IdentityMappingDisabled':
      await m.query(
        `UPDATE ${t} SET state = 'disabled', disabled_at = $2, updated_at = $2, position = $3 WHERE id = $1 AND position < $3`,
        [e.data.identityMappingId, e.data.disabledAt, pos],
      );
      return;
    case 'IdentityMappingEnabled':
      await m.query(
        `UPDATE ${t} SET state = 'active', disabled_at = NULL, updated_at = $2, position = $3 WHERE id = $1 AND position < $3`,
        [e.data.identityMappingId, e.data.enabledAt, pos],
      );
      return;
    default:
      assertNever(e, 'identity mapping event');
  }
};

/** `read_models.service_principals` and `read_models.identity_mappings` (owner-scoped). */
export const identityProjection: Projection = {
  name: 'identity',
  version: 1,
  tables: [servicePrincipals, identityMappings],
  canHandle: (event) =>
    (event.streamId.startsWith(SERVICE_PRINCIPAL_STREAM_PREFIX) && isServicePrincipalEvent(event)) ||
    (event.streamId.startsWith(IDENTITY_MAPPING_STREAM_PREFIX) && isIdentityMappingEvent(event)),
  apply: async (recorded: RecordedEvent, m: EntityManager, target) => {
    const pos = recorded.position.toString();
    const event = identityUpcasters.upcast<ServicePrincipalEvent | IdentityMappingEvent>(recorded);
    if (isServicePrincipalEvent(event))
      return applyServicePrincipal(event, m, target.table(SERVICE_PRINCIPALS_TABLE), pos);
    if (isIdentityMappingEvent(event))
      return applyIdentityMapping(event, m, target.table(IDENTITY_MAPPINGS_TABLE), pos);
  },
};
