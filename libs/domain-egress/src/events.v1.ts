/** Version 1 of the egress-profile events, FROZEN: stored shapes are never edited. */
import type { DomainEvent } from '@bpane/ddd';

export type ProxyV1 = Readonly<{
  /** `http://host:port`, `https://host:port` or `socks5://host:port`; never with credentials. */
  url: string;
  /** Hosts or suffixes (`.example.com`) that bypass the proxy. */
  bypass: readonly string[];
  /** Credential binding resolved at runtime launch for proxy authentication; never the secret. */
  credentialBindingId: string | null;
}>;

export type TrafficObservationV1 = Readonly<{
  mode: 'metadata_only' | 'tls_intercept';
  /** Required for `tls_intercept`: where decrypted-traffic logs go (an approved SIEM target). */
  sensitiveLogSinkRef: string | null;
}>;

export type EgressProfileSettingsV1 = Readonly<{
  name: string;
  description: string | null;
  labels: Readonly<Record<string, string>>;
  proxy: ProxyV1 | null;
  /** A reference to a custom CA bundle (`file:///…` or a provider reference); never the material. */
  customCaRef: string | null;
  trafficObservation: TrafficObservationV1;
}>;

export type EgressProfileCreatedV1 = DomainEvent<
  'EgressProfileCreated',
  Readonly<{ egressProfileId: string; ownerId: string; settings: EgressProfileSettingsV1; createdAt: string }>
>;

export type EgressProfileUpdatedV1 = DomainEvent<
  'EgressProfileUpdated',
  Readonly<{ egressProfileId: string; settings: EgressProfileSettingsV1; updatedAt: string }>
>;

export type EgressProfileDisabledV1 = DomainEvent<
  'EgressProfileDisabled',
  Readonly<{ egressProfileId: string; disabledAt: string }>
>;

export type EgressProfileEnabledV1 = DomainEvent<
  'EgressProfileEnabled',
  Readonly<{ egressProfileId: string; enabledAt: string }>
>;

/** The outcome of a probe through the proxy, sanitized: no URLs requested, headers or credentials. */
export type EgressProfileProbedV1 = DomainEvent<
  'EgressProfileProbed',
  Readonly<{
    egressProfileId: string;
    outcome: 'reachable' | 'unreachable' | 'rejected' | 'auth_required' | 'no_proxy';
    latencyMs: number | null;
    detail: string;
    probedAt: string;
  }>
>;
