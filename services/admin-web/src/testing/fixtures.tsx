import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createApiClient } from '../api/client';
import type { Session } from '../api/schema.gen';
import { ApiContext } from '../ui/ApiContext';

/**
 * A fresh QueryClient per test holding the data a test puts in it (fresh forever, so nothing is
 * fetched), and an API client that points at an address nothing listens on.
 */
export const testQueryClient = (): QueryClient =>
  new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });

export function Providers({ client, children }: { client: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={client}>
      <ApiContext.Provider value={createApiClient(() => Promise.resolve(undefined), 'http://127.0.0.1:9')}>
        {children}
      </ApiContext.Provider>
    </QueryClientProvider>
  );
}

export const aSession = (over: Partial<Session> = {}): Session => ({
  id: '0b5c3f1e-2a4d-4e8b-9c1f-7d6e5a4b3c2d',
  state: 'ready',
  runtime_state: 'running',
  presence_state: 'connected',
  owner_mode: 'collaborative',
  template_id: null,
  project_id: null,
  admission: null,
  viewport: { width: 1280, height: 800 },
  idle_timeout_sec: 300,
  idle_since: null,
  idle_expires_at: null,
  labels: {},
  integration_context: {},
  network_identity: {} as Session['network_identity'],
  recording: { mode: 'disabled', retention_days: null },
  connection_counts: { owner: 1, collaborator: 0, viewer: 1, automation: 0, total: 2 },
  stop_eligibility: { allowed: true, blockers: [] },
  automation_owner: null,
  mcp_owner: null,
  runtime: null,
  runtime_released_at: null,
  stop_reason: null,
  failure: null,
  stopped_at: null,
  created_at: '2026-11-22T03:00:00.000Z',
  updated_at: '2026-11-22T03:00:00.000Z',
  ...over,
});
