import {
  ConflictError,
  createUpcasterRegistry,
  IllegalStateError,
  NotFoundError,
  ValidationFailedError,
  type AggregateRegistration,
  type Command,
  type CommandMetadata,
  type Decider,
  type FieldViolation,
} from '@bpane/ddd';
import { assertNever } from '@bpane/errors';
import type {
  EgressProfileCreatedV1,
  EgressProfileDisabledV1,
  EgressProfileEnabledV1,
  EgressProfileProbedV1,
  EgressProfileSettingsV1,
  EgressProfileUpdatedV1,
} from './events.v1';

export type EgressProfileSettings = EgressProfileSettingsV1;
export type EgressProfileEvent =
  | EgressProfileCreatedV1
  | EgressProfileUpdatedV1
  | EgressProfileDisabledV1
  | EgressProfileEnabledV1
  | EgressProfileProbedV1;
export type ProbeOutcome = EgressProfileProbedV1['data']['outcome'];

export const egressProfileEventTypes: readonly EgressProfileEvent['type'][] = [
  'EgressProfileCreated',
  'EgressProfileUpdated',
  'EgressProfileDisabled',
  'EgressProfileEnabled',
  'EgressProfileProbed',
];
export const isEgressProfileEvent = (e: { type: string }): e is EgressProfileEvent =>
  (egressProfileEventTypes as readonly string[]).includes(e.type);
export const egressUpcasters = createUpcasterRegistry([]);
export const EGRESS_PROFILE_STREAM_PREFIX = 'egressProfile-';
export const egressProfileStreamId = (id: string): string => `${EGRESS_PROFILE_STREAM_PREFIX}${id}`;

/** Partial settings as a command carries them (`undefined` = keep). */
export type SettingsInput = Partial<{
  name: string;
  description: string | null;
  labels: Readonly<Record<string, string>>;
  proxy: EgressProfileSettings['proxy'];
  customCaRef: string | null;
  trafficObservation: Partial<EgressProfileSettings['trafficObservation']>;
}>;

export type CreateEgressProfile = Command<
  'CreateEgressProfile',
  Readonly<{ egressProfileId: string; settings: SettingsInput }>
>;
export type UpdateEgressProfile = Command<
  'UpdateEgressProfile',
  Readonly<{ egressProfileId: string; settings: SettingsInput }>
>;
export type DisableEgressProfile = Command<'DisableEgressProfile', Readonly<{ egressProfileId: string }>>;
export type EnableEgressProfile = Command<'EnableEgressProfile', Readonly<{ egressProfileId: string }>>;
export type RecordEgressProbe = Command<
  'RecordEgressProbe',
  Readonly<{ egressProfileId: string; outcome: ProbeOutcome; latencyMs: number | null; detail: string }>
>;
export type EgressProfileCommand =
  CreateEgressProfile | UpdateEgressProfile | DisableEgressProfile | EnableEgressProfile | RecordEgressProbe;

type Fields = Readonly<{
  egressProfileId: string;
  ownerId: string;
  settings: EgressProfileSettings;
  createdAt: string;
  updatedAt: string;
  lastProbe: EgressProfileProbedV1['data'] | null;
}>;
export type EgressProfileState =
  Readonly<{ status: 'absent' }> | (Fields & Readonly<{ status: 'active' | 'disabled' }>);

export const egressLimits = {
  nameMaxLength: 120,
  descriptionMaxLength: 2000,
  maxBypass: 128,
  refMaxLength: 500,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL_KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
const BYPASS = /^(\*|\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|<local>)$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const defaults: EgressProfileSettings = {
  name: '',
  description: null,
  labels: {},
  proxy: null,
  customCaRef: null,
  trafficObservation: { mode: 'metadata_only', sensitiveLogSinkRef: null },
};

const merge = (base: EgressProfileSettings, input: SettingsInput): EgressProfileSettings => ({
  name: input.name?.trim() ?? base.name,
  description: input.description === undefined ? base.description : input.description,
  labels: input.labels ?? base.labels,
  proxy: input.proxy === undefined ? base.proxy : input.proxy,
  customCaRef: input.customCaRef === undefined ? base.customCaRef : input.customCaRef,
  trafficObservation: {
    mode: input.trafficObservation?.mode ?? base.trafficObservation.mode,
    sensitiveLogSinkRef:
      input.trafficObservation?.sensitiveLogSinkRef === undefined
        ? base.trafficObservation.sensitiveLogSinkRef
        : input.trafficObservation.sensitiveLogSinkRef,
  },
});

/** Every rule on a complete settings object; field names are the API's (snake_case). */
export const validateSettings = (s: EgressProfileSettings): FieldViolation[] => {
  const v: FieldViolation[] = [];
  if (s.name.length === 0) v.push({ field: 'name', message: 'must not be empty' });
  else if ([...s.name].length > egressLimits.nameMaxLength || CONTROL.test(s.name))
    v.push({ field: 'name', message: `must be at most ${egressLimits.nameMaxLength} printable characters` });
  if (s.description !== null && [...s.description].length > egressLimits.descriptionMaxLength)
    v.push({
      field: 'description',
      message: `must be at most ${egressLimits.descriptionMaxLength} characters`,
    });
  for (const [k, val] of Object.entries(s.labels)) {
    if (!LABEL_KEY.test(k) || typeof val !== 'string' || val.length > 256)
      v.push({
        field: `labels.${k}`,
        message: 'must be a valid label key with a string value of at most 256 characters',
      });
  }
  if (s.proxy !== null) {
    let url: URL | undefined;
    try {
      url = new URL(s.proxy.url);
    } catch {
      v.push({ field: 'proxy.url', message: 'must be a URL like http://proxy.internal:3128' });
    }
    if (url !== undefined) {
      const problem = !['http:', 'https:', 'socks5:'].includes(url.protocol)
        ? 'scheme must be http, https or socks5'
        : url.username !== '' || url.password !== ''
          ? 'must not contain credentials; use proxy.credential_binding_id'
          : url.port === ''
            ? 'must name a port'
            : (url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== ''
              ? 'must be scheme://host:port only'
              : undefined;
      if (problem !== undefined) v.push({ field: 'proxy.url', message: problem });
    }
    if (s.proxy.bypass.length > egressLimits.maxBypass)
      v.push({ field: 'proxy.bypass', message: `must have at most ${egressLimits.maxBypass} entries` });
    s.proxy.bypass.forEach((b, i) => {
      if (typeof b !== 'string' || !BYPASS.test(b))
        v.push({
          field: `proxy.bypass.${i}`,
          message: 'must be a host, .suffix, IPv4[/prefix], * or <local>',
        });
    });
    if (s.proxy.credentialBindingId !== null && !UUID.test(s.proxy.credentialBindingId))
      v.push({ field: 'proxy.credential_binding_id', message: 'must be a UUID' });
  }
  if (
    s.customCaRef !== null &&
    (s.customCaRef.length === 0 || s.customCaRef.length > egressLimits.refMaxLength)
  )
    v.push({ field: 'custom_ca_ref', message: `must be 1-${egressLimits.refMaxLength} characters` });
  const t = s.trafficObservation;
  if (t.mode !== 'metadata_only' && t.mode !== 'tls_intercept')
    v.push({ field: 'traffic_observation.mode', message: 'must be metadata_only or tls_intercept' });
  if (t.mode === 'tls_intercept') {
    if (s.proxy === null)
      v.push({ field: 'proxy', message: 'is required for traffic_observation.mode=tls_intercept' });
    if (s.customCaRef === null)
      v.push({ field: 'custom_ca_ref', message: 'is required for traffic_observation.mode=tls_intercept' });
    if (t.sensitiveLogSinkRef === null)
      v.push({
        field: 'traffic_observation.sensitive_log_sink_ref',
        message:
          'is required for traffic_observation.mode=tls_intercept (an approved log target for decrypted traffic)',
      });
  }
  if (
    t.sensitiveLogSinkRef !== null &&
    (t.sensitiveLogSinkRef.length === 0 || t.sensitiveLogSinkRef.length > egressLimits.refMaxLength)
  )
    v.push({
      field: 'traffic_observation.sensitive_log_sink_ref',
      message: `must be 1-${egressLimits.refMaxLength} characters`,
    });
  return v;
};

export const evolveEgressProfile = (
  state: EgressProfileState,
  event: EgressProfileEvent,
): EgressProfileState => {
  switch (event.type) {
    case 'EgressProfileCreated':
      return {
        status: 'active',
        egressProfileId: event.data.egressProfileId,
        ownerId: event.data.ownerId,
        settings: event.data.settings,
        createdAt: event.data.createdAt,
        updatedAt: event.data.createdAt,
        lastProbe: null,
      };
    case 'EgressProfileUpdated':
      return state.status === 'absent'
        ? state
        : { ...state, settings: event.data.settings, updatedAt: event.data.updatedAt };
    case 'EgressProfileDisabled':
      return state.status === 'absent'
        ? state
        : { ...state, status: 'disabled', updatedAt: event.data.disabledAt };
    case 'EgressProfileEnabled':
      return state.status === 'absent'
        ? state
        : { ...state, status: 'active', updatedAt: event.data.enabledAt };
    case 'EgressProfileProbed':
      return state.status === 'absent' ? state : { ...state, lastProbe: event.data };
    default:
      return assertNever(event, 'egress profile event');
  }
};

const owner = (m: CommandMetadata): string => m.ownerId ?? m.actor.id;
const visible = (state: EgressProfileState, id: string, m: CommandMetadata) => {
  if (state.status === 'absent' || state.egressProfileId !== id)
    throw new NotFoundError('egress profile', id);
  if (m.actor.kind !== 'system' && state.ownerId !== owner(m)) throw new NotFoundError('egress profile', id);
  return state;
};

export const decideEgressProfile = (
  command: EgressProfileCommand,
  state: EgressProfileState,
): EgressProfileEvent[] => {
  const m = command.metadata;
  switch (command.type) {
    case 'CreateEgressProfile': {
      const d = command.data;
      const settings = merge(defaults, d.settings);
      const v = validateSettings(settings);
      if (!UUID.test(d.egressProfileId)) v.unshift({ field: 'id', message: 'must be a UUID' });
      if (v.length > 0) throw new ValidationFailedError(v);
      if (state.status !== 'absent')
        throw new ConflictError(`egress profile ${d.egressProfileId} already exists`);
      return [
        {
          type: 'EgressProfileCreated',
          data: { egressProfileId: d.egressProfileId, ownerId: owner(m), settings, createdAt: m.now },
        },
      ];
    }
    case 'UpdateEgressProfile': {
      const current = visible(state, command.data.egressProfileId, m);
      const settings = merge(current.settings, command.data.settings);
      const v = validateSettings(settings);
      if (v.length > 0) throw new ValidationFailedError(v);
      if (JSON.stringify(settings) === JSON.stringify(current.settings)) return [];
      return [
        {
          type: 'EgressProfileUpdated',
          data: { egressProfileId: current.egressProfileId, settings, updatedAt: m.now },
        },
      ];
    }
    case 'DisableEgressProfile': {
      const current = visible(state, command.data.egressProfileId, m);
      return current.status === 'disabled'
        ? []
        : [
            {
              type: 'EgressProfileDisabled',
              data: { egressProfileId: current.egressProfileId, disabledAt: m.now },
            },
          ];
    }
    case 'EnableEgressProfile': {
      const current = visible(state, command.data.egressProfileId, m);
      return current.status === 'active'
        ? []
        : [
            {
              type: 'EgressProfileEnabled',
              data: { egressProfileId: current.egressProfileId, enabledAt: m.now },
            },
          ];
    }
    case 'RecordEgressProbe': {
      const current = visible(state, command.data.egressProfileId, m);
      if (current.status === 'disabled')
        throw new IllegalStateError('a disabled egress profile cannot be probed; enable it first');
      const d = command.data;
      return [
        {
          type: 'EgressProfileProbed',
          data: {
            egressProfileId: current.egressProfileId,
            outcome: d.outcome,
            latencyMs: d.latencyMs,
            detail: d.detail.slice(0, 300),
            probedAt: m.now,
          },
        },
      ];
    }
    default:
      return assertNever(command, 'egress profile command');
  }
};

export const egressProfileDecider: Decider<EgressProfileCommand, EgressProfileEvent, EgressProfileState> = {
  decide: decideEgressProfile,
  evolve: evolveEgressProfile,
  initialState: () => ({ status: 'absent' }),
  ownerOf: (s) => (s.status === 'absent' ? undefined : s.ownerId),
};

export const egressProfileAggregate: AggregateRegistration = {
  name: 'egressProfile',
  streamPrefix: EGRESS_PROFILE_STREAM_PREFIX,
  decider: egressProfileDecider,
  upcasters: egressUpcasters,
};
