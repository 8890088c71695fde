import type { FieldViolation } from '@bpane/ddd';

/**
 * Value types shared by session templates and sessions. Stored inside frozen v1 events, so their
 * shapes only ever grow. Field names in violations are the API's (snake_case).
 */
export type OwnerMode = 'collaborative' | 'exclusive_owner';
export const OWNER_MODES: readonly OwnerMode[] = ['collaborative', 'exclusive_owner'];

export type Viewport = Readonly<{ width: number; height: number }>;

export type Geolocation = Readonly<{ latitude: number; longitude: number; accuracyM: number | null }>;

/** Declared network identity of a browser; `null` / `[]` means "not declared". */
export type NetworkIdentity = Readonly<{
  locale: string | null;
  languages: readonly string[];
  timezone: string | null;
  geolocation: Geolocation | null;
  userAgent: string | null;
  /** An egress profile id (owned by the egress-profiles context; only its syntax is checked). */
  egressProfileId: string | null;
}>;

export type RecordingMode = 'disabled' | 'manual' | 'always';
export const RECORDING_MODES: readonly RecordingMode[] = ['disabled', 'manual', 'always'];

/** `retentionDays: null` keeps recordings until they are deleted. */
export type RecordingPolicy = Readonly<{ mode: RecordingMode; retentionDays: number | null }>;

export type StringMap = Readonly<Record<string, string>>;

export const sessionLimits = {
  nameMaxLength: 120,
  descriptionMaxLength: 2000,
  maxLabels: 64,
  labelValueMaxLength: 256,
  maxIntegrationEntries: 64,
  integrationKeyMaxLength: 128,
  integrationValueMaxLength: 1024,
  viewportMinWidth: 320,
  viewportMaxWidth: 7680,
  viewportMinHeight: 200,
  viewportMaxHeight: 4320,
  idleTimeoutMinSec: 30,
  idleTimeoutMaxSec: 604_800,
  maxLanguages: 16,
  userAgentMaxLength: 512,
  retentionMaxDays: 3650,
} as const;

/** What a session gets when neither the request nor its template says otherwise. */
export const sessionDefaults = {
  ownerMode: 'collaborative' as OwnerMode,
  viewport: { width: 1280, height: 720 } as Viewport,
  idleTimeoutSec: 300,
  recording: { mode: 'disabled', retentionDays: null } as RecordingPolicy,
} as const;

export const emptyNetworkIdentity: NetworkIdentity = {
  locale: null,
  languages: [],
  timezone: null,
  geolocation: null,
  userAgent: null,
  egressProfileId: null,
};

export const LABEL_KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
export const INTEGRATION_KEY = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const TIMEZONE = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$|^UTC$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const len = (s: string): number => [...s].length;

export const validateUuid = (value: unknown, field: string, out: FieldViolation[]): void => {
  if (typeof value !== 'string' || !UUID.test(value)) out.push({ field, message: 'must be a UUID' });
};

export const validateNullableUuid = (value: unknown, field: string, out: FieldViolation[]): void => {
  if (value !== null) validateUuid(value, field, out);
};

export const validateName = (name: unknown, out: FieldViolation[]): void => {
  if (typeof name !== 'string') {
    out.push({ field: 'name', message: 'must be a string' });
    return;
  }
  const t = name.trim();
  if (t.length === 0) out.push({ field: 'name', message: 'must not be empty' });
  else if (len(t) > sessionLimits.nameMaxLength)
    out.push({ field: 'name', message: `must be at most ${sessionLimits.nameMaxLength} characters` });
  else if (CONTROL.test(t)) out.push({ field: 'name', message: 'must not contain control characters' });
};

export const validateDescription = (d: unknown, out: FieldViolation[]): void => {
  if (d === null) return;
  if (typeof d !== 'string') out.push({ field: 'description', message: 'must be a string or null' });
  else if (len(d) > sessionLimits.descriptionMaxLength)
    out.push({
      field: 'description',
      message: `must be at most ${sessionLimits.descriptionMaxLength} characters`,
    });
};

export const validateOwnerMode = (v: unknown, field: string, out: FieldViolation[]): void => {
  if (!(OWNER_MODES as readonly unknown[]).includes(v))
    out.push({ field, message: `must be one of ${OWNER_MODES.join(', ')}` });
};

const intIn = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

export const validateViewport = (v: unknown, field: string, out: FieldViolation[]): void => {
  if (!isObject(v)) {
    out.push({ field, message: 'must be an object with width and height' });
    return;
  }
  const L = sessionLimits;
  if (!intIn(v['width'], L.viewportMinWidth, L.viewportMaxWidth))
    out.push({
      field: `${field}.width`,
      message: `must be an integer from ${L.viewportMinWidth} to ${L.viewportMaxWidth}`,
    });
  if (!intIn(v['height'], L.viewportMinHeight, L.viewportMaxHeight))
    out.push({
      field: `${field}.height`,
      message: `must be an integer from ${L.viewportMinHeight} to ${L.viewportMaxHeight}`,
    });
};

export const validateIdleTimeout = (v: unknown, field: string, out: FieldViolation[]): void => {
  const L = sessionLimits;
  if (!intIn(v, L.idleTimeoutMinSec, L.idleTimeoutMaxSec))
    out.push({ field, message: `must be an integer from ${L.idleTimeoutMinSec} to ${L.idleTimeoutMaxSec}` });
};

export const validateLabels = (labels: unknown, field: string, out: FieldViolation[]): void => {
  if (!isObject(labels)) {
    out.push({ field, message: 'must be an object of string values' });
    return;
  }
  const entries = Object.entries(labels);
  if (entries.length > sessionLimits.maxLabels)
    out.push({ field, message: `must have at most ${sessionLimits.maxLabels} entries` });
  for (const [key, value] of entries) {
    if (!LABEL_KEY.test(key))
      out.push({
        field: `${field}.${key}`,
        message: 'key must be 1-63 of a-z 0-9 . _ / - and start and end with a letter or digit',
      });
    if (typeof value !== 'string') out.push({ field: `${field}.${key}`, message: 'value must be a string' });
    else if (len(value) > sessionLimits.labelValueMaxLength || CONTROL.test(value))
      out.push({
        field: `${field}.${key}`,
        message: `value must be at most ${sessionLimits.labelValueMaxLength} characters without control characters`,
      });
  }
};

export const validateIntegrationContext = (ctx: unknown, field: string, out: FieldViolation[]): void => {
  if (!isObject(ctx)) {
    out.push({ field, message: 'must be an object of string values' });
    return;
  }
  const entries = Object.entries(ctx);
  if (entries.length > sessionLimits.maxIntegrationEntries)
    out.push({ field, message: `must have at most ${sessionLimits.maxIntegrationEntries} entries` });
  for (const [key, value] of entries) {
    if (!INTEGRATION_KEY.test(key))
      out.push({
        field: `${field}.${key}`,
        message: 'key must be 1-128 of A-Z a-z 0-9 . _ : / - starting with a letter or digit',
      });
    if (typeof value !== 'string') out.push({ field: `${field}.${key}`, message: 'value must be a string' });
    else if (len(value) > sessionLimits.integrationValueMaxLength || CONTROL.test(value))
      out.push({
        field: `${field}.${key}`,
        message: `value must be at most ${sessionLimits.integrationValueMaxLength} characters without control characters`,
      });
  }
};

const nullableString = (
  v: unknown,
  field: string,
  ok: (s: string) => boolean,
  message: string,
  out: FieldViolation[],
): void => {
  if (v === null || v === undefined) return;
  if (typeof v !== 'string' || !ok(v)) out.push({ field, message });
};

/** Validates a (possibly partial) network identity: every key is optional. */
export const validateNetworkIdentity = (v: unknown, field: string, out: FieldViolation[]): void => {
  if (!isObject(v)) {
    out.push({ field, message: 'must be an object' });
    return;
  }
  const known = new Set(['locale', 'languages', 'timezone', 'geolocation', 'userAgent', 'egressProfileId']);
  for (const k of Object.keys(v))
    if (!known.has(k)) out.push({ field: `${field}.${k}`, message: 'is unknown' });
  nullableString(
    v['locale'],
    `${field}.locale`,
    (s) => LOCALE.test(s),
    'must be a BCP 47 tag like en-US',
    out,
  );
  const langs = v['languages'];
  if (langs !== undefined) {
    if (!Array.isArray(langs) || langs.length > sessionLimits.maxLanguages)
      out.push({
        field: `${field}.languages`,
        message: `must be a list of at most ${sessionLimits.maxLanguages} language tags`,
      });
    else
      langs.forEach((l, i) => {
        if (typeof l !== 'string' || !LOCALE.test(l))
          out.push({ field: `${field}.languages[${i}]`, message: 'must be a BCP 47 tag like de-CH' });
      });
  }
  nullableString(
    v['timezone'],
    `${field}.timezone`,
    (s) => TIMEZONE.test(s) && s.length <= 64,
    'must be an IANA time zone like Europe/Zurich',
    out,
  );
  const geo = v['geolocation'];
  if (geo !== undefined && geo !== null) {
    if (!isObject(geo)) out.push({ field: `${field}.geolocation`, message: 'must be an object or null' });
    else {
      const lat = geo['latitude'];
      const lon = geo['longitude'];
      const acc = geo['accuracyM'];
      if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90)
        out.push({ field: `${field}.geolocation.latitude`, message: 'must be a number from -90 to 90' });
      if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180)
        out.push({ field: `${field}.geolocation.longitude`, message: 'must be a number from -180 to 180' });
      if (acc !== undefined && acc !== null && (typeof acc !== 'number' || !(acc >= 0) || acc > 1_000_000))
        out.push({
          field: `${field}.geolocation.accuracy_m`,
          message: 'must be a number from 0 to 1000000 or null',
        });
    }
  }
  nullableString(
    v['userAgent'],
    `${field}.user_agent`,
    (s) => s.length > 0 && len(s) <= sessionLimits.userAgentMaxLength && !CONTROL.test(s),
    `must be 1-${sessionLimits.userAgentMaxLength} characters without control characters`,
    out,
  );
  nullableString(
    v['egressProfileId'],
    `${field}.egress_profile_id`,
    (s) => UUID.test(s),
    'must be a UUID',
    out,
  );
};

/** Validates a (possibly partial) recording policy. */
export const validateRecording = (v: unknown, field: string, out: FieldViolation[]): void => {
  if (!isObject(v)) {
    out.push({ field, message: 'must be an object' });
    return;
  }
  if (v['mode'] !== undefined && !(RECORDING_MODES as readonly unknown[]).includes(v['mode']))
    out.push({ field: `${field}.mode`, message: `must be one of ${RECORDING_MODES.join(', ')}` });
  const r = v['retentionDays'];
  if (r !== undefined && r !== null && !intIn(r, 1, sessionLimits.retentionMaxDays))
    out.push({
      field: `${field}.retention_days`,
      message: `must be null or an integer from 1 to ${sessionLimits.retentionMaxDays}`,
    });
};

/** A plain object with keys sorted, so equal maps compare (and fingerprint) equally. */
export const sortedMap = (m: StringMap): StringMap =>
  Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export type NetworkIdentityInput = Partial<{
  -readonly [K in keyof NetworkIdentity]: NetworkIdentity[K];
}>;
export type RecordingInput = Partial<{ -readonly [K in keyof RecordingPolicy]: RecordingPolicy[K] }>;

/** Field by field: a declared (non-null, non-empty) value in `over` wins over `base`. */
export const mergeNetworkIdentity = (
  base: NetworkIdentity,
  over: NetworkIdentityInput | undefined,
): NetworkIdentity => {
  if (over === undefined) return base;
  return {
    locale: over.locale !== undefined ? over.locale : base.locale,
    languages: over.languages !== undefined ? [...over.languages] : base.languages,
    timezone: over.timezone !== undefined ? over.timezone : base.timezone,
    geolocation:
      over.geolocation === undefined
        ? base.geolocation
        : over.geolocation === null
          ? null
          : {
              latitude: over.geolocation.latitude,
              longitude: over.geolocation.longitude,
              accuracyM: over.geolocation.accuracyM ?? null,
            },
    userAgent: over.userAgent !== undefined ? over.userAgent : base.userAgent,
    egressProfileId: over.egressProfileId !== undefined ? over.egressProfileId : base.egressProfileId,
  };
};

export const mergeRecording = (base: RecordingPolicy, over: RecordingInput | undefined): RecordingPolicy =>
  over === undefined
    ? base
    : {
        mode: over.mode ?? base.mode,
        retentionDays: over.retentionDays !== undefined ? over.retentionDays : base.retentionDays,
      };

export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
