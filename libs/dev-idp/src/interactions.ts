import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Interaction, InteractionResults } from 'oidc-provider';
import type { DevIdpConfig } from './config';
import { PAGE_SECURITY_HEADERS, consentPage, errorPage, loginPage } from './pages';
import { isFirstPartyClient } from './provider';
import type { DevUserDirectory } from './users';

const MAX_FORM_BYTES = 16 * 1024;

const readForm = async (req: IncomingMessage): Promise<URLSearchParams | undefined> => {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

class InteractionMismatch extends Error {
  override readonly name = 'InteractionMismatch';
}

const paramString = (v: unknown): string => (typeof v === 'string' ? v : '');

const sendPage = (res: ServerResponse, status: number, html: string): void => {
  res.writeHead(status, { ...PAGE_SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
};

type Route = Readonly<{ uid: string; action: 'show' | 'login' | 'confirm' | 'abort' }>;

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|confirm|abort))?\/?$/;

export const matchInteraction = (method: string, pathname: string): Route | undefined => {
  const m = ROUTE.exec(pathname);
  if (m === null) return undefined;
  const uid = m[1]!;
  const sub = m[2] as 'login' | 'confirm' | 'abort' | undefined;
  if (sub === undefined) return method === 'GET' ? { uid, action: 'show' } : undefined;
  return method === 'POST' ? { uid, action: sub } : undefined;
};

/**
 * The provider's interaction pages: the login form (username + password) and, for clients that are
 * not first-party, a consent form. First-party clients (every configured BrowserPane client) get
 * consent granted without a page.
 */
export const createInteractionHandler = (deps: {
  provider: Provider;
  config: DevIdpConfig;
  users: DevUserDirectory;
}) => {
  const { provider, config, users } = deps;

  /** The interaction bound to this browser's cookie; it must be the one named in the URL. */
  const loadInteraction = async (
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
  ): Promise<Interaction> => {
    const interaction = await provider.interactionDetails(req, res);
    if (interaction.uid !== uid) throw new InteractionMismatch();
    return interaction;
  };

  const grantConsent = async (req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> => {
    const interaction = await loadInteraction(req, res, uid);
    const accountId = interaction.session?.accountId;
    const clientId = interaction.params['client_id'];
    if (interaction.prompt.name !== 'consent' || accountId === undefined || typeof clientId !== 'string') {
      sendPage(res, 400, errorPage('invalid_request', 'there is no consent to give for this request'));
      return;
    }
    const grant =
      interaction.grantId !== undefined
        ? await provider.Grant.find(interaction.grantId)
        : new provider.Grant({ accountId, clientId });
    if (grant === undefined) {
      sendPage(res, 400, errorPage('invalid_request', 'the grant of this request has expired'));
      return;
    }
    const details = interaction.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    const result: InteractionResults =
      interaction.grantId === undefined ? { consent: { grantId } } : { consent: {} };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  };

  const show = async (req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> => {
    const interaction = await loadInteraction(req, res, uid);
    const clientId = paramString(interaction.params['client_id']);
    const client = await provider.Client.find(clientId);
    const name = client?.clientName ?? clientId;
    switch (interaction.prompt.name) {
      case 'login': {
        const hint = interaction.params['login_hint'];
        sendPage(
          res,
          200,
          loginPage({
            action: `/interaction/${uid}/login`,
            abortAction: `/interaction/${uid}/abort`,
            clientName: name,
            ...(typeof hint === 'string' ? { username: hint } : {}),
          }),
        );
        return;
      }
      case 'consent': {
        if (isFirstPartyClient(config, clientId)) {
          await grantConsent(req, res, uid);
          return;
        }
        const accountId = interaction.session?.accountId;
        const user = accountId === undefined ? undefined : users.bySubject(accountId);
        const details = interaction.prompt.details as {
          missingOIDCScope?: string[];
          missingResourceScopes?: Record<string, string[]>;
        };
        sendPage(
          res,
          200,
          consentPage({
            action: `/interaction/${uid}/confirm`,
            abortAction: `/interaction/${uid}/abort`,
            clientName: name,
            username: user?.username ?? 'you',
            scopes: [
              ...(details.missingOIDCScope ?? []),
              ...Object.values(details.missingResourceScopes ?? {}).flat(),
            ],
          }),
        );
        return;
      }
      default:
        sendPage(res, 400, errorPage('invalid_request', `unsupported prompt ${interaction.prompt.name}`));
    }
  };

  const login = async (req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> => {
    const interaction = await loadInteraction(req, res, uid);
    if (interaction.prompt.name !== 'login') {
      sendPage(res, 400, errorPage('invalid_request', 'this sign-in request does not expect a login'));
      return;
    }
    const form = await readForm(req);
    const username = form?.get('username') ?? '';
    const password = form?.get('password') ?? '';
    const user = username !== '' && password !== '' ? users.authenticate(username, password) : undefined;
    if (user === undefined) {
      const client = await provider.Client.find(paramString(interaction.params['client_id']));
      sendPage(
        res,
        401,
        loginPage({
          action: `/interaction/${uid}/login`,
          abortAction: `/interaction/${uid}/abort`,
          clientName: client?.clientName ?? client?.clientId ?? 'an application',
          username,
          failed: true,
        }),
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.subject, amr: ['pwd'] } },
      { mergeWithLastSubmission: false },
    );
  };

  const abort = async (req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> => {
    await loadInteraction(req, res, uid);
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the user cancelled the sign-in' },
      { mergeWithLastSubmission: false },
    );
  };

  return async (req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> => {
    try {
      switch (route.action) {
        case 'show':
          return await show(req, res, route.uid);
        case 'login':
          return await login(req, res, route.uid);
        case 'confirm':
          return await grantConsent(req, res, route.uid);
        case 'abort':
          return await abort(req, res, route.uid);
      }
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'SessionNotFound' || name === 'InvalidRequest' || e instanceof InteractionMismatch) {
        // Expired or unknown interaction, or its cookie is missing (another browser, or a replay).
        if (!res.headersSent)
          sendPage(
            res,
            400,
            errorPage(
              'interaction_expired',
              'this sign-in request has expired; start again from the application',
            ),
          );
        return;
      }
      config.logger.error(`interaction ${route.action} failed: ${(e as Error).message}`);
      if (!res.headersSent)
        sendPage(res, 500, errorPage('server_error', 'the sign-in could not be completed'));
    }
  };
};
