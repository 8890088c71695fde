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
import type { ServicePrincipalCommand } from './commands';
import {
  identityUpcasters,
  SERVICE_PRINCIPAL_STREAM_PREFIX,
  type Labels,
  type ServicePrincipalEvent,
} from './events';
import {
  checkClientId,
  checkIssuer,
  checkLabels,
  checkText,
  checkUuid,
  identityLimits,
  normaliseLabels,
} from './validation';

type Fields = Readonly<{
  servicePrincipalId: string;
  ownerId: string;
  clientId: string;
  issuer: string | null;
  displayName: string;
  description: string | null;
  labels: Labels;
  createdAt: string;
  updatedAt: string;
}>;

/** A registered external OAuth client (service principal). `disabled` ones cannot be delegated to. */
export type ServicePrincipalState =
  | Readonly<{ status: 'absent' }>
  | (Fields & Readonly<{ status: 'active' }>)
  | (Fields & Readonly<{ status: 'disabled'; disabledAt: string }>);

export const evolveServicePrincipal = (
  state: ServicePrincipalState,
  event: ServicePrincipalEvent,
): ServicePrincipalState => {
  switch (event.type) {
    case 'ServicePrincipalRegistered': {
      const d = event.data;
      return {
        status: 'active',
        servicePrincipalId: d.servicePrincipalId,
        ownerId: d.ownerId,
        clientId: d.clientId,
        issuer: d.issuer,
        displayName: d.displayName,
        description: d.description,
        labels: d.labels,
        createdAt: d.registeredAt,
        updatedAt: d.registeredAt,
      };
    }
    case 'ServicePrincipalUpdated':
      if (state.status === 'absent') return state;
      return {
        ...state,
        displayName: event.data.displayName,
        description: event.data.description,
        labels: event.data.labels,
        updatedAt: event.data.updatedAt,
      };
    case 'ServicePrincipalDisabled':
      if (state.status !== 'active') return state;
      return {
        ...state,
        status: 'disabled',
        disabledAt: event.data.disabledAt,
        updatedAt: event.data.disabledAt,
      };
    case 'ServicePrincipalEnabled': {
      if (state.status !== 'disabled') return state;
      const { disabledAt: _d, ...rest } = state;
      return { ...rest, status: 'active', updatedAt: event.data.enabledAt };
    }
    default:
      return assertNever(event, 'service principal event');
  }
};

const owner = (m: CommandMetadata): string => m.ownerId ?? m.actor.id;

const visible = (state: ServicePrincipalState, id: string, m: CommandMetadata) => {
  if (state.status === 'absent' || state.servicePrincipalId !== id)
    throw new NotFoundError('service principal', id);
  if (m.actor.kind !== 'system' && state.ownerId !== owner(m))
    throw new NotFoundError('service principal', id);
  return state;
};

const fail = (v: FieldViolation[]): void => {
  if (v.length > 0) throw new ValidationFailedError(v);
};

export const decideServicePrincipal = (
  command: ServicePrincipalCommand,
  state: ServicePrincipalState,
): ServicePrincipalEvent[] => {
  const m = command.metadata;
  switch (command.type) {
    case 'RegisterServicePrincipal': {
      const d = command.data;
      const v: FieldViolation[] = [];
      checkUuid(d.servicePrincipalId, 'id', v);
      checkClientId(d.clientId, v);
      checkIssuer(d.issuer, v);
      checkText(d.displayName, 'display_name', identityLimits.displayNameMaxLength, v, { nonEmpty: true });
      if (d.description !== undefined)
        checkText(d.description, 'description', identityLimits.descriptionMaxLength, v, { nullable: true });
      if (d.labels !== undefined) checkLabels(d.labels, v);
      fail(v);
      if (state.status !== 'absent')
        throw new ConflictError(`service principal ${d.servicePrincipalId} already exists`);
      return [
        {
          type: 'ServicePrincipalRegistered',
          data: {
            servicePrincipalId: d.servicePrincipalId,
            ownerId: owner(m),
            clientId: d.clientId,
            issuer: d.issuer ?? null,
            displayName: d.displayName.trim(),
            description: d.description ?? null,
            labels: normaliseLabels(d.labels ?? {}),
            registeredAt: m.now,
          },
        },
      ];
    }
    case 'UpdateServicePrincipal': {
      const d = command.data;
      const current = visible(state, d.servicePrincipalId, m);
      const v: FieldViolation[] = [];
      if (d.displayName !== undefined)
        checkText(d.displayName, 'display_name', identityLimits.displayNameMaxLength, v, { nonEmpty: true });
      if (d.description !== undefined)
        checkText(d.description, 'description', identityLimits.descriptionMaxLength, v, { nullable: true });
      if (d.labels !== undefined) checkLabels(d.labels, v);
      fail(v);
      const next = {
        displayName: d.displayName?.trim() ?? current.displayName,
        description: d.description === undefined ? current.description : d.description,
        labels: d.labels === undefined ? current.labels : normaliseLabels(d.labels),
      };
      if (
        next.displayName === current.displayName &&
        next.description === current.description &&
        JSON.stringify(next.labels) === JSON.stringify(current.labels)
      )
        return [];
      return [
        {
          type: 'ServicePrincipalUpdated',
          data: { servicePrincipalId: current.servicePrincipalId, ...next, updatedAt: m.now },
        },
      ];
    }
    case 'DisableServicePrincipal': {
      const current = visible(state, command.data.servicePrincipalId, m);
      if (current.status === 'disabled') return [];
      return [
        {
          type: 'ServicePrincipalDisabled',
          data: { servicePrincipalId: current.servicePrincipalId, disabledAt: m.now },
        },
      ];
    }
    case 'EnableServicePrincipal': {
      const current = visible(state, command.data.servicePrincipalId, m);
      if (current.status === 'active') return [];
      return [
        {
          type: 'ServicePrincipalEnabled',
          data: { servicePrincipalId: current.servicePrincipalId, enabledAt: m.now },
        },
      ];
    }
    default:
      return assertNever(command, 'service principal command');
  }
};

export const servicePrincipalDecider: Decider<
  ServicePrincipalCommand,
  ServicePrincipalEvent,
  ServicePrincipalState
> = {
  decide: decideServicePrincipal,
  evolve: evolveServicePrincipal,
  initialState: () => ({ status: 'absent' }),
  ownerOf: (s) => (s.status === 'absent' ? undefined : s.ownerId),
};

export const servicePrincipalAggregate: AggregateRegistration = {
  name: 'servicePrincipal',
  streamPrefix: SERVICE_PRINCIPAL_STREAM_PREFIX,
  decider: servicePrincipalDecider,
  upcasters: identityUpcasters,
};

/** Re-exported for callers that only need to know whether a state is a live one. */
export const isDisabled = (s: ServicePrincipalState): boolean => s.status === 'disabled';
