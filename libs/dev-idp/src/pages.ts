/**
 * The HTML pages of the development OpenID provider: login, consent, device code entry and
 * confirmation, logout and errors. Plain server-rendered forms, no scripts, no external resources,
 * every control labelled. They are sent with `PAGE_SECURITY_HEADERS`.
 */

export const esc = (value: unknown): string =>
  String(value).replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);

/** No scripts, no framing, nothing loaded from elsewhere. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#f6f8fa;--card:#fff;--line:#d0d7de;--accent:#0b5cad;--err:#b3261e}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--bg:#0d1117;--card:#161b22;--line:#30363d;--accent:#4c9aff;--err:#ff7b72}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:24rem;margin:8vh auto;padding:2rem;background:var(--card);border:1px solid var(--line);border-radius:8px}
h1{font-size:1.4rem;margin:0 0 .25rem}p{margin:.5rem 0}.muted{color:var(--muted);font-size:.9rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=text],input[type=password]{width:100%;padding:.6rem .7rem;font:inherit;color:inherit;background:transparent;border:1px solid var(--line);border-radius:6px}
input:focus,button:focus{outline:3px solid var(--accent);outline-offset:2px}
input[aria-invalid=true]{border-color:var(--err)}
button{font:inherit;cursor:pointer;border-radius:6px;padding:.6rem 1rem;border:1px solid var(--line);background:transparent;color:inherit}
button.primary{width:100%;margin-top:1.25rem;background:var(--accent);border-color:var(--accent);color:#fff;font-weight:600}
.row{display:flex;gap:.5rem;margin-top:1rem}.row button{flex:1}
.error{color:var(--err);border:1px solid var(--err);border-radius:6px;padding:.5rem .75rem}
code.user-code{font-size:1.6rem;letter-spacing:.15em}
ul{padding-left:1.25rem}
`;

const layout = (title: string, body: string): string => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · BrowserPane</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<p class="muted">BrowserPane development sign-in. Not for production use.</p>
</main>
</body>
</html>`;

export type LoginPageInput = Readonly<{
  action: string;
  abortAction: string;
  clientName: string;
  username?: string;
  failed?: boolean;
}>;

export const loginPage = (p: LoginPageInput): string =>
  layout(
    'Sign in',
    `<h1>Sign in to BrowserPane</h1>
<p class="muted">to continue to <strong>${esc(p.clientName)}</strong></p>
${p.failed === true ? '<p class="error" role="alert" id="login-error">Invalid username or password.</p>' : ''}
<form method="post" action="${esc(p.action)}" novalidate>
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required ${p.failed === true ? 'aria-invalid="true" aria-describedby="login-error"' : 'autofocus'} value="${esc(p.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required ${p.failed === true ? 'aria-invalid="true" aria-describedby="login-error" autofocus' : ''}>
<button class="primary" type="submit">Sign in</button>
</form>
<form method="post" action="${esc(p.abortAction)}">
<div class="row"><button type="submit">Cancel</button></div>
</form>`,
  );

export type ConsentPageInput = Readonly<{
  action: string;
  abortAction: string;
  clientName: string;
  username: string;
  scopes: readonly string[];
}>;

export const consentPage = (p: ConsentPageInput): string =>
  layout(
    'Allow access',
    `<h1>Allow access?</h1>
<p><strong>${esc(p.clientName)}</strong> asks to act as <strong>${esc(p.username)}</strong>.</p>
${p.scopes.length > 0 ? `<p>It asks for:</p><ul>${p.scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>` : ''}
<div class="row">
<form method="post" action="${esc(p.abortAction)}"><button type="submit">Deny</button></form>
<form method="post" action="${esc(p.action)}"><button class="primary" type="submit">Allow</button></form>
</div>`,
  );

export type DeviceInputPageInput = Readonly<{
  action: string;
  xsrf: string;
  code?: string;
  error?: 'wrong_code' | 'aborted' | 'failed';
}>;

const DEVICE_ERRORS: Record<NonNullable<DeviceInputPageInput['error']>, string> = {
  wrong_code: 'That code is not valid or has expired. Try again.',
  aborted: 'The sign-in request was cancelled.',
  failed: 'The request could not be processed. Try again.',
};

export const deviceInputPage = (p: DeviceInputPageInput): string =>
  layout(
    'Connect a device',
    `<h1>Connect a device</h1>
<p>Enter the code shown by the <code>bpane</code> CLI or your device.</p>
${p.error === undefined ? '' : `<p class="error" role="alert" id="code-error">${esc(DEVICE_ERRORS[p.error])}</p>`}
<form method="post" action="${esc(p.action)}" novalidate>
<input type="hidden" name="xsrf" value="${esc(p.xsrf)}">
<label for="user_code">Device code</label>
<input id="user_code" name="user_code" type="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required autofocus ${p.error === undefined ? '' : 'aria-invalid="true" aria-describedby="code-error"'} value="${esc(p.code ?? '')}">
<button class="primary" type="submit">Continue</button>
</form>`,
  );

export type DeviceConfirmPageInput = Readonly<{
  action: string;
  xsrf: string;
  userCode: string;
  clientName: string;
}>;

export const deviceConfirmPage = (p: DeviceConfirmPageInput): string =>
  layout(
    'Confirm device',
    `<h1>Confirm the device</h1>
<p><strong>${esc(p.clientName)}</strong> will be signed in. Check that your device shows this code:</p>
<p><code class="user-code">${esc(p.userCode)}</code></p>
<p class="muted">If you did not start this, or the code differs, choose Cancel.</p>
<div class="row">
<form method="post" action="${esc(p.action)}">
<input type="hidden" name="xsrf" value="${esc(p.xsrf)}"><input type="hidden" name="user_code" value="${esc(p.userCode)}"><input type="hidden" name="abort" value="yes">
<button type="submit">Cancel</button>
</form>
<form method="post" action="${esc(p.action)}">
<input type="hidden" name="xsrf" value="${esc(p.xsrf)}"><input type="hidden" name="user_code" value="${esc(p.userCode)}"><input type="hidden" name="confirm" value="yes">
<button class="primary" type="submit" autofocus>Confirm</button>
</form>
</div>`,
  );

export const messagePage = (title: string, message: string): string =>
  layout(title, `<h1>${esc(title)}</h1>\n<p>${esc(message)}</p>`);

/** `form` is the provider's hidden logout form (`id="op.logoutForm"`); the buttons submit it. */
export const logoutPage = (form: string, host: string): string =>
  layout(
    'Sign out',
    `<h1>Sign out of ${esc(host)}?</h1>
${form}
<div class="row">
<button type="submit" form="op.logoutForm">Stay signed in</button>
<button class="primary" type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
</div>`,
  );

export const errorPage = (error: string, description: string | undefined): string =>
  layout(
    'Sign-in error',
    `<h1>Something went wrong</h1>
<p role="alert"><strong>${esc(error)}</strong>${description === undefined ? '' : `: ${esc(description)}`}</p>`,
  );
