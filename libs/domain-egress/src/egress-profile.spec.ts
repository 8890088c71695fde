import { deciderSpec, type CommandMetadata } from '@bpane/ddd';
import { describe, expect, it } from 'vitest';
import { egressProfileDecider, type EgressProfileCommand, type EgressProfileEvent } from './egress-profile';

const given = deciderSpec(egressProfileDecider);
const id = '4b6f1d7e-8e59-4bb8-9a1b-0b1f4fb1b0a1';
const now = '2026-01-01T00:00:00.000Z';
const meta = (ownerId = 'alice'): CommandMetadata => ({
  now,
  actor: { kind: 'user', id: ownerId },
  correlationId: 'c',
  ownerId,
});
const cmd = (c: Omit<EgressProfileCommand, 'metadata'>, o = 'alice') =>
  ({ ...c, metadata: meta(o) }) as EgressProfileCommand;
const created: EgressProfileEvent = {
  type: 'EgressProfileCreated',
  data: {
    egressProfileId: id,
    ownerId: 'alice',
    settings: {
      name: 'corp',
      description: null,
      labels: {},
      proxy: { url: 'http://proxy.internal:3128', bypass: ['.corp.example'], credentialBindingId: null },
      customCaRef: null,
      trafficObservation: { mode: 'metadata_only', sensitiveLogSinkRef: null },
    },
    createdAt: now,
  },
};

describe('egress profile decider', () => {
  it('creates with metadata_only observation by default', () => {
    given([])
      .when(
        cmd({
          type: 'CreateEgressProfile',
          data: {
            egressProfileId: id,
            settings: {
              name: 'corp',
              proxy: {
                url: 'http://proxy.internal:3128',
                bypass: ['.corp.example'],
                credentialBindingId: null,
              },
            },
          },
        }),
      )
      .then([created]);
  });

  it('refuses proxy URLs with credentials, paths or no port', () => {
    for (const url of [
      'http://user:pw@proxy:3128',
      'http://proxy:3128/x',
      'http://proxy',
      'ftp://proxy:21',
    ]) {
      given([])
        .when(
          cmd({
            type: 'CreateEgressProfile',
            data: {
              egressProfileId: id,
              settings: { name: 'x', proxy: { url, bypass: [], credentialBindingId: null } },
            },
          }),
        )
        .thenThrows('validation_failed', { fields: ['proxy.url'] });
    }
  });

  it('requires proxy, CA and a sensitive log sink for tls_intercept', () => {
    given([])
      .when(
        cmd({
          type: 'CreateEgressProfile',
          data: {
            egressProfileId: id,
            settings: { name: 'x', trafficObservation: { mode: 'tls_intercept' } },
          },
        }),
      )
      .thenThrows('validation_failed', {
        fields: ['proxy', 'custom_ca_ref', 'traffic_observation.sensitive_log_sink_ref'],
      });
    const ok = given([created])
      .when(
        cmd({
          type: 'UpdateEgressProfile',
          data: {
            egressProfileId: id,
            settings: {
              customCaRef: 'file:///etc/bpane/ca.pem',
              trafficObservation: { mode: 'tls_intercept', sensitiveLogSinkRef: 'siem://soc' },
            },
          },
        }),
      )
      .events();
    expect(ok[0]).toMatchObject({
      type: 'EgressProfileUpdated',
      data: { settings: { trafficObservation: { mode: 'tls_intercept' } } },
    });
  });

  it('disables, refuses probes while disabled, and records sanitized probes', () => {
    const disabled: EgressProfileEvent = {
      type: 'EgressProfileDisabled',
      data: { egressProfileId: id, disabledAt: now },
    };
    given([created])
      .when(cmd({ type: 'DisableEgressProfile', data: { egressProfileId: id } }))
      .then([disabled]);
    given([created, disabled])
      .when(
        cmd({
          type: 'RecordEgressProbe',
          data: { egressProfileId: id, outcome: 'reachable', latencyMs: 3, detail: 'ok' },
        }),
      )
      .thenThrows('illegal_state');
    given([created])
      .when(
        cmd({
          type: 'RecordEgressProbe',
          data: { egressProfileId: id, outcome: 'unreachable', latencyMs: null, detail: 'x'.repeat(500) },
        }),
      )
      .then([
        {
          type: 'EgressProfileProbed',
          data: {
            egressProfileId: id,
            outcome: 'unreachable',
            latencyMs: null,
            detail: 'x'.repeat(300),
            probedAt: now,
          },
        },
      ]);
  });

  it('hides other owners’ profiles', () => {
    given([created])
      .when(cmd({ type: 'DisableEgressProfile', data: { egressProfileId: id } }, 'bob'))
      .thenThrows('not_found');
  });
});
