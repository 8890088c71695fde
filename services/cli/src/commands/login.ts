import { type Command } from 'commander';
import {
  browserSignIn,
  CLI_CLIENT_ID,
  DEFAULT_RESOURCE,
  DEFAULT_SCOPE,
  deviceSignIn,
  type TokenSet,
  unverifiedClaims,
} from '../api/oidc';
import { CliError } from '../errors';
import { toJson } from '../output';
import { type CommandContext } from '../program';
import { updateProfile } from './profile';

type Run = (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>;

type LoginOptions = Readonly<{
  device?: boolean;
  browser?: boolean;
  saveToken?: boolean;
  printToken?: boolean;
  open?: boolean;
  clientId: string;
  scope: string;
  resource: string;
}>;

const login = async (ctx: CommandContext, o: LoginOptions): Promise<void> => {
  if (o.device === true && o.browser === true)
    throw new CliError('usage', 'give either --device or --browser, not both');
  if (o.saveToken === true && o.printToken === true)
    throw new CliError('usage', 'give either --save-token or --print-token, not both');
  const issuer = (ctx.settings.get('issuer') ?? 'http://127.0.0.1:8090').replace(/\/+$/, '');
  const common = {
    issuer,
    clientId: o.clientId,
    scope: o.scope,
    resource: o.resource === '' ? undefined : o.resource,
    signal: ctx.io.signal,
  };
  const say = (line: string, json: Record<string, unknown>): void =>
    ctx.io.stderr(ctx.json ? `${toJson(json)}\n` : `${line}\n`);
  let tokens: TokenSet;
  if (o.browser === true) {
    tokens = await browserSignIn({ ...common, open: o.open !== false, timeoutMs: 5 * 60_000 }, (url) =>
      say(`Sign in to BrowserPane in your browser:\n  ${url}\nWaiting for the sign-in…`, {
        authorization_url: url,
      }),
    );
  } else {
    tokens = await deviceSignIn(common, (p) =>
      say(
        `To sign in, open ${p.verification_uri} and enter the code ${p.user_code}` +
          `${p.verification_uri_complete === undefined ? '' : `\n  (or open ${p.verification_uri_complete})`}` +
          `\nWaiting for the approval (the code expires in ${Math.round(p.expires_in / 60)} min)…`,
        { device: p },
      ),
    );
  }
  const claims = unverifiedClaims(tokens.access_token);
  const who =
    typeof claims['preferred_username'] === 'string'
      ? claims['preferred_username']
      : typeof claims['sub'] === 'string'
        ? claims['sub']
        : 'unknown';
  const expiresAt =
    typeof claims['exp'] === 'number'
      ? new Date(claims['exp'] * 1000).toISOString()
      : tokens.expires_in === undefined
        ? null
        : new Date(Date.now() + tokens.expires_in * 1000).toISOString();

  if (o.printToken === true) {
    // The one place a token is written out: the user asked for it.
    ctx.io.stdout(
      ctx.json
        ? `${toJson({ access_token: tokens.access_token, expires_at: expiresAt, subject: who })}\n`
        : `${tokens.access_token}\n`,
    );
    return;
  }
  let savedTo: string | null = null;
  if (o.saveToken === true) {
    savedTo = ctx.settings.profile ?? 'default';
    await updateProfile(
      ctx.settings.configPath,
      savedTo,
      { accessToken: tokens.access_token, issuer },
      ctx.settings.profile === null,
    );
  }
  const result = {
    signedIn: true,
    subject: who,
    issuer,
    expiresAt,
    savedToProfile: savedTo,
    configPath: savedTo === null ? null : ctx.settings.configPath,
  };
  if (ctx.json) {
    ctx.io.stdout(`${toJson(result)}\n`);
    return;
  }
  const lines = [`signed in as ${who}${expiresAt === null ? '' : ` (token valid until ${expiresAt})`}`];
  if (savedTo !== null) lines.push(`token saved to profile ${savedTo} in ${ctx.settings.configPath}`);
  else
    lines.push(
      'the token was not saved. Keep it with `bpane login --save-token` (stored in the profile, mode 0600),',
      'or put it in the environment: export BPANE_ACCESS_TOKEN="$(bpane login --print-token)"',
    );
  ctx.io.stdout(`${lines.join('\n')}\n`);
};

export const registerLoginCommand = (program: Command, run: Run): void => {
  program
    .command('login')
    .description(
      'sign in with the OpenID provider (setting issuer: BPANE_OIDC_ISSUER or the profile; default http://127.0.0.1:8090) and get an API access token',
    )
    .option('--device', 'device authorization grant: prints a URL and a code to enter (the default)')
    .option('--browser', 'authorization code + PKCE with a redirect to a loopback port of this machine')
    .option('--no-open', 'with --browser: print the sign-in URL but do not open a browser')
    .option('--save-token', 'save the access token in the selected profile (or a new "default" one)')
    .option('--print-token', 'print the access token on stdout (e.g. for BPANE_ACCESS_TOKEN) instead')
    .option('--client-id <id>', 'OAuth client', CLI_CLIENT_ID)
    .option('--scope <scopes>', 'scopes to ask for', DEFAULT_SCOPE)
    .option('--resource <uri>', 'RFC 8707 resource indicator of the API ("" to send none)', DEFAULT_RESOURCE)
    .action((o: LoginOptions) => run((ctx) => login(ctx, o)));
};
