import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '@bpane/auth';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem';

/** The OAuth client of the admin console at the embedded (or any configured) issuer. */
export const ADMIN_WEB_CLIENT_ID = 'bpane-admin';
/** Scopes the console asks for: an ID token, a refresh token and the API. */
export const ADMIN_WEB_SCOPES = 'openid offline_access bpane:api';

/** What the console needs to know to sign in, served at `GET /admin/config.json`. */
export type AdminWebConfig = Readonly<{
  issuer: string;
  client_id: string;
  scope: string;
  resource: string;
  audience: string;
  api_base: string;
}>;

/** RFC 8707 resource indicator for an audience: the audience if it is an absolute URI, else `urn:<audience>`. */
export const resourceFor = (audience: string): string =>
  /^[a-z][a-z0-9+.-]*:/i.test(audience) ? audience : `urn:${audience}`;

export const adminWebConfig = (config: GatewayConfig): AdminWebConfig => ({
  issuer: config.oidcIssuer.replace(/\/$/, ''),
  client_id: ADMIN_WEB_CLIENT_ID,
  scope: ADMIN_WEB_SCOPES,
  resource: resourceFor(config.oidcAudience),
  audience: config.oidcAudience,
  api_base: '/api/v1',
});

/** Where the built console is: `BPANE_ADMIN_WEB_DIR`, else `dist/admin-web` under the working directory. */
export const adminWebDir = (): string =>
  process.env['BPANE_ADMIN_WEB_DIR'] ?? join(process.cwd(), 'dist', 'admin-web');

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const csp = (issuer: string): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws: wss: ${new URL(issuer).origin}`,
    "base-uri 'none'",
    `form-action 'self' ${new URL(issuer).origin}`,
    "frame-ancestors 'none'",
  ].join('; ');

/**
 * The admin console (docs/admin-web.md): the single-page app under `/admin/` with a fallback to its
 * `index.html` for client-side routes, its sign-in configuration, and `/` redirecting to it. Public:
 * the bundle holds no secret; the app signs in with the issuer and calls the API with a bearer token.
 */
@Controller()
export class AdminWebController {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  @Public()
  @Get()
  root(@Res() reply: FastifyReply): void {
    void reply.status(302).header('location', '/admin/').send();
  }

  @Public()
  @Get('admin/config.json')
  configJson(@Res() reply: FastifyReply): void {
    void reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(adminWebConfig(this.config)));
  }

  @Public()
  @Get('admin')
  index(@Res() reply: FastifyReply): void {
    this.#sendIndex(reply);
  }

  @Public()
  @Get('admin/assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const type = TYPES[extname(file)];
    const dir = join(adminWebDir(), 'assets');
    const path = normalize(join(dir, file));
    if (type === undefined || !path.startsWith(dir + sep) || !existsSync(path)) {
      void reply
        .status(404)
        .type(PROBLEM_CONTENT_TYPE)
        .send(problem('not_found', `no admin console asset ${file}`, { status: 404 }));
      return;
    }
    void reply
      .header('content-type', type)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(readFileSync(path));
  }

  @Public()
  @Get('admin/*')
  fallback(@Res() reply: FastifyReply): void {
    this.#sendIndex(reply);
  }

  #sendIndex(reply: FastifyReply): void {
    const path = join(adminWebDir(), 'index.html');
    if (!existsSync(path)) {
      void reply
        .status(503)
        .type(PROBLEM_CONTENT_TYPE)
        .send(
          problem(
            'dependency_unavailable',
            'the admin console is not built: run node scripts/build-admin-web.mjs',
            {
              status: 503,
            },
          ),
        );
      return;
    }
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', csp(this.config.oidcIssuer))
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(readFileSync(path));
  }
}
