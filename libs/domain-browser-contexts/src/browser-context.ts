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
  type DomainEvent,
  type FieldViolation,
} from '@bpane/ddd';
import { assertNever } from '@bpane/errors';

/** Settings of a reusable browser context (a named Chromium profile); v1 shapes are frozen. */
export type BrowserContextSettingsV1 = Readonly<{
  name: string;
  description: string | null;
  labels: Readonly<Record<string, string>>;
  /** Seconds after the last use (or creation) when retention cleanup may delete it; null = keep. */
  retentionSec: number | null;
  /** Profile storage limit; beyond it new reusable sessions from this context are refused. */
  maxProfileStorageBytes: number | null;
}>;

export type BrowserContextCreatedV1 = DomainEvent<
  'BrowserContextCreated',
  Readonly<{
    contextId: string;
    ownerId: string;
    settings: BrowserContextSettingsV1;
    /** The context this one was cloned from, if any. */
    clonedFrom: string | null;
    createdAt: string;
  }>
>;
export type BrowserContextUpdatedV1 = DomainEvent<
  'BrowserContextUpdated',
  Readonly<{ contextId: string; settings: BrowserContextSettingsV1; updatedAt: string }>
>;
export type BrowserContextDeletedV1 = DomainEvent<
  'BrowserContextDeleted',
  Readonly<{ contextId: string; deletedAt: string }>
>;

export type BrowserContextEvent = BrowserContextCreatedV1 | BrowserContextUpdatedV1 | BrowserContextDeletedV1;
export const browserContextEventTypes: readonly BrowserContextEvent['type'][] = [
  'BrowserContextCreated',
  'BrowserContextUpdated',
  'BrowserContextDeleted',
];
export const isBrowserContextEvent = (e: { type: string }): e is BrowserContextEvent =>
  (browserContextEventTypes as readonly string[]).includes(e.type);
export const browserContextUpcasters = createUpcasterRegistry([]);
export const BROWSER_CONTEXT_STREAM_PREFIX = 'browserContext-';
export const browserContextStreamId = (id: string): string => `${BROWSER_CONTEXT_STREAM_PREFIX}${id}`;

export type SettingsInput = Partial<BrowserContextSettingsV1>;

export type CreateBrowserContext = Command<
  'CreateBrowserContext',
  Readonly<{ contextId: string; settings: SettingsInput; clonedFrom?: string | null }>
>;
export type UpdateBrowserContext = Command<
  'UpdateBrowserContext',
  Readonly<{ contextId: string; settings: SettingsInput }>
>;
/** `activeWriterSessionId` is what the runtime side knows: a context in use cannot be deleted. */
export type DeleteBrowserContext = Command<
  'DeleteBrowserContext',
  Readonly<{ contextId: string; activeWriterSessionId: string | null }>
>;
export type BrowserContextCommand = CreateBrowserContext | UpdateBrowserContext | DeleteBrowserContext;

type Fields = Readonly<{
  contextId: string;
  ownerId: string;
  settings: BrowserContextSettingsV1;
  clonedFrom: string | null;
  createdAt: string;
  updatedAt: string;
}>;
export type BrowserContextState =
  | Readonly<{ status: 'absent' }>
  | (Fields & Readonly<{ status: 'ready' }>)
  | (Fields & Readonly<{ status: 'deleted'; deletedAt: string }>);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL_KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
export const browserContextLimits = {
  nameMaxLength: 120,
  descriptionMaxLength: 2000,
  maxRetentionSec: 10 * 365 * 24 * 3600,
  maxProfileStorageBytes: 1_099_511_627_776,
} as const;

const defaults: BrowserContextSettingsV1 = {
  name: '',
  description: null,
  labels: {},
  retentionSec: null,
  maxProfileStorageBytes: null,
};

const merge = (base: BrowserContextSettingsV1, i: SettingsInput): BrowserContextSettingsV1 => ({
  name: i.name?.trim() ?? base.name,
  description: i.description === undefined ? base.description : i.description,
  labels: i.labels ?? base.labels,
  retentionSec: i.retentionSec === undefined ? base.retentionSec : i.retentionSec,
  maxProfileStorageBytes:
    i.maxProfileStorageBytes === undefined ? base.maxProfileStorageBytes : i.maxProfileStorageBytes,
});

export const validateBrowserContextSettings = (s: BrowserContextSettingsV1): FieldViolation[] => {
  const v: FieldViolation[] = [];
  const L = browserContextLimits;
  if (s.name.length === 0) v.push({ field: 'name', message: 'must not be empty' });
  else if ([...s.name].length > L.nameMaxLength || CONTROL.test(s.name))
    v.push({ field: 'name', message: `must be at most ${L.nameMaxLength} printable characters` });
  if (s.description !== null && [...s.description].length > L.descriptionMaxLength)
    v.push({ field: 'description', message: `must be at most ${L.descriptionMaxLength} characters` });
  for (const [k, val] of Object.entries(s.labels))
    if (!LABEL_KEY.test(k) || typeof val !== 'string' || val.length > 256)
      v.push({
        field: `labels.${k}`,
        message: 'must be a valid label key with a string value of at most 256 characters',
      });
  if (
    s.retentionSec !== null &&
    (!Number.isInteger(s.retentionSec) || s.retentionSec < 60 || s.retentionSec > L.maxRetentionSec)
  )
    v.push({
      field: 'retention_sec',
      message: `must be an integer from 60 to ${L.maxRetentionSec}, or null`,
    });
  if (
    s.maxProfileStorageBytes !== null &&
    (!Number.isInteger(s.maxProfileStorageBytes) ||
      s.maxProfileStorageBytes < 1_048_576 ||
      s.maxProfileStorageBytes > L.maxProfileStorageBytes)
  )
    v.push({
      field: 'max_profile_storage_bytes',
      message: `must be an integer from 1048576 to ${L.maxProfileStorageBytes}, or null`,
    });
  return v;
};

export const evolveBrowserContext = (
  state: BrowserContextState,
  e: BrowserContextEvent,
): BrowserContextState => {
  switch (e.type) {
    case 'BrowserContextCreated':
      return {
        status: 'ready',
        contextId: e.data.contextId,
        ownerId: e.data.ownerId,
        settings: e.data.settings,
        clonedFrom: e.data.clonedFrom,
        createdAt: e.data.createdAt,
        updatedAt: e.data.createdAt,
      };
    case 'BrowserContextUpdated':
      return state.status === 'ready'
        ? { ...state, settings: e.data.settings, updatedAt: e.data.updatedAt }
        : state;
    case 'BrowserContextDeleted':
      return state.status === 'ready'
        ? { ...state, status: 'deleted', deletedAt: e.data.deletedAt, updatedAt: e.data.deletedAt }
        : state;
    default:
      return assertNever(e, 'browser context event');
  }
};

const owner = (m: CommandMetadata): string => m.ownerId ?? m.actor.id;
const visible = (state: BrowserContextState, id: string, m: CommandMetadata) => {
  if (state.status !== 'ready' || state.contextId !== id) throw new NotFoundError('browser context', id);
  if (m.actor.kind !== 'system' && state.ownerId !== owner(m)) throw new NotFoundError('browser context', id);
  return state;
};

export const decideBrowserContext = (
  c: BrowserContextCommand,
  state: BrowserContextState,
): BrowserContextEvent[] => {
  const m = c.metadata;
  switch (c.type) {
    case 'CreateBrowserContext': {
      const settings = merge(defaults, c.data.settings);
      const v = validateBrowserContextSettings(settings);
      if (!UUID.test(c.data.contextId)) v.unshift({ field: 'id', message: 'must be a UUID' });
      if (c.data.clonedFrom != null && !UUID.test(c.data.clonedFrom))
        v.push({ field: 'cloned_from', message: 'must be a UUID' });
      if (v.length > 0) throw new ValidationFailedError(v);
      if (state.status !== 'absent')
        throw new ConflictError(`browser context ${c.data.contextId} already exists`);
      return [
        {
          type: 'BrowserContextCreated',
          data: {
            contextId: c.data.contextId,
            ownerId: owner(m),
            settings,
            clonedFrom: c.data.clonedFrom ?? null,
            createdAt: m.now,
          },
        },
      ];
    }
    case 'UpdateBrowserContext': {
      const cur = visible(state, c.data.contextId, m);
      const settings = merge(cur.settings, c.data.settings);
      const v = validateBrowserContextSettings(settings);
      if (v.length > 0) throw new ValidationFailedError(v);
      if (JSON.stringify(settings) === JSON.stringify(cur.settings)) return [];
      return [
        { type: 'BrowserContextUpdated', data: { contextId: cur.contextId, settings, updatedAt: m.now } },
      ];
    }
    case 'DeleteBrowserContext': {
      const cur = visible(state, c.data.contextId, m);
      if (c.data.activeWriterSessionId !== null)
        throw new IllegalStateError(
          `browser context ${cur.contextId} is in use by session ${c.data.activeWriterSessionId}; stop or release it first`,
          {
            blockers: [{ code: 'active_writer', session_id: c.data.activeWriterSessionId }],
          },
        );
      return [{ type: 'BrowserContextDeleted', data: { contextId: cur.contextId, deletedAt: m.now } }];
    }
    default:
      return assertNever(c, 'browser context command');
  }
};

export const browserContextDecider: Decider<BrowserContextCommand, BrowserContextEvent, BrowserContextState> =
  {
    decide: decideBrowserContext,
    evolve: evolveBrowserContext,
    initialState: () => ({ status: 'absent' }),
    ownerOf: (s) => (s.status === 'absent' ? undefined : s.ownerId),
  };

export const browserContextAggregate: AggregateRegistration = {
  name: 'browserContext',
  streamPrefix: BROWSER_CONTEXT_STREAM_PREFIX,
  decider: browserContextDecider,
  upcasters: browserContextUpcasters,
};
