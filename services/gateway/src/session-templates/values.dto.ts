import type {
  NetworkIdentity,
  NetworkIdentityInput,
  OwnerMode,
  RecordingInput,
  RecordingMode,
  RecordingPolicy,
  Viewport,
} from '@bpane/domain-sessions';

/** API shapes (snake_case) of the values sessions and templates share; see `55-session-templates.yaml`. */
export type GeolocationDto = { latitude: number; longitude: number; accuracy_m?: number | null };

export type NetworkIdentityBody = {
  locale?: string | null;
  languages?: string[];
  timezone?: string | null;
  geolocation?: GeolocationDto | null;
  user_agent?: string | null;
  egress_profile_id?: string | null;
};

export type NetworkIdentityDto = {
  locale: string | null;
  languages: string[];
  timezone: string | null;
  geolocation: { latitude: number; longitude: number; accuracy_m: number | null } | null;
  user_agent: string | null;
  egress_profile_id: string | null;
};

export type RecordingBody = { mode?: RecordingMode; retention_days?: number | null };
export type RecordingDto = { mode: RecordingMode; retention_days: number | null };
export type ViewportDto = { width: number; height: number };
export type OwnerModeDto = OwnerMode;

export const networkIdentityFromBody = (
  b: NetworkIdentityBody | undefined,
): NetworkIdentityInput | undefined => {
  if (b === undefined) return undefined;
  const out: NetworkIdentityInput = {};
  if (b.locale !== undefined) out.locale = b.locale;
  if (b.languages !== undefined) out.languages = b.languages;
  if (b.timezone !== undefined) out.timezone = b.timezone;
  if (b.geolocation !== undefined)
    out.geolocation =
      b.geolocation === null
        ? null
        : {
            latitude: b.geolocation.latitude,
            longitude: b.geolocation.longitude,
            accuracyM: b.geolocation.accuracy_m ?? null,
          };
  if (b.user_agent !== undefined) out.userAgent = b.user_agent;
  if (b.egress_profile_id !== undefined) out.egressProfileId = b.egress_profile_id;
  return out;
};

export const networkIdentityToDto = (n: NetworkIdentity): NetworkIdentityDto => ({
  locale: n.locale,
  languages: [...n.languages],
  timezone: n.timezone,
  geolocation:
    n.geolocation === null
      ? null
      : {
          latitude: n.geolocation.latitude,
          longitude: n.geolocation.longitude,
          accuracy_m: n.geolocation.accuracyM,
        },
  user_agent: n.userAgent,
  egress_profile_id: n.egressProfileId,
});

export const recordingFromBody = (b: RecordingBody | undefined): RecordingInput | undefined => {
  if (b === undefined) return undefined;
  const out: RecordingInput = {};
  if (b.mode !== undefined) out.mode = b.mode;
  if (b.retention_days !== undefined) out.retentionDays = b.retention_days;
  return out;
};

export const recordingToDto = (r: RecordingPolicy): RecordingDto => ({
  mode: r.mode,
  retention_days: r.retentionDays,
});

export const viewportToDto = (v: Viewport): ViewportDto => ({ width: v.width, height: v.height });

/** Labels from `label.<key>=<value>` query parameters (and the same for another prefix). */
export const prefixedFilters = (
  query: Record<string, unknown>,
  prefix: string,
): Record<string, string> | undefined => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query))
    if (k.startsWith(prefix) && typeof v === 'string') out[k.slice(prefix.length)] = v;
  return Object.keys(out).length > 0 ? out : undefined;
};
