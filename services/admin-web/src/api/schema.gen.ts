// GENERATED from openapi/bpane-control-v1.yaml by services/admin-web/tools/generate-schema.ts.
// Do not edit by hand: run `npx tsx services/admin-web/tools/generate-schema.ts`.

export type Uuid = string;

export type Timestamp = string;

export type Labels = {
  [key: string]: string;
};

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: Array<{
    field: string;
    message: string;
  }>;
};

export type Health = {
  status: 'ok' | 'degraded';
  checks?: {
    [key: string]: string;
  };
};

export type IdentityMe = {
  principal_type: 'user' | 'service_principal';
  subject: string;
  issuer: string;
  username?: string | null;
  email?: string | null;
  display_name?: string | null;
  client_id?: string | null;
  groups: Array<string>;
};

export type ActivationState = 'active' | 'disabled';

export type ServicePrincipalCreate = {
  client_id: string;
  issuer?: string | null;
  display_name: string;
  description?: string | null;
  labels?: Labels;
  client_request_id?: string;
};

export type ServicePrincipalUpdate = {
  display_name?: string;
  description?: string | null;
  labels?: Labels;
  state?: ActivationState;
};

export type ServicePrincipal = {
  id: Uuid;
  client_id: string;
  issuer: string | null;
  display_name: string;
  description: string | null;
  labels: Labels;
  state: ActivationState;
  created_at: Timestamp;
  updated_at: Timestamp;
  disabled_at: Timestamp | null;
};

export type ServicePrincipalList = {
  items: Array<ServicePrincipal>;
  total: number;
  limit: number;
  offset: number;
};

export type MappingSubjectKind = 'user' | 'group' | 'claim' | 'service_principal';

/** Who the mapping matches. Claims are limited to the bounded safe claim set. */
export type MappingSubject =
  | {
      kind: 'user';
      subject: string;
    }
  | {
      kind: 'group';
      group: string;
    }
  | {
      kind: 'claim';
      claim: string;
      value: string;
    }
  | {
      kind: 'service_principal';
      service_principal_id: Uuid;
    };

export type MappingRole = 'member' | 'viewer';

export type IdentityMappingCreate = {
  subject: MappingSubject;
  project_id: Uuid;
  role?: MappingRole;
  description?: string | null;
  client_request_id?: string;
};

export type IdentityMappingUpdate = {
  project_id?: Uuid;
  role?: MappingRole;
  description?: string | null;
  state?: ActivationState;
};

export type IdentityMapping = {
  id: Uuid;
  subject: MappingSubject;
  project_id: Uuid;
  /** Name of the mapped project (null if it is gone). */
  project_name: string | null;
  role: MappingRole;
  description: string | null;
  state: ActivationState;
  created_at: Timestamp;
  updated_at: Timestamp;
  disabled_at: Timestamp | null;
};

export type IdentityMappingList = {
  items: Array<IdentityMapping>;
  total: number;
  limit: number;
  offset: number;
};

export type AccessReview = {
  principal: IdentityMe;
  /** Active mappings that match the calling principal. */
  matched_mappings: Array<IdentityMapping>;
  /** Groups and safe claim values of the caller that no active mapping covers. */
  unmapped_signals: Array<{
    kind: 'group' | 'claim' | 'service_principal';
    name: string;
    value: string;
  }>;
  service_principals: Array<ServicePrincipal>;
  identity_mappings: Array<IdentityMapping>;
  projects: Array<{
    id: Uuid;
    name: string;
    state: string;
    active_mappings: number;
    active_sessions: number;
  }>;
  resource_counts: {
    [key: string]: number;
  };
  /** Sessions whose automation is currently delegated to another principal. */
  delegated_automation: Array<{
    session_id: Uuid;
    principal: string;
    service_principal_id?: string | null;
    service_principal_state?: string | null;
  }>;
};

export type ProjectState = 'active' | 'archived';

export type ProjectQuotas = {
  max_active_sessions?: number | null;
  max_active_workflow_runs?: number | null;
  max_retained_storage_bytes?: number | null;
};

export type ProjectCreate = {
  name: string;
  description?: string | null;
  labels?: Labels;
  quotas?: ProjectQuotas;
  client_request_id?: string;
};

export type ProjectUpdate = {
  name?: string;
  description?: string | null;
  labels?: Labels;
  quotas?: ProjectQuotas;
  state?: ProjectState;
};

export type Project = {
  id: Uuid;
  name: string;
  description: string | null;
  labels: Labels;
  state: ProjectState;
  quotas: ProjectQuotas;
  created_at: Timestamp;
  updated_at: Timestamp;
  archived_at: Timestamp | null;
};

export type ProjectList = {
  items: Array<Project>;
  total: number;
  limit: number;
  offset: number;
};

export type ProjectUsage = {
  project_id: Uuid;
  active_sessions: number;
  active_workflow_runs: number;
  retained_storage_bytes: number;
  quotas: ProjectQuotas;
};

export type AuditEvent = {
  id: Uuid;
  type: string;
  stream_id: string;
  revision: string;
  position: string;
  occurred_at: Timestamp;
  recorded_at: Timestamp;
  correlation_id?: string | null;
  causation_id?: string | null;
  actor: {
    kind: 'user' | 'service' | 'system';
    id: string;
  };
  data: Record<string, unknown>;
};

export type EventPage = {
  items: Array<AuditEvent>;
  /** The position this page read up to; pass it as `after` to continue (also to poll for new events once `end_of_log` is true). */
  next_after: string;
  /** True when the page reached the end of the log as it was when it was read. */
  end_of_log: boolean;
};

export type AggregateState = {
  stream_id: string;
  aggregate: string;
  at_position: string | null;
  event_count: number;
  revision: string | null;
  position: string | null;
  /** The aggregate's state (its own shape). */
  state: unknown;
};

export type SessionState =
  'pending' | 'starting' | 'ready' | 'idle' | 'stopping' | 'stopped' | 'failed' | 'expired';

export type SessionRuntimeState = 'none' | 'starting' | 'running' | 'stopping' | 'released' | 'failed';

export type SessionPresenceState = 'empty' | 'connected' | 'automation';

export type SessionAdmission = {
  decision: 'admitted' | 'queued' | 'owner_scoped';
  /** owner_scoped, unlimited_quota, within_quota, quota_exhausted or capacity_freed. */
  reason: string;
  project_id: Uuid | null;
  /** Current 1-based place in the project queue (queued sessions only). */
  queue_position: number | null;
  decided_at: Timestamp;
};

export type SessionConnectionCounts = {
  owner: number;
  collaborator: number;
  viewer: number;
  automation: number;
  total: number;
};

export type SessionStopBlocker = {
  /** state, active_connections, automation_owner or mcp_owner. */
  code: string;
  message: string;
  count?: number;
};

export type SessionStopEligibility = {
  allowed: boolean;
  blockers: Array<SessionStopBlocker>;
};

export type SessionAutomationOwner = {
  client_id: string;
  set_at: Timestamp;
};

export type SessionMcpOwner = {
  principal_type: 'user' | 'service_principal';
  client_id: string | null;
  claimed_at: Timestamp;
};

export type SessionRuntimeAssignment = {
  runtime_id: string;
  backend: string;
  assigned_at: Timestamp;
  released_at: Timestamp | null;
};

export type SessionFailure = {
  code: string;
  message: string;
};

export type Session = {
  id: Uuid;
  state: SessionState;
  runtime_state: SessionRuntimeState;
  presence_state: SessionPresenceState;
  owner_mode: OwnerMode;
  template_id: Uuid | null;
  project_id: Uuid | null;
  admission: SessionAdmission | null;
  viewport: Viewport;
  idle_timeout_sec: number;
  idle_since: Timestamp | null;
  idle_expires_at: Timestamp | null;
  labels: Labels;
  integration_context: IntegrationContext;
  network_identity: NetworkIdentity;
  recording: RecordingPolicy;
  connection_counts: SessionConnectionCounts;
  stop_eligibility: SessionStopEligibility;
  automation_owner: SessionAutomationOwner | null;
  mcp_owner: SessionMcpOwner | null;
  runtime: SessionRuntimeAssignment | null;
  runtime_released_at: Timestamp | null;
  stop_reason: 'stop' | 'release' | 'kill' | 'cancel' | 'runtime' | null;
  failure: SessionFailure | null;
  stopped_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type SessionList = {
  items: Array<Session>;
  total: number;
  limit: number;
  offset: number;
};

export type SessionCreate = {
  template_id?: Uuid;
  project_id?: Uuid | null;
  owner_mode?: OwnerMode;
  viewport?: Viewport;
  idle_timeout_sec?: number;
  labels?: Labels;
  integration_context?: IntegrationContext;
  network_identity?: NetworkIdentityInput;
  recording?: RecordingPolicyInput;
  client_request_id?: string;
};

export type SessionAutomationOwnerSet = {
  client_id: string;
};

export type SessionConnection = {
  connection_id: string;
  role: 'owner' | 'collaborator' | 'viewer' | 'automation';
  principal_type: 'user' | 'service_principal';
  opened_at: Timestamp;
};

export type SessionProjectSummary = {
  id: Uuid;
  name: string;
  state: ProjectState;
};

export type SessionStatus = {
  session_id: Uuid;
  state: SessionState;
  runtime_state: SessionRuntimeState;
  presence_state: SessionPresenceState;
  owner_mode: OwnerMode;
  connection_counts: SessionConnectionCounts;
  connections: Array<SessionConnection>;
  stop_eligibility: SessionStopEligibility;
  idle_timeout_sec: number;
  idle_since: Timestamp | null;
  idle_expires_at: Timestamp | null;
  admission: SessionAdmission | null;
  project: SessionProjectSummary | null;
  network_identity: NetworkIdentity;
  recording: RecordingPolicy;
  automation_owner: SessionAutomationOwner | null;
  mcp_owner: SessionMcpOwner | null;
  runtime_released_at: Timestamp | null;
  stopped_at: Timestamp | null;
};

export type SessionAutomationAccess = {
  session_id: Uuid;
  cdp_endpoint: string;
  token: string;
  expires_at: Timestamp;
};

export type OwnerMode = 'collaborative' | 'exclusive_owner';

export type Viewport = {
  width: number;
  height: number;
};

/** Free-form string map for the systems that drive the session (ticket ids, run ids). */
export type IntegrationContext = {
  [key: string]: string;
};

export type Geolocation = {
  latitude: number;
  longitude: number;
  accuracy_m?: number | null;
};

/** Declared network identity; every field optional, `null` clears it. */
export type NetworkIdentityInput = {
  locale?: string | null;
  languages?: Array<string>;
  timezone?: string | null;
  geolocation?: Geolocation | null;
  user_agent?: string | null;
  egress_profile_id?: Uuid | null;
};

export type NetworkIdentity = {
  locale: string | null;
  languages: Array<string>;
  timezone: string | null;
  geolocation: Geolocation | null;
  user_agent: string | null;
  egress_profile_id: Uuid | null;
};

export type RecordingMode = 'disabled' | 'manual' | 'always';

export type RecordingPolicyInput = {
  mode?: RecordingMode;
  retention_days?: number | null;
};

export type RecordingPolicy = {
  mode: RecordingMode;
  /** Days recordings are kept; `null` keeps them until deleted. */
  retention_days: number | null;
};

export type SessionTemplateCreate = {
  name: string;
  description?: string | null;
  labels?: Labels;
  owner_mode?: OwnerMode | null;
  project_id?: Uuid | null;
  viewport?: Viewport | null;
  idle_timeout_sec?: number | null;
  default_labels?: Labels;
  integration_context?: IntegrationContext;
  network_identity?: NetworkIdentityInput;
  recording?: RecordingPolicyInput | null;
  client_request_id?: string;
};

export type SessionTemplateUpdate = {
  name?: string;
  description?: string | null;
  labels?: Labels;
  owner_mode?: OwnerMode | null;
  project_id?: Uuid | null;
  viewport?: Viewport | null;
  idle_timeout_sec?: number | null;
  default_labels?: Labels;
  integration_context?: IntegrationContext;
  network_identity?: NetworkIdentityInput;
  recording?: RecordingPolicyInput | null;
};

export type SessionTemplate = {
  id: Uuid;
  name: string;
  description: string | null;
  labels: Labels;
  owner_mode: OwnerMode | null;
  project_id: Uuid | null;
  viewport: Viewport | null;
  idle_timeout_sec: number | null;
  default_labels: Labels;
  integration_context: IntegrationContext;
  network_identity: NetworkIdentity;
  recording: RecordingPolicy | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type SessionTemplateList = {
  items: Array<SessionTemplate>;
  total: number;
  limit: number;
  offset: number;
};

export type LiveAccessTicket = {
  ticket: string;
  role: 'interactive' | 'viewer';
  expires_at: Timestamp;
  /** Seconds until the ticket expires. */
  expires_in: number;
  /** The WebSocket URL to open (`ws://…/api/v1/sessions/{id}/live`). */
  connect_url: string;
};

export type BrowserContextCreate = {
  name: string;
  description?: string | null;
  labels?: Labels;
  retention_sec?: number | null;
  max_profile_storage_bytes?: number | null;
  client_request_id?: string;
};

export type BrowserContextUpdate = {
  name?: string;
  description?: string | null;
  labels?: Labels;
  retention_sec?: number | null;
  max_profile_storage_bytes?: number | null;
  client_request_id?: string;
};

export type BrowserContext = {
  id: Uuid;
  name: string;
  description: string | null;
  labels: Labels;
  mode: 'reusable';
  state: 'ready';
  retention_sec: number | null;
  retention_expires_at: string | null;
  max_profile_storage_bytes: number | null;
  cloned_from: string | null;
  /** Null values are not measured by the catalogue (the runtime backend holding the profile reports them). */
  usage: {
    session_references: number | null;
    active_writer_session_id: string | null;
    profile_storage_bytes: number | null;
    profile_storage_limit_exceeded: boolean;
  };
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type BrowserContextList = {
  items: Array<BrowserContext>;
  total: number;
  limit: number;
  offset: number;
};

export type EgressProxy = {
  /** scheme://host:port (http, https or socks5); no credentials */
  url: string;
  bypass?: Array<string>;
  credential_binding_id?: Uuid | null;
};

export type TrafficObservation = {
  mode?: 'metadata_only' | 'tls_intercept';
  sensitive_log_sink_ref?: string | null;
};

export type EgressProfileCreate = {
  name: string;
  description?: string | null;
  labels?: Labels;
  proxy?: EgressProxy | null;
  custom_ca_ref?: string | null;
  traffic_observation?: TrafficObservation;
  client_request_id?: string;
};

export type EgressProfileUpdate = {
  name?: string;
  description?: string | null;
  labels?: Labels;
  proxy?: EgressProxy | null;
  custom_ca_ref?: string | null;
  traffic_observation?: TrafficObservation;
  state?: ActivationState;
};

export type EgressEffectiveStatus = {
  proxied: boolean;
  /** host:port only */
  proxy_host: string | null;
  proxy_scheme: string | null;
  proxy_auth: 'none' | 'credential_binding';
  custom_ca: boolean;
  traffic_observation: 'metadata_only' | 'tls_intercept';
  warnings: Array<string>;
};

export type EgressProfile = {
  id: Uuid;
  name: string;
  description: string | null;
  labels: Labels;
  state: ActivationState;
  proxy: {
    url: string;
    bypass: Array<string>;
    credential_binding_id: string | null;
  } | null;
  custom_ca_ref: string | null;
  traffic_observation: {
    mode: 'metadata_only' | 'tls_intercept';
    sensitive_log_sink_ref: string | null;
  };
  effective_status: EgressEffectiveStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type EgressProfileList = {
  items: Array<EgressProfile>;
  total: number;
  limit: number;
  offset: number;
};

export type EgressProbeRequest = {
  /** Host the probe asks the proxy to CONNECT to (default example.com). Never stored. */
  target_host?: string;
  target_port?: number;
};

export type EgressDiagnostics = {
  profile_id: Uuid;
  evidence: 'configuration_only' | 'probe';
  effective_status: EgressEffectiveStatus;
  last_probe: {
    outcome: 'reachable' | 'unreachable' | 'rejected' | 'auth_required' | 'no_proxy';
    latency_ms: number | null;
    detail: string;
    probed_at: Timestamp;
  } | null;
};

/** A subject pattern over `bpane.<context>.<EventType>`; `*` matches one token, a final `>` the rest (`bpane.projects.*`, `bpane.sessions.SessionStopped`, `bpane.>`). */
export type WebhookEventTypePattern = string;

export type WebhookSubscriptionCreate = {
  /** http(s) URL; private, loopback, link-local and metadata addresses are refused. */
  url: string;
  event_types: Array<WebhookEventTypePattern>;
  description?: string | null;
  client_request_id?: string;
};

export type WebhookSubscription = {
  id: Uuid;
  url: string;
  event_types: Array<string>;
  description: string | null;
  state: 'active' | 'disabled';
  disabled_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type CreatedWebhookSubscription = {
  id: Uuid;
  url: string;
  event_types: Array<string>;
  description: string | null;
  state: 'active' | 'disabled';
  disabled_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Standard Webhooks secret (`whsec_` + base64 of 32 bytes). Shown in this response only. */
  signing_secret: string;
};

export type WebhookSubscriptionList = {
  items: Array<WebhookSubscription>;
  total: number;
  limit: number;
  offset: number;
};

export type WebhookDeliveryAttempt = {
  attempt: number;
  started_at: Timestamp;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
};

export type WebhookDelivery = {
  /** The `webhook-id` header of every attempt of this delivery. */
  id: string;
  event_id: Uuid;
  event_type: string;
  position: string;
  state: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempt_count: number;
  last_status_code: number | null;
  next_attempt_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
  attempts: Array<WebhookDeliveryAttempt>;
};

export type WebhookDeliveryList = {
  items: Array<WebhookDelivery>;
  total: number;
  limit: number;
  offset: number;
};

export type AdminEventsTicket = {
  ticket: string;
  expires_at: Timestamp;
  /** Seconds until the ticket expires. */
  expires_in: number;
};

export type SchemaName =
  | 'Uuid'
  | 'Timestamp'
  | 'Labels'
  | 'Problem'
  | 'Health'
  | 'IdentityMe'
  | 'ActivationState'
  | 'ServicePrincipalCreate'
  | 'ServicePrincipalUpdate'
  | 'ServicePrincipal'
  | 'ServicePrincipalList'
  | 'MappingSubjectKind'
  | 'MappingSubject'
  | 'MappingRole'
  | 'IdentityMappingCreate'
  | 'IdentityMappingUpdate'
  | 'IdentityMapping'
  | 'IdentityMappingList'
  | 'AccessReview'
  | 'ProjectState'
  | 'ProjectQuotas'
  | 'ProjectCreate'
  | 'ProjectUpdate'
  | 'Project'
  | 'ProjectList'
  | 'ProjectUsage'
  | 'AuditEvent'
  | 'EventPage'
  | 'AggregateState'
  | 'SessionState'
  | 'SessionRuntimeState'
  | 'SessionPresenceState'
  | 'SessionAdmission'
  | 'SessionConnectionCounts'
  | 'SessionStopBlocker'
  | 'SessionStopEligibility'
  | 'SessionAutomationOwner'
  | 'SessionMcpOwner'
  | 'SessionRuntimeAssignment'
  | 'SessionFailure'
  | 'Session'
  | 'SessionList'
  | 'SessionCreate'
  | 'SessionAutomationOwnerSet'
  | 'SessionConnection'
  | 'SessionProjectSummary'
  | 'SessionStatus'
  | 'SessionAutomationAccess'
  | 'OwnerMode'
  | 'Viewport'
  | 'IntegrationContext'
  | 'Geolocation'
  | 'NetworkIdentityInput'
  | 'NetworkIdentity'
  | 'RecordingMode'
  | 'RecordingPolicyInput'
  | 'RecordingPolicy'
  | 'SessionTemplateCreate'
  | 'SessionTemplateUpdate'
  | 'SessionTemplate'
  | 'SessionTemplateList'
  | 'LiveAccessTicket'
  | 'BrowserContextCreate'
  | 'BrowserContextUpdate'
  | 'BrowserContext'
  | 'BrowserContextList'
  | 'EgressProxy'
  | 'TrafficObservation'
  | 'EgressProfileCreate'
  | 'EgressProfileUpdate'
  | 'EgressEffectiveStatus'
  | 'EgressProfile'
  | 'EgressProfileList'
  | 'EgressProbeRequest'
  | 'EgressDiagnostics'
  | 'WebhookEventTypePattern'
  | 'WebhookSubscriptionCreate'
  | 'WebhookSubscription'
  | 'CreatedWebhookSubscription'
  | 'WebhookSubscriptionList'
  | 'WebhookDeliveryAttempt'
  | 'WebhookDelivery'
  | 'WebhookDeliveryList'
  | 'AdminEventsTicket';
