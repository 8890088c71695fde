import {
  ConflictError,
  NotFoundError,
  ValidationFailedError,
  type AggregateRegistration,
  type CommandMetadata,
  type Decider,
  type FieldViolation,
} from '@bpane/ddd';
import { assertNever } from '@bpane/errors';
import type { IdentityMappingCommand } from './commands';
import {
  IDENTITY_MAPPING_STREAM_PREFIX,
  identityUpcasters,
  type IdentityMappingEvent,
  type MappingRole,
  type MappingSubject,
} from './events';
import { checkSubject, checkText, checkUuid, identityLimits } from './validation';

type Fields = Readonly<{
  identityMappingId: string;
  ownerId: string;
  subject: MappingSubject;
  projectId: string;
  role: MappingRole;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}>;

/** Maps an external user, group, claim value or service principal to one of the owner's projects. */
export type IdentityMappingState =
  | Readonly<{ status: 'absent' }>
  | (Fields & Readonly<{ status: 'active' }>)
  | (Fields & Readonly<{ status: 'disabled'; disabledAt: string }>);

export const evolveIdentityMapping = (
  state: IdentityMappingState,
  event: IdentityMappingEvent,
): IdentityMappingState => {
  switch (event.type) {
    case 'IdentityMappingCreated': {
      const d = event.data;
      return {
        status: 'active',
        identityMappingId: d.identityMappingId,
        ownerId: d.ownerId,
        subject: d.subject,
        projectId: d.projectId,
        role: d.role,
        description: d.description,
        createdAt: d.createdAt,
        updatedAt: d.createdAt,
      };
    }
    case 'IdentityMappingUpdated':
      if (state.status === 'absent') return state;
      return {
        ...state,
        projectId: event.data.projectId,
        role: event.data.role,
        description: event.data.description,
        updatedAt: event.data.updatedAt,
      };
    case 'IdentityMappingDisabled':
      if (state.status !== 'active') return state;
      return {
        ...state,
        status: 'disabled',
        disabledAt: event.data.disabledAt,
        updatedAt: event.data.disabledAt,
      };
    case 'IdentityMappingEnabled': {
      if (state.status !== 'disabled') return state;
      const { disabledAt: _d, ...rest } = state;
      return { ...rest, status: 'active', updatedAt: event.data.enabledAt };
    }
    default:
      return assertNever(event, 'identity mapping event');
  }
};

const owner = (m: CommandMetadata): string => m.ownerId ?? m.actor.id;
const ROLES: readonly MappingRole[] = ['member', 'viewer'];

const visible = (state: IdentityMappingState, id: string, m: CommandMetadata) => {
  if (state.status === 'absent' || state.identityMappingId !== id)
    throw new NotFoundError('identity mapping', id);
  if (m.actor.kind !== 'system' && state.ownerId !== owner(m))
    throw new NotFoundError('identity mapping', id);
  return state;
};

const fail = (v: FieldViolation[]): void => {
  if (v.length > 0) throw new ValidationFailedError(v);
};

export const decideIdentityMapping = (
  command: IdentityMappingCommand,
  state: IdentityMappingState,
): IdentityMappingEvent[] => {
  const m = command.metadata;
  switch (command.type) {
    case 'CreateIdentityMapping': {
      const d = command.data;
      const v: FieldViolation[] = [];
      checkUuid(d.identityMappingId, 'id', v);
      checkUuid(d.projectId, 'project_id', v);
      checkSubject(d.subject, v);
      if (d.role !== undefined && !ROLES.includes(d.role))
        v.push({ field: 'role', message: 'must be member or viewer' });
      if (d.description !== undefined)
        checkText(d.description, 'description', identityLimits.descriptionMaxLength, v, { nullable: true });
      fail(v);
      if (state.status !== 'absent')
        throw new ConflictError(`identity mapping ${d.identityMappingId} already exists`);
      return [
        {
          type: 'IdentityMappingCreated',
          data: {
            identityMappingId: d.identityMappingId,
            ownerId: owner(m),
            subject: d.subject,
            projectId: d.projectId,
            role: d.role ?? 'member',
            description: d.description ?? null,
            createdAt: m.now,
          },
        },
      ];
    }
    case 'UpdateIdentityMapping': {
      const d = command.data;
      const current = visible(state, d.identityMappingId, m);
      const v: FieldViolation[] = [];
      if (d.projectId !== undefined) checkUuid(d.projectId, 'project_id', v);
      if (d.role !== undefined && !ROLES.includes(d.role))
        v.push({ field: 'role', message: 'must be member or viewer' });
      if (d.description !== undefined)
        checkText(d.description, 'description', identityLimits.descriptionMaxLength, v, { nullable: true });
      fail(v);
      const next = {
        projectId: d.projectId ?? current.projectId,
        role: d.role ?? current.role,
        description: d.description === undefined ? current.description : d.description,
      };
      if (
        next.projectId === current.projectId &&
        next.role === current.role &&
        next.description === current.description
      )
        return [];
      return [
        {
          type: 'IdentityMappingUpdated',
          data: { identityMappingId: current.identityMappingId, ...next, updatedAt: m.now },
        },
      ];
    }
    case 'DisableIdentityMapping': {
      const current = visible(state, command.data.identityMappingId, m);
      if (current.status === 'disabled') return [];
      return [
        {
          type: 'IdentityMappingDisabled',
          data: { identityMappingId: current.identityMappingId, disabledAt: m.now },
        },
      ];
    }
    case 'EnableIdentityMapping': {
      const current = visible(state, command.data.identityMappingId, m);
      if (current.status === 'active') return [];
      return [
        {
          type: 'IdentityMappingEnabled',
          data: { identityMappingId: current.identityMappingId, enabledAt: m.now },
        },
      ];
    }
    default:
      return assertNever(command, 'identity mapping command');
  }
};

export const identityMappingDecider: Decider<
  IdentityMappingCommand,
  IdentityMappingEvent,
  IdentityMappingState
> = {
  decide: decideIdentityMapping,
  evolve: evolveIdentityMapping,
  initialState: () => ({ status: 'absent' }),
  ownerOf: (s) => (s.status === 'absent' ? undefined : s.ownerId),
};

export const identityMappingAggregate: AggregateRegistration = {
  name: 'identityMapping',
  streamPrefix: IDENTITY_MAPPING_STREAM_PREFIX,
  decider: identityMappingDecider,
  upcasters: identityUpcasters,
};
