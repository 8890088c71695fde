import {
  ConflictError,
  NotFoundError,
  ValidationFailedError,
  createUpcasterRegistry,
  type AggregateRegistration,
  type Command,
  type CommandMetadata,
  type Decider,
  type FieldViolation,
} from '@bpane/ddd';
import { assertNever } from '@bpane/errors';
import {
  sessionTemplateEventTypesV1,
  type SessionTemplateEventV1,
  type TemplateChangedFieldV1,
  type TemplateDefaultsV1,
} from './template.events.v1';
import {
  emptyNetworkIdentity,
  mergeNetworkIdentity,
  mergeRecording,
  sameJson,
  sessionDefaults,
  sortedMap,
  validateDescription,
  validateIdleTimeout,
  validateIntegrationContext,
  validateLabels,
  validateName,
  validateNetworkIdentity,
  validateNullableUuid,
  validateOwnerMode,
  validateRecording,
  validateUuid,
  validateViewport,
  type NetworkIdentityInput,
  type OwnerMode,
  type RecordingInput,
  type StringMap,
  type Viewport,
} from './values';

export type TemplateDefaults = TemplateDefaultsV1;
export type SessionTemplateEvent = SessionTemplateEventV1;
export const sessionTemplateEventTypes: readonly SessionTemplateEvent['type'][] = sessionTemplateEventTypesV1;

export const isSessionTemplateEvent = (e: { type: string }): e is SessionTemplateEvent =>
  (sessionTemplateEventTypes as readonly string[]).includes(e.type);

export const sessionTemplateUpcasters = createUpcasterRegistry([]);

export const SESSION_TEMPLATE_STREAM_PREFIX = 'sessionTemplate-';
export const sessionTemplateStreamId = (id: string): string => `${SESSION_TEMPLATE_STREAM_PREFIX}${id}`;

/** Input of the defaults; absent keys are not set (create) or unchanged (update). */
export type TemplateDefaultsInput = Partial<{
  ownerMode: OwnerMode | null;
  projectId: string | null;
  viewport: Viewport | null;
  idleTimeoutSec: number | null;
  labels: StringMap;
  integrationContext: StringMap;
  networkIdentity: NetworkIdentityInput;
  recording: RecordingInput | null;
}>;

export type CreateSessionTemplate = Command<
  'CreateSessionTemplate',
  Readonly<{
    templateId: string;
    name: string;
    description?: string | null;
    labels?: StringMap;
    defaults?: TemplateDefaultsInput;
  }>
>;

/** Partial update: present fields replace, `null` clears; network identity merges per field. */
export type UpdateSessionTemplate = Command<
  'UpdateSessionTemplate',
  Readonly<{
    templateId: string;
    name?: string;
    description?: string | null;
    labels?: StringMap;
    defaults?: TemplateDefaultsInput;
  }>
>;

export type SessionTemplateCommand = CreateSessionTemplate | UpdateSessionTemplate;

export type SessionTemplateState =
  | Readonly<{ status: 'absent' }>
  | Readonly<{
      status: 'active';
      templateId: string;
      ownerId: string;
      name: string;
      description: string | null;
      labels: StringMap;
      defaults: TemplateDefaults;
      createdAt: string;
      updatedAt: string;
    }>;

export const emptyTemplateDefaults: TemplateDefaults = {
  ownerMode: null,
  projectId: null,
  viewport: null,
  idleTimeoutSec: null,
  labels: {},
  integrationContext: {},
  networkIdentity: emptyNetworkIdentity,
  recording: null,
};

export const evolveSessionTemplate = (
  state: SessionTemplateState,
  event: SessionTemplateEvent,
): SessionTemplateState => {
  switch (event.type) {
    case 'SessionTemplateCreated': {
      const d = event.data;
      return {
        status: 'active',
        templateId: d.templateId,
        ownerId: d.ownerId,
        name: d.name,
        description: d.description,
        labels: d.labels,
        defaults: d.defaults,
        createdAt: d.createdAt,
        updatedAt: d.createdAt,
      };
    }
    case 'SessionTemplateUpdated':
      if (state.status === 'absent') return state;
      return {
        ...state,
        name: event.data.name,
        description: event.data.description,
        labels: event.data.labels,
        defaults: event.data.defaults,
        updatedAt: event.data.updatedAt,
      };
    default:
      return assertNever(event, 'session template event');
  }
};

const fail = (v: FieldViolation[]): void => {
  if (v.length > 0) throw new ValidationFailedError(v);
};

export const validateTemplateDefaults = (d: TemplateDefaultsInput, out: FieldViolation[]): void => {
  if (d.ownerMode !== undefined && d.ownerMode !== null) validateOwnerMode(d.ownerMode, 'owner_mode', out);
  if (d.projectId !== undefined) validateNullableUuid(d.projectId, 'project_id', out);
  if (d.viewport !== undefined && d.viewport !== null) validateViewport(d.viewport, 'viewport', out);
  if (d.idleTimeoutSec !== undefined && d.idleTimeoutSec !== null)
    validateIdleTimeout(d.idleTimeoutSec, 'idle_timeout_sec', out);
  if (d.labels !== undefined) validateLabels(d.labels, 'default_labels', out);
  if (d.integrationContext !== undefined)
    validateIntegrationContext(d.integrationContext, 'integration_context', out);
  if (d.networkIdentity !== undefined) validateNetworkIdentity(d.networkIdentity, 'network_identity', out);
  if (d.recording !== undefined && d.recording !== null) validateRecording(d.recording, 'recording', out);
};

const applyDefaults = (base: TemplateDefaults, d: TemplateDefaultsInput | undefined): TemplateDefaults => {
  if (d === undefined) return base;
  return {
    ownerMode: d.ownerMode !== undefined ? d.ownerMode : base.ownerMode,
    projectId: d.projectId !== undefined ? d.projectId : base.projectId,
    viewport: d.viewport !== undefined ? d.viewport : base.viewport,
    idleTimeoutSec: d.idleTimeoutSec !== undefined ? d.idleTimeoutSec : base.idleTimeoutSec,
    labels: d.labels !== undefined ? sortedMap(d.labels) : base.labels,
    integrationContext:
      d.integrationContext !== undefined ? sortedMap(d.integrationContext) : base.integrationContext,
    networkIdentity: mergeNetworkIdentity(base.networkIdentity, d.networkIdentity),
    recording:
      d.recording === undefined
        ? base.recording
        : d.recording === null
          ? null
          : mergeRecording(base.recording ?? sessionDefaults.recording, d.recording),
  };
};

const requestedOwner = (m: CommandMetadata): string => m.ownerId ?? m.actor.id;

const decideTemplate = (
  command: SessionTemplateCommand,
  state: SessionTemplateState,
): SessionTemplateEvent[] => {
  const d = command.data;
  const v: FieldViolation[] = [];
  validateUuid(d.templateId, 'template_id', v);
  if (command.type === 'CreateSessionTemplate' || d.name !== undefined) validateName(d.name, v);
  if (d.description !== undefined) validateDescription(d.description, v);
  if (d.labels !== undefined) validateLabels(d.labels, 'labels', v);
  if (d.defaults !== undefined) validateTemplateDefaults(d.defaults, v);
  switch (command.type) {
    case 'CreateSessionTemplate': {
      fail(v);
      if (state.status !== 'absent')
        throw new ConflictError(`session template ${d.templateId} already exists`, {
          templateId: d.templateId,
        });
      return [
        {
          type: 'SessionTemplateCreated',
          data: {
            templateId: d.templateId,
            ownerId: requestedOwner(command.metadata),
            name: command.data.name.trim(),
            description: d.description ?? null,
            labels: sortedMap(d.labels ?? {}),
            defaults: applyDefaults(emptyTemplateDefaults, d.defaults),
            createdAt: command.metadata.now,
          },
        },
      ];
    }
    case 'UpdateSessionTemplate': {
      if (
        d.name === undefined &&
        d.description === undefined &&
        d.labels === undefined &&
        (d.defaults === undefined || Object.keys(d.defaults).length === 0)
      )
        v.push({ field: 'changes', message: 'give at least one field to change' });
      fail(v);
      if (
        state.status === 'absent' ||
        (command.metadata.actor.kind !== 'system' && state.ownerId !== requestedOwner(command.metadata))
      )
        throw new NotFoundError('session template', d.templateId);
      const next = {
        name: d.name === undefined ? state.name : d.name.trim(),
        description: d.description === undefined ? state.description : d.description,
        labels: d.labels === undefined ? state.labels : sortedMap(d.labels),
        defaults: applyDefaults(state.defaults, d.defaults),
      };
      const changedFields: TemplateChangedFieldV1[] = [];
      for (const f of ['name', 'description', 'labels'] as const)
        if (!sameJson(next[f], state[f])) changedFields.push(f);
      for (const f of Object.keys(next.defaults) as (keyof TemplateDefaults)[])
        if (!sameJson(next.defaults[f], state.defaults[f])) changedFields.push(`defaults.${f}`);
      if (changedFields.length === 0) return [];
      return [
        {
          type: 'SessionTemplateUpdated',
          data: {
            templateId: d.templateId,
            ...next,
            changedFields,
            updatedAt: command.metadata.now,
          },
        },
      ];
    }
    default:
      return assertNever(command, 'session template command');
  }
};

export const sessionTemplateDecider: Decider<
  SessionTemplateCommand,
  SessionTemplateEvent,
  SessionTemplateState
> = {
  decide: decideTemplate,
  evolve: evolveSessionTemplate,
  initialState: () => ({ status: 'absent' }),
  ownerOf: (s) => (s.status === 'absent' ? undefined : s.ownerId),
};

export const sessionTemplateAggregate: AggregateRegistration = {
  name: 'sessionTemplate',
  streamPrefix: SESSION_TEMPLATE_STREAM_PREFIX,
  decider: sessionTemplateDecider,
  upcasters: sessionTemplateUpcasters,
};
