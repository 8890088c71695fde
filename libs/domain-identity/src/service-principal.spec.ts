import { deciderSpec, type CommandMetadata } from '@bpane/ddd';
import { describe, expect, it } from 'vitest';
import type { ServicePrincipalCommand } from './commands';
import type { ServicePrincipalEvent } from './events';
import { servicePrincipalDecider } from './service-principal';

const given = deciderSpec(servicePrincipalDecider);
const id = '0b6f1d7e-8e59-4bb8-9a1b-0b1f4fb1b0a1';
const meta = (now: string, ownerId = 'alice'): CommandMetadata => ({
  now,
  actor: { kind: 'user', id: ownerId },
  correlationId: 'c-1',
  ownerId,
});
const registered: ServicePrincipalEvent = {
  type: 'ServicePrincipalRegistered',
  data: {
    servicePrincipalId: id,
    ownerId: 'alice',
    clientId: 'ci-runner',
    issuer: null,
    displayName: 'CI runner',
    description: null,
    labels: {},
    registeredAt: '2026-01-01T00:00:00.000Z',
  },
};
const disabled: ServicePrincipalEvent = {
  type: 'ServicePrincipalDisabled',
  data: { servicePrincipalId: id, disabledAt: '2026-01-02T00:00:00.000Z' },
};
const cmd = (c: Omit<ServicePrincipalCommand, 'metadata'>, m = meta('2026-01-02T00:00:00.000Z')) =>
  ({ ...c, metadata: m }) as ServicePrincipalCommand;

describe('service principal decider', () => {
  it('registers with defaults', () => {
    given([])
      .when(
        cmd(
          {
            type: 'RegisterServicePrincipal',
            data: { servicePrincipalId: id, clientId: 'ci-runner', displayName: ' CI runner ' },
          },
          meta('2026-01-01T00:00:00.000Z'),
        ),
      )
      .then([registered]);
  });

  it('refuses bad input naming every field', () => {
    given([])
      .when(
        cmd({
          type: 'RegisterServicePrincipal',
          data: {
            servicePrincipalId: 'x',
            clientId: 'has space',
            displayName: '',
            issuer: 'ftp://x',
            labels: { 'A B': 'v' },
          },
        }),
      )
      .thenThrows('validation_failed', {
        fields: ['id', 'client_id', 'issuer', 'display_name', 'labels.A B'],
      });
  });

  it('refuses a second registration of the same id', () => {
    given([registered])
      .when(
        cmd({
          type: 'RegisterServicePrincipal',
          data: { servicePrincipalId: id, clientId: 'x', displayName: 'x' },
        }),
      )
      .thenThrows('conflict');
  });

  it('updates only what changed and ignores no-op updates', () => {
    given([registered])
      .when(cmd({ type: 'UpdateServicePrincipal', data: { servicePrincipalId: id, description: 'nightly' } }))
      .then([
        {
          type: 'ServicePrincipalUpdated',
          data: {
            servicePrincipalId: id,
            displayName: 'CI runner',
            description: 'nightly',
            labels: {},
            updatedAt: '2026-01-02T00:00:00.000Z',
          },
        },
      ]);
    given([registered])
      .when(
        cmd({ type: 'UpdateServicePrincipal', data: { servicePrincipalId: id, displayName: 'CI runner' } }),
      )
      .then([]);
  });

  it('disables and re-enables, each idempotently', () => {
    given([registered])
      .when(cmd({ type: 'DisableServicePrincipal', data: { servicePrincipalId: id } }))
      .then([disabled]);
    given([registered, disabled])
      .when(cmd({ type: 'DisableServicePrincipal', data: { servicePrincipalId: id } }))
      .then([]);
    given([registered, disabled])
      .when(cmd({ type: 'EnableServicePrincipal', data: { servicePrincipalId: id } }))
      .then([
        {
          type: 'ServicePrincipalEnabled',
          data: { servicePrincipalId: id, enabledAt: '2026-01-02T00:00:00.000Z' },
        },
      ]);
    given([registered])
      .when(cmd({ type: 'EnableServicePrincipal', data: { servicePrincipalId: id } }))
      .then([]);
  });

  it('hides another owner’s principal as not found', () => {
    given([registered])
      .when(
        cmd(
          { type: 'DisableServicePrincipal', data: { servicePrincipalId: id } },
          meta('2026-01-02T00:00:00.000Z', 'bob'),
        ),
      )
      .thenThrows('not_found');
    given([])
      .when(cmd({ type: 'EnableServicePrincipal', data: { servicePrincipalId: id } }))
      .thenThrows('not_found');
  });

  it('folds to a disabled state that records when', () => {
    const s = [registered, disabled].reduce(
      servicePrincipalDecider.evolve,
      servicePrincipalDecider.initialState(),
    );
    expect(s).toMatchObject({
      status: 'disabled',
      disabledAt: '2026-01-02T00:00:00.000Z',
      clientId: 'ci-runner',
    });
  });
});
