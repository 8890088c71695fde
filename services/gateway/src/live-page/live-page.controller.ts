import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '@bpane/auth';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem';
import { LIVE_PAGE_HTML } from './live-page.html';

/** Files of the web client bundle (scripts/build-web-client.mjs) the page may load. */
export const LIVE_PAGE_ASSETS: Readonly<Record<string, string>> = {
  'live.js': 'text/javascript; charset=utf-8',
  'live.js.map': 'application/json',
  'web-client.js': 'text/javascript; charset=utf-8',
  'web-client.js.map': 'application/json',
  'render-worker.js': 'text/javascript; charset=utf-8',
  'render-worker.js.map': 'application/json',
};

/** Where the bundle is: `BPANE_WEB_CLIENT_DIR`, else `dist/web-client` under the working directory. */
export const webClientDir = (): string =>
  process.env['BPANE_WEB_CLIENT_DIR'] ?? join(process.cwd(), 'dist', 'web-client');

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * The standalone live page: `GET /live?session=<id>` (HTML) and its scripts. Public: the page
 * itself holds no secret; it asks the API for a connect ticket with the user's bearer token.
 */
@Controller('live')
export class LivePageController {
  readonly #cache = new Map<string, Buffer>();

  @Public()
  @Get()
  page(@Res() reply: FastifyReply): void {
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(LIVE_PAGE_HTML);
  }

  @Public()
  @Get(':file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const type = Object.prototype.hasOwnProperty.call(LIVE_PAGE_ASSETS, file)
      ? LIVE_PAGE_ASSETS[file]
      : undefined;
    if (type === undefined) {
      void reply
        .status(404)
        .type(PROBLEM_CONTENT_TYPE)
        .send(problem('not_found', `no live page asset ${file}`, { status: 404 }));
      return;
    }
    let body = this.#cache.get(file);
    if (body === undefined) {
      const path = join(webClientDir(), file);
      if (!existsSync(path)) {
        void reply
          .status(503)
          .type(PROBLEM_CONTENT_TYPE)
          .send(
            problem(
              'dependency_unavailable',
              'the web client is not built: run node scripts/build-web-client.mjs',
              {
                status: 503,
              },
            ),
          );
        return;
      }
      body = readFileSync(path);
      this.#cache.set(file, body);
    }
    void reply
      .header('content-type', type)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  }
}
