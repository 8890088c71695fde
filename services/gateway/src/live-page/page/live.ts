/**
 * Script of the standalone live page (GET /live?session=<id>[&role=viewer]#token=<bearer>).
 *
 * The bearer token comes from the URL fragment (never sent to a server, removed from the address
 * bar at once) or from the login form, and is kept in sessionStorage for this tab only. With it the
 * page mints a single-use connect ticket (POST /api/v1/sessions/{id}/access-tokens) for every
 * (re)connect and shows the session with @bpane/web-client. Tokens are never logged.
 */
import { connect, type LiveClient } from '@bpane/web-client';

const TOKEN_KEY = 'bpane.live.token';

const $ = (id: string): HTMLElement => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} is missing`);
  return el;
};

const params = new URLSearchParams(location.search);
const sessionId = params.get('session') ?? '';
const role = params.get('role') === 'viewer' ? 'viewer' : 'interactive';

const takeFragmentToken = (): string | null => {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  if (token !== null) history.replaceState(null, '', location.pathname + location.search);
  return token;
};

const message = (text: string): void => {
  $('message').textContent = text;
};

type AccessToken = { ticket: string; role: string; connect_url: string };

const mintTicket = async (token: string): Promise<AccessToken> => {
  const res = await fetch(`/api/v1/sessions/${encodeURIComponent(sessionId)}/access-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
  });
  if (!res.ok) {
    let detail = `${res.status}`;
    try {
      const p = (await res.json()) as { code?: string; detail?: string; title?: string };
      detail = `${p.code ?? res.status}: ${p.detail ?? p.title ?? ''}`;
    } catch {
      // not a problem document
    }
    if (res.status === 401) sessionStorage.removeItem(TOKEN_KEY);
    throw new Error(`the gateway refused a connect ticket (${detail})`);
  }
  return (await res.json()) as AccessToken;
};

const askToken = (): Promise<string> =>
  new Promise((resolve) => {
    const login = $('login');
    login.style.display = 'flex';
    const form = login.querySelector('form')!;
    const input = $('token') as HTMLInputElement;
    input.focus();
    form.addEventListener(
      'submit',
      (e) => {
        e.preventDefault();
        login.style.display = 'none';
        resolve(input.value.trim());
        input.value = '';
      },
      { once: true },
    );
  });

const start = async (): Promise<void> => {
  $('session').textContent = sessionId || '–';
  if (sessionId === '') {
    message('add ?session=<id> to the address');
    $('state').textContent = 'closed';
    $('state').dataset['state'] = 'closed';
    return;
  }
  let token = takeFragmentToken() ?? sessionStorage.getItem(TOKEN_KEY);
  if (token === null || token === '') token = await askToken();
  sessionStorage.setItem(TOKEN_KEY, token);
  const first = await mintTicket(token).catch((e: unknown) => {
    message(e instanceof Error ? e.message : String(e));
    return null;
  });
  if (first === null) return;
  let pending: string | null = first.ticket;
  const client: LiveClient = connect($('screen'), {
    url: first.connect_url,
    ticket: async () => {
      const t = pending;
      pending = null;
      return t ?? (await mintTicket(sessionStorage.getItem(TOKEN_KEY) ?? token)).ticket;
    },
  });
  client.on('status', (s) => {
    const el = $('state');
    el.dataset['state'] = s.state;
    el.textContent =
      s.state === 'reconnecting' && s.attempt !== undefined ? `reconnecting (#${s.attempt})` : s.state;
    if (s.state === 'live') message('');
    else if (s.reason !== undefined)
      message(s.refusal !== undefined ? `${s.refusal}: ${s.reason}` : s.reason);
  });
  client.on('role', (r) => {
    $('role').textContent = r.readOnly ? `${r.role} (read-only)` : r.role;
  });
  client.on('stats', (s) => {
    $('rtt').textContent = s.rttMs === null ? '–' : `${s.rttMs.toFixed(1)} ms`;
  });
  client.on('rejected', (r) => message(`${r.code}: ${r.message}`));
  client.on('download', (f) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(f.blob);
    a.download = f.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  });
  Object.assign(window, { bpaneLive: client });
};

void start();
