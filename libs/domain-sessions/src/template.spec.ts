import { describe, expect, it } from 'vitest';
import { deciderSpec, fold, type CommandMetadata } from '@bpane/ddd';
import {
  emptyTemplateDefaults,
  isSessionTemplateEvent,
  sessionTemplateDecider,
  sessionTemplateStreamId,
  type SessionTemplateEvent,
} from './template';
import type { SessionTemplateCreatedV1 } from './template.events.v1';

const given = deciderSpec(sessionTemplateDecider);
const id = '7d1e5f0a-3c2b-4a9d-8e7f-1a2b3c4d5e6f';
const project = '5b0c7a0e-8d7e-4d53-9d6c-2f1f3c1b9a01';
const t0 = '2026-03-01T10:00:00.000Z';
const t1 = '2026-03-01T11:00:00.000Z';
const m = (over: Partial<CommandMetadata> = {}): CommandMetadata => ({
  now: t1,
  actor: { kind: 'user', id: 'alice' },
  correlationId: 'c',
  ...over,
});

const created: SessionTemplateCreatedV1 = {
  type: 'SessionTemplateCreated',
  data: {
    templateId: id,
    ownerId: 'alice',
    name: 'support',
    description: null,
    labels: { team: 'support' },
    defaults: { ...emptyTemplateDefaults, ownerMode: 'collaborative', idleTimeoutSec: 1800 },
    createdAt: t0,
  },
};

describe('CreateSessionTemplate', () => {
  it('creates a template with normalised maps and unset defaults left null', () => {
    given([])
      .when({
        type: 'CreateSessionTemplate',
        data: {
          templateId: id,
          name: ' support ',
          labels: { team: 'support' },
          defaults: {
            ownerMode: 'exclusive_owner',
            projectId: project,
            labels: { z: '1', a: '2' },
            networkIdentity: { locale: 'de-CH', timezone: 'Europe/Zurich' },
            recording: { mode: 'manual' },
          },
        },
        metadata: m({ now: t0 }),
      })
      .then([
        {
          type: 'SessionTemplateCreated',
          data: {
            templateId: id,
            ownerId: 'alice',
            name: 'support',
            description: null,
            labels: { team: 'support' },
            defaults: {
              ownerMode: 'exclusive_owner',
              projectId: project,
              viewport: null,
              idleTimeoutSec: null,
              labels: { a: '2', z: '1' },
              integrationContext: {},
              networkIdentity: {
                locale: 'de-CH',
                languages: [],
                timezone: 'Europe/Zurich',
                geolocation: null,
                userAgent: null,
                egressProfileId: null,
              },
              recording: { mode: 'manual', retentionDays: null },
            },
            createdAt: t0,
          },
        },
      ]);
  });

  it('refuses a second create of the same id (conflict)', () => {
    given([created])
      .when({ type: 'CreateSessionTemplate', data: { templateId: id, name: 'x' }, metadata: m() })
      .thenThrows('conflict');
  });

  it.each([
    ['empty name', { name: ' ' }, ['name']],
    ['bad id', { templateId: 'x' }, ['template_id']],
    ['bad owner mode', { defaults: { ownerMode: 'solo' } }, ['owner_mode']],
    [
      'tiny viewport',
      { defaults: { viewport: { width: 10, height: 10 } } },
      ['viewport.width', 'viewport.height'],
    ],
    ['short idle timeout', { defaults: { idleTimeoutSec: 5 } }, ['idle_timeout_sec']],
    ['bad default label', { defaults: { labels: { 'Bad Key': 'x' } } }, ['default_labels.Bad Key']],
    ['bad integration value', { defaults: { integrationContext: { k: 1 } } }, ['integration_context.k']],
    [
      'bad timezone',
      { defaults: { networkIdentity: { timezone: 'not a zone' } } },
      ['network_identity.timezone'],
    ],
    [
      'bad latitude',
      { defaults: { networkIdentity: { geolocation: { latitude: 91, longitude: 0 } } } },
      ['network_identity.geolocation.latitude'],
    ],
    [
      'bad egress id',
      { defaults: { networkIdentity: { egressProfileId: 'nope' } } },
      ['network_identity.egress_profile_id'],
    ],
    [
      'bad recording',
      { defaults: { recording: { mode: 'sometimes', retentionDays: 0 } } },
      ['recording.mode', 'recording.retention_days'],
    ],
    ['bad project id', { defaults: { projectId: 'p' } }, ['project_id']],
  ])('rejects %s naming the field', (_w, patch, fields) => {
    given([])
      .when({
        type: 'CreateSessionTemplate',
        data: { templateId: id, name: 'ok', ...patch } as never,
        metadata: m(),
      })
      .thenThrows('validation_failed', { fields });
  });
});

describe('UpdateSessionTemplate', () => {
  it('replaces the given fields and names what changed', () => {
    const [e] = given([created])
      .when({
        type: 'UpdateSessionTemplate',
        data: {
          templateId: id,
          name: 'support-2',
          defaults: { idleTimeoutSec: null, viewport: { width: 1920, height: 1080 } },
        },
        metadata: m(),
      })
      .events();
    expect(e).toMatchObject({
      type: 'SessionTemplateUpdated',
      data: {
        name: 'support-2',
        labels: { team: 'support' },
        defaults: {
          ownerMode: 'collaborative',
          idleTimeoutSec: null,
          viewport: { width: 1920, height: 1080 },
        },
        changedFields: ['name', 'defaults.viewport', 'defaults.idleTimeoutSec'],
        updatedAt: t1,
      },
    });
  });

  it('records nothing when nothing changes and requires a field', () => {
    given([created])
      .when({ type: 'UpdateSessionTemplate', data: { templateId: id, name: 'support' }, metadata: m() })
      .then([]);
    given([created])
      .when({ type: 'UpdateSessionTemplate', data: { templateId: id }, metadata: m() })
      .thenThrows('validation_failed', { fields: ['changes'] });
  });

  it("is not_found for a missing or another owner's template", () => {
    given([])
      .when({ type: 'UpdateSessionTemplate', data: { templateId: id, name: 'x' }, metadata: m() })
      .thenThrows('not_found');
    given([created])
      .when({
        type: 'UpdateSessionTemplate',
        data: { templateId: id, name: 'x' },
        metadata: m({ actor: { kind: 'user', id: 'mallory' } }),
      })
      .thenThrows('not_found');
  });
});

describe('template evolve and streams', () => {
  it('folds create and update', () => {
    const updated: SessionTemplateEvent = {
      type: 'SessionTemplateUpdated',
      data: { ...created.data, name: 'n2', changedFields: ['name'], updatedAt: t1 },
    };
    expect(fold(sessionTemplateDecider, [created, updated])).toMatchObject({
      status: 'active',
      name: 'n2',
      updatedAt: t1,
    });
    expect(sessionTemplateDecider.ownerOf?.(fold(sessionTemplateDecider, [created]))).toBe('alice');
    expect(sessionTemplateStreamId(id)).toBe(`sessionTemplate-${id}`);
    expect(isSessionTemplateEvent({ type: 'SessionTemplateUpdated' })).toBe(true);
    expect(isSessionTemplateEvent({ type: 'SessionCreated' })).toBe(false);
  });
});
