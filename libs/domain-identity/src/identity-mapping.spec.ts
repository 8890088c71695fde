import { deciderSpec, type CommandMetadata } from '@bpane/ddd';
import { describe, it } from 'vitest';
import type { IdentityMappingCommand } from './commands';
import type { IdentityMappingEvent } from './events';
import { identityMappingDecider } from './identity-mapping';

const given = deciderSpec(identityMappingDecider);
const id = '1b6f1d7e-8e59-4bb8-9a1b-0b1f4fb1b0a1';
const projectId = '2b6f1d7e-8e59-4bb8-9a1b-0b1f4fb1b0a1';
const otherProject = '3b6f1d7e-8e59-4bb8-9a1b-0b1f4fb1b0a1';
const now = '2026-01-02T00:00:00.000Z';
const meta = (ownerId = 'alice'): CommandMetadata => ({
  now,
  actor: { kind: 'user', id: ownerId },
  correlationId: 'c',
  ownerId,
});
const cmd = (c: Omit<IdentityMappingCommand, 'metadata'>, owner = 'alice') =>
  ({ ...c, metadata: meta(owner) }) as IdentityMappingCommand;
const created: IdentityMappingEvent = {
  type: 'IdentityMappingCreated',
  data: {
    identityMappingId: id,
    ownerId: 'alice',
    subject: { kind: 'group', group: 'support' },
    projectId,
    role: 'member',
    description: null,
    createdAt: now,
  },
};

describe('identity mapping decider', () => {
  it('creates a group mapping with the member role by default', () => {
    given([])
      .when(
        cmd({
          type: 'CreateIdentityMapping',
          data: { identityMappingId: id, subject: { kind: 'group', group: 'support' }, projectId },
        }),
      )
      .then([created]);
  });

  it('accepts only claims of the bounded safe set', () => {
    given([])
      .when(
        cmd({
          type: 'CreateIdentityMapping',
          data: { identityMappingId: id, subject: { kind: 'claim', claim: 'email', value: 'x' }, projectId },
        }),
      )
      .thenThrows('validation_failed', { fields: ['subject.claim'] });
    given([])
      .when(
        cmd({
          type: 'CreateIdentityMapping',
          data: {
            identityMappingId: id,
            subject: { kind: 'claim', claim: 'resource_access.portal.roles', value: 'ops' },
            projectId,
          },
        }),
      )
      .then([
        {
          type: 'IdentityMappingCreated',
          data: {
            ...created.data,
            subject: { kind: 'claim', claim: 'resource_access.portal.roles', value: 'ops' },
          },
        },
      ]);
  });

  it('validates ids, role and subject', () => {
    given([])
      .when(
        cmd({
          type: 'CreateIdentityMapping',
          data: {
            identityMappingId: 'nope',
            subject: { kind: 'service_principal', servicePrincipalId: 'x' },
            projectId: 'p',
            role: 'admin' as never,
          },
        }),
      )
      .thenThrows('validation_failed', {
        fields: ['id', 'project_id', 'subject.service_principal_id', 'role'],
      });
  });

  it('moves a mapping to another project and changes its role', () => {
    given([created])
      .when(
        cmd({
          type: 'UpdateIdentityMapping',
          data: { identityMappingId: id, projectId: otherProject, role: 'viewer' },
        }),
      )
      .then([
        {
          type: 'IdentityMappingUpdated',
          data: {
            identityMappingId: id,
            projectId: otherProject,
            role: 'viewer',
            description: null,
            updatedAt: now,
          },
        },
      ]);
  });

  it('disables and re-enables; foreign owners see nothing', () => {
    const disabled: IdentityMappingEvent = {
      type: 'IdentityMappingDisabled',
      data: { identityMappingId: id, disabledAt: now },
    };
    given([created])
      .when(cmd({ type: 'DisableIdentityMapping', data: { identityMappingId: id } }))
      .then([disabled]);
    given([created, disabled])
      .when(cmd({ type: 'EnableIdentityMapping', data: { identityMappingId: id } }))
      .then([{ type: 'IdentityMappingEnabled', data: { identityMappingId: id, enabledAt: now } }]);
    given([created])
      .when(cmd({ type: 'DisableIdentityMapping', data: { identityMappingId: id } }, 'bob'))
      .thenThrows('not_found');
  });
});
