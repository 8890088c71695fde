import {
  Catch,
  Inject,
  Injectable,
  Module,
  SetMetadata,
  createParamDecorator,
  type ArgumentsHost,
  type CanActivate,
  type CustomDecorator,
  type DynamicModule,
  type ExceptionFilter,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, HttpAdapterHost, Reflector } from '@nestjs/core';
import { AuthError, UnauthenticatedError, authErrorStatus, bearerChallenge } from './errors';
import type { Principal } from './principal';
import { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './verifier';

/** Injection token of the `TokenVerifier` that `AuthModule` provides. */
export const TOKEN_VERIFIER = Symbol.for('bpane.auth.TokenVerifier');

/** Metadata key set by `@Public()`. */
export const PUBLIC_ROUTE = 'bpane.auth.public';

/** Marks a controller or route as reachable without a bearer token (health, discovery, tickets). */
export const Public = (): CustomDecorator<string> => SetMetadata(PUBLIC_ROUTE, true);

const principals = new WeakMap<object, Principal>();

/** The principal the guard attached to a request (`undefined` on public routes). */
export const principalOf = (request: object): Principal | undefined => principals.get(request);

type RequestLike = { headers: Record<string, string | string[] | undefined> };

/**
 * Global guard: every HTTP route needs a valid bearer token unless it is marked `@Public()`. The
 * verified principal is attached to the request for `@CurrentPrincipal()`. Non-HTTP contexts
 * (WebSocket, microservices) are refused unless public: they authenticate their own way (tickets).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) return true;
    if (context.getType() !== 'http')
      throw new UnauthenticatedError('missing', 'this endpoint does not accept bearer tokens');
    const request = context.switchToHttp().getRequest<RequestLike>();
    const principal = await this.verifier.verifyAuthorizationHeader(request.headers['authorization']);
    principals.set(request, principal);
    return true;
  }
}

/** The authenticated principal of the current request (route parameter decorator). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = principalOf(context.switchToHttp().getRequest<object>());
    if (principal === undefined)
      throw new UnauthenticatedError('missing', 'no authenticated principal (is the route @Public()?)');
    return principal;
  },
);

const STATUS_TITLES: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * Renders `AuthError`s as `application/problem+json` with the right status and, for 401, a
 * `WWW-Authenticate: Bearer` challenge. Platform-neutral (Express or Fastify).
 */
@Catch(AuthError)
export class AuthErrorFilter implements ExceptionFilter {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(error: AuthError, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response = host.switchToHttp().getResponse<unknown>();
    const status = authErrorStatus(error.code);
    if (error instanceof UnauthenticatedError)
      httpAdapter.setHeader(response, 'www-authenticate', bearerChallenge(error));
    httpAdapter.setHeader(response, 'content-type', 'application/problem+json');
    httpAdapter.setHeader(response, 'cache-control', 'no-store');
    httpAdapter.reply(
      response,
      {
        type: `https://browserpane.dev/problems/${error.code.replace(/_/g, '-')}`,
        title: STATUS_TITLES[status] ?? 'Error',
        status,
        code: error.code,
        detail: error.message,
        ...(error instanceof UnauthenticatedError ? { reason: error.reason } : {}),
      },
      status,
    );
  }
}

export type AuthModuleOptions = Readonly<
  | { verifier: TokenVerifier; registerErrorFilter?: boolean }
  | (TokenVerifierOptions & { registerErrorFilter?: boolean })
>;

/**
 * `AuthModule.forRoot({ issuer, audience })` (or `{ verifier }`): provides `TOKEN_VERIFIER`,
 * registers `BearerAuthGuard` as a global guard and, unless `registerErrorFilter: false` (when the
 * application's own problem+json filter handles `AuthError`), `AuthErrorFilter`.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    const verifier = 'verifier' in options ? options.verifier : createTokenVerifier(options);
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        ...(options.registerErrorFilter === false
          ? []
          : [{ provide: APP_FILTER, useClass: AuthErrorFilter }]),
      ],
      exports: [TOKEN_VERIFIER],
    };
  }
}
