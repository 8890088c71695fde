import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { query, type ApiClient } from './client';
import type {
  AccessReview,
  AggregateState,
  EventPage,
  IdentityMappingList,
  IdentityMe,
  ProjectList,
  ProjectUsage,
  Session,
  SessionList,
  SessionRuntimeState,
  SessionState,
  SessionTemplateList,
  ServicePrincipalList,
  WebhookDeliveryList,
  WebhookSubscriptionList,
} from './schema.gen';

/** Filters of the session list (all exact matches). */
export type SessionFilters = Readonly<{
  state?: SessionState | '';
  runtime_state?: SessionRuntimeState | '';
  project_id?: string;
  /** `key=value` */
  label?: string;
}>;

export type EventSearch = Readonly<{
  stream?: string;
  type?: string;
  since?: string;
  until?: string;
  after?: string;
}>;

const sessionQuery = (f: SessionFilters): string => {
  const params: Record<string, string | number | undefined> = {
    limit: 200,
    state: f.state,
    runtime_state: f.runtime_state,
    project_id: f.project_id,
  };
  const label = f.label?.trim() ?? '';
  const eq = label.indexOf('=');
  if (eq > 0) params[`label.${label.slice(0, eq).trim()}`] = label.slice(eq + 1).trim();
  return query(params);
};

/** Query keys, hierarchical so a whole family can be invalidated at once. */
export const keys = {
  sessions: ['sessions'] as const,
  sessionLists: ['sessions', 'list'] as const,
  sessionList: (f: SessionFilters) => ['sessions', 'list', f] as const,
  session: (id: string) => ['sessions', 'detail', id] as const,
  templates: ['session-templates', 'list'] as const,
  projects: ['projects'] as const,
  projectList: ['projects', 'list'] as const,
  projectUsage: (id: string) => ['projects', 'usage', id] as const,
  identity: ['identity'] as const,
  me: ['identity', 'me'] as const,
  accessReview: ['identity', 'access-review'] as const,
  servicePrincipals: ['identity', 'service-principals'] as const,
  mappings: ['identity', 'mappings'] as const,
  webhooks: ['webhooks'] as const,
  webhookList: ['webhooks', 'list'] as const,
  deliveries: (id: string) => ['webhooks', 'deliveries', id] as const,
  events: ['events'] as const,
  eventSearch: (s: EventSearch) => ['events', 'list', s] as const,
  stream: (stream: string) => ['events', 'stream', stream] as const,
  state: (stream: string, at: string | undefined) => ['events', 'state', stream, at ?? 'head'] as const,
};

export const sessionListQuery = (api: ApiClient, f: SessionFilters) =>
  queryOptions({
    queryKey: keys.sessionList(f),
    queryFn: ({ signal }) => api.get<SessionList>(`/api/v1/sessions${sessionQuery(f)}`, signal),
  });

export const sessionDetailQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: keys.session(id),
    queryFn: ({ signal }) => api.get<Session>(`/api/v1/sessions/${encodeURIComponent(id)}`, signal),
  });

export const templateListQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: keys.templates,
    queryFn: ({ signal }) => api.get<SessionTemplateList>('/api/v1/session-templates?limit=200', signal),
  });

export const projectListQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: keys.projectList,
    queryFn: ({ signal }) => api.get<ProjectList>('/api/v1/projects?limit=200', signal),
  });

export const projectUsageQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: keys.projectUsage(id),
    queryFn: ({ signal }) =>
      api.get<ProjectUsage>(`/api/v1/projects/${encodeURIComponent(id)}/usage`, signal),
  });

export const meQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: keys.me,
    queryFn: ({ signal }) => api.get<IdentityMe>('/api/v1/identity/me', signal),
    staleTime: 60_000,
  });

export const accessReviewQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: keys.accessReview,
    queryFn: ({ signal }) => api.get<AccessReview>('/api/v1/identity/access-review', signal),
  });

export const servicePrincipalsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: keys.servicePrincipals,
    queryFn: ({ signal }) => api.get<ServicePrincipalList>('/api/v1/service-principals?limit=200', signal),
  });

export const mappingsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: keys.mappings,
    queryFn: ({ signal }) => api.get<IdentityMappingList>('/api/v1/identity-mappings?limit=200', signal),
  });

export const webhookListQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: keys.webhookList,
    queryFn: ({ signal }) =>
      api.get<WebhookSubscriptionList>('/api/v1/workflow-event-subscriptions?limit=200', signal),
  });

export const deliveriesQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: keys.deliveries(id),
    queryFn: ({ signal }) =>
      api.get<WebhookDeliveryList>(
        `/api/v1/workflow-event-subscriptions/${encodeURIComponent(id)}/deliveries?limit=100`,
        signal,
      ),
  });

export const eventSearchQuery = (api: ApiClient, s: EventSearch) =>
  queryOptions({
    queryKey: keys.eventSearch(s),
    queryFn: ({ signal }) => api.get<EventPage>(`/api/v1/events${query({ ...s, limit: 200 })}`, signal),
  });

/** Every event of one stream, in order (pages followed to the end). */
export const streamEventsQuery = (api: ApiClient, stream: string) =>
  queryOptions({
    queryKey: keys.stream(stream),
    queryFn: async ({ signal }) => {
      const items: EventPage['items'] = [];
      let after: string | undefined;
      for (let page = 0; page < 50; page++) {
        const p = await api.get<EventPage>(`/api/v1/events${query({ stream, after, limit: 200 })}`, signal);
        items.push(...p.items);
        if (p.end_of_log || p.items.length === 0) break;
        after = p.next_after;
      }
      return items;
    },
  });

export const aggregateStateQuery = (api: ApiClient, stream: string, at: string | undefined) =>
  queryOptions({
    queryKey: keys.state(stream, at),
    queryFn: ({ signal }) => api.get<AggregateState>(`/api/v1/events/state${query({ stream, at })}`, signal),
    staleTime: Infinity,
  });

/** Which cached queries an event of a stream makes stale (used by the realtime feed). */
export const keysForStream = (streamId: string): ReadonlyArray<readonly string[]> => {
  const prefix = streamId.split('-')[0] ?? '';
  const byPrefix: Record<string, ReadonlyArray<readonly string[]>> = {
    session: [keys.sessions, keys.projects],
    project: [keys.projects, keys.sessions],
    servicePrincipal: [keys.identity],
    identityMapping: [keys.identity],
    webhookSubscription: [keys.webhooks],
    sessionTemplate: [keys.templates],
  };
  return [
    ...(byPrefix[prefix] ?? [keys.sessions, keys.projects, keys.identity, keys.webhooks]),
    keys.stream(streamId),
  ];
};

/** Applies a session the server answered with to the caches holding it. */
export const putSession = (qc: QueryClient, s: Session): void => {
  qc.setQueryData(keys.session(s.id), s);
  qc.setQueriesData<SessionList>({ queryKey: keys.sessionLists }, (list) =>
    list === undefined ? list : { ...list, items: list.items.map((x) => (x.id === s.id ? s : x)) },
  );
};
