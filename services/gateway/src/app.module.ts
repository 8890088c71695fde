import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule, type TokenVerifier } from '@bpane/auth';
import { EventsController } from './audit/events.controller';
import type { GatewayConfig } from './config';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { BrowserContextsModule } from './browser-contexts/browser-contexts';
import { EgressProfilesModule } from './egress/egress.controller';
import { IdentityModule } from './identity/identity.module';
import { InfraModule, type GatewayInfra } from './infra/infra.module';
import { ProjectsModule } from './projects/projects.module';
import { SessionTemplatesModule } from './session-templates/session-templates.module';
import { SessionsModule } from './sessions/sessions.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { AdminEventsModule } from './admin-events/admin-events.module';
import { LiveModule } from './live/live.module';
import { RuntimeModule } from './runtime/runtime.module';
import { LivePageModule } from './live-page/live-page.module';
import { AdminWebModule } from './admin-web/admin-web.module';

/** Feature modules of the v1 API; each bounded context adds its module here. */
export const FEATURE_MODULES: readonly Type[] = [
  ProjectsModule,
  IdentityModule,
  EgressProfilesModule,
  BrowserContextsModule,
  SessionTemplatesModule,
  SessionsModule,
  WebhooksModule,
  AdminEventsModule,
  LiveModule,
  LivePageModule,
  RuntimeModule,
  AdminWebModule,
];

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, infra: GatewayInfra, verifier: TokenVerifier): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        InfraModule.forRoot(config, infra),
        AuthModule.forRoot({ verifier, registerErrorFilter: false }),
        ...FEATURE_MODULES,
      ],
      controllers: [HealthController, EventsController],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
