import { DeciderRegistry } from '@bpane/ddd';
import { identityMappingAggregate, servicePrincipalAggregate } from '@bpane/domain-identity';
import { browserContextAggregate } from '@bpane/domain-browser-contexts';
import { egressProfileAggregate } from '@bpane/domain-egress';
import { projectAggregate } from '@bpane/domain-projects';
import { webhookSubscriptionAggregate } from '@bpane/domain-webhooks';
import type { EntitySchema } from 'typeorm';
import { ReadModelError } from './errors';
import type { Projection } from './projection';
import { sessionAggregate, sessionTemplateAggregate } from '@bpane/domain-sessions';
import { BrowserContextRowEntity, browserContextsProjection } from './browser-contexts/browser-contexts';
import { EgressProfileRowEntity, egressProfilesProjection } from './egress/egress-profiles';
import { identityProjection } from './identity/identity.projection';
import { IdentityMappingRowEntity, ServicePrincipalRowEntity } from './identity/identity-rows.entity';
import { ProjectRowEntity } from './projects/project-row.entity';
import { projectsProjection } from './projects/projects.projection';
import { SessionTemplateRowEntity } from './session-templates/session-template-row.entity';
import { sessionTemplatesProjection } from './session-templates/session-templates.projection';
import { SessionRowEntity } from './sessions/session-row.entity';
import { sessionsProjection } from './sessions/sessions.projection';
import { WebhookSubscriptionRowEntity } from './webhooks/webhook-subscription-row.entity';
import { webhookSubscriptionsProjection } from './webhooks/webhook-subscriptions.projection';

/** Every projection BrowserPane runs (the projector and `bpane read-models rebuild` use this list). */
export const defaultProjections = (): readonly Projection[] => [
  projectsProjection,
  identityProjection,
  egressProfilesProjection,
  browserContextsProjection,
  sessionTemplatesProjection,
  sessionsProjection,
  webhookSubscriptionsProjection,
];

/** TypeORM entities of the read models, for the `DataSource`. */
export const readModelEntities: readonly EntitySchema[] = [
  ProjectRowEntity as EntitySchema,
  ServicePrincipalRowEntity as EntitySchema,
  IdentityMappingRowEntity as EntitySchema,
  EgressProfileRowEntity as EntitySchema,
  BrowserContextRowEntity as EntitySchema,
  SessionTemplateRowEntity as EntitySchema,
  SessionRowEntity as EntitySchema,
  WebhookSubscriptionRowEntity as EntitySchema,
];

/** Every aggregate BrowserPane stores, by stream prefix (`bpane events state <stream>`). */
export const createDeciderRegistry = (): DeciderRegistry =>
  new DeciderRegistry()
    .register(projectAggregate)
    .register(servicePrincipalAggregate)
    .register(identityMappingAggregate)
    .register(egressProfileAggregate)
    .register(browserContextAggregate)
    .register(sessionTemplateAggregate)
    .register(sessionAggregate)
    .register(webhookSubscriptionAggregate);

export const findProjections = (names: readonly string[] | undefined): readonly Projection[] => {
  const all = defaultProjections();
  if (names === undefined || names.length === 0) return all;
  return names.map((n) => {
    const p = all.find((x) => x.name === n);
    if (p === undefined) {
      const known = all.map((x) => x.name);
      throw new ReadModelError('unknown_projection', `unknown projection ${n} (known: ${known.join(', ')})`, {
        details: { name: n, known },
      });
    }
    return p;
  });
};
