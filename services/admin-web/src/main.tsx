import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/problem';
import {
  authorizationUrl,
  completeLogin,
  loadDiscovery,
  loadTokens,
  logoutUrl,
  saveTokens,
  Session,
  type AdminConfig,
} from './auth/oidc';
import { App } from './ui/App';
import { ProblemPanel } from './ui/ProblemPanel';

type Boot =
  | { phase: 'loading' }
  | { phase: 'failed'; error: unknown }
  | { phase: 'signed-out'; signIn: () => void; reason?: string }
  | { phase: 'signed-in'; session: Session; signIn: () => void };

const bootError = (code: string, detail: string): ApiError =>
  new ApiError(
    { type: 'about:blank', title: 'Service Unavailable', status: 503, code, detail },
    'GET',
    '/admin/config.json',
  );

const boot = async (): Promise<Boot> => {
  const res = await fetch('/admin/config.json').catch(() => undefined);
  if (res === undefined || !res.ok)
    return {
      phase: 'failed',
      error: bootError('dependency_unavailable', 'the gateway did not serve /admin/config.json'),
    };
  const cfg = (await res.json()) as AdminConfig;
  const discovery = await loadDiscovery(cfg.issuer).catch((e: unknown) => e);
  if (discovery instanceof Error || discovery === undefined)
    return {
      phase: 'failed',
      error: bootError(
        'identity_provider_unavailable',
        `the OpenID issuer ${cfg.issuer} cannot be reached: ${discovery instanceof Error ? discovery.message : ''}`,
      ),
    };
  const d = discovery as Awaited<ReturnType<typeof loadDiscovery>>;
  const signIn = () =>
    void authorizationUrl(cfg, d, location.origin, location.pathname + location.search).then((u) =>
      location.assign(u),
    );
  let reason: string | undefined;
  try {
    const done = await completeLogin(cfg, d, location.href);
    if (done !== undefined) {
      saveTokens(done.tokens);
      history.replaceState(null, '', done.returnTo.startsWith('/admin/') ? done.returnTo : '/admin/');
    }
  } catch (e) {
    history.replaceState(null, '', '/admin/');
    reason = e instanceof Error ? e.message : String(e);
  }
  const tokens = loadTokens();
  if (tokens === undefined)
    return { phase: 'signed-out', signIn, ...(reason === undefined ? {} : { reason }) };
  return { phase: 'signed-in', session: new Session(cfg, d, tokens), signIn };
};

function Root() {
  const [state, setState] = useState<Boot>({ phase: 'loading' });
  const [queryClient] = useState(
    () =>
      new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, refetchOnWindowFocus: false } } }),
  );
  useEffect(() => {
    boot().then(setState, (error: unknown) => setState({ phase: 'failed', error }));
  }, []);
  switch (state.phase) {
    case 'loading':
      return (
        <p role="status" className="pending center">
          Loading…
        </p>
      );
    case 'failed':
      return (
        <main className="center">
          <h1>BrowserPane admin</h1>
          <ProblemPanel error={state.error} title="Cannot start the console" />
        </main>
      );
    case 'signed-out':
      return (
        <main className="center signin">
          <h1>BrowserPane admin</h1>
          <p>Sign in with your organisation's identity provider to manage sessions, projects and access.</p>
          {state.reason === undefined ? null : (
            <p role="alert" className="problem problem-user">
              {state.reason}
            </p>
          )}
          <button type="button" className="primary" onClick={state.signIn}>
            Sign in
          </button>
        </main>
      );
    case 'signed-in': {
      const session = state.session;
      const signIn = state.signIn;
      session.onExpired = () => {
        queryClient.clear();
        setState({ phase: 'signed-out', signIn, reason: 'Your sign-in has expired. Sign in again.' });
      };
      const signOut = () => {
        const url = logoutUrl(session.config, session.discovery, session.tokens, location.origin);
        session.clear();
        queryClient.clear();
        location.assign(url);
      };
      return (
        <QueryClientProvider client={queryClient}>
          <App session={session} onSignOut={signOut} />
        </QueryClientProvider>
      );
    }
  }
}

const el = document.getElementById('root');
if (el !== null)
  createRoot(el).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
