import { useMemo } from 'react';
import { createApiClient } from '../api/client';
import { meQuery } from '../api/queries';
import type { Session } from '../auth/oidc';
import { useQuery } from '@tanstack/react-query';
import { ApiContext, useApi } from './ApiContext';
import { EventsView } from './EventsView';
import { IdentityView } from './IdentityView';
import { Link } from './Link';
import { ProjectsView } from './ProjectsView';
import { hrefFor, useRoute, type Route } from './router';
import { SessionsView } from './SessionsView';
import { TimelineView } from './TimelineView';
import { useAdminEvents } from './useAdminEvents';
import { WebhooksView } from './WebhooksView';

const NAV: ReadonlyArray<{ route: Route; label: string }> = [
  { route: { name: 'sessions' }, label: 'Sessions' },
  { route: { name: 'projects' }, label: 'Projects' },
  { route: { name: 'identity' }, label: 'Identity' },
  { route: { name: 'webhooks' }, label: 'Webhooks' },
  { route: { name: 'events' }, label: 'Event log' },
];

function View({ route }: { route: Route }) {
  switch (route.name) {
    case 'sessions':
      return <SessionsView />;
    case 'projects':
      return <ProjectsView />;
    case 'identity':
      return <IdentityView />;
    case 'webhooks':
      return <WebhooksView />;
    case 'events':
      return <EventsView />;
    case 'timeline':
      return <TimelineView key={route.stream} stream={route.stream} />;
  }
}

function Header({ onSignOut }: { onSignOut: () => void }) {
  const api = useApi();
  const route = useRoute();
  const me = useQuery(meQuery(api));
  const feed = useAdminEvents(api);
  return (
    <header className="top">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <span className="brand">BrowserPane</span>
      <nav aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.route.name}>
              <Link
                href={hrefFor(n.route)}
                current={
                  route.name === n.route.name || (route.name === 'timeline' && n.route.name === 'events')
                }
              >
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <span className={`feed feed-${feed.status}`} role="status" title={feed.detail}>
        {feed.status === 'live' ? 'live updates' : feed.status}
      </span>
      <span className="user">{me.data?.username ?? me.data?.display_name ?? me.data?.subject ?? ''}</span>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}

/** The signed-in console. */
export function App({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const api = useMemo(() => createApiClient(session.accessToken), [session]);
  const route = useRoute();
  return (
    <ApiContext.Provider value={api}>
      <Header onSignOut={onSignOut} />
      <main id="main" tabIndex={-1}>
        <View route={route} />
      </main>
    </ApiContext.Provider>
  );
}
