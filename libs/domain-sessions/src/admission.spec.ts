import { describe, expect, it } from 'vitest';
import { decideAdmission, resolveSessionConfig } from './admission';
import { emptyTemplateDefaults } from './template';
import { sessionDefaults } from './values';

const p = '5b0c7a0e-8d7e-4d53-9d6c-2f1f3c1b9a01';
const cap = (over: Partial<Parameters<typeof decideAdmission>[0] & object> = {}) => ({
  projectId: p,
  archived: false,
  maxActiveSessions: 2,
  activeSessions: 0,
  queuedSessions: 0,
  ...over,
});

describe('decideAdmission', () => {
  it('is owner scoped without a project', () => {
    expect(decideAdmission(null)).toEqual({
      refused: false,
      decision: 'owner_scoped',
      reason: 'owner_scoped',
      projectId: null,
      queuePosition: null,
    });
  });
  it('refuses an archived project', () => {
    expect(decideAdmission(cap({ archived: true }))).toEqual({ refused: true, reason: 'project_archived' });
  });
  it('admits within the quota and without one', () => {
    expect(decideAdmission(cap({ activeSessions: 1 }))).toMatchObject({
      decision: 'admitted',
      reason: 'within_quota',
    });
    expect(decideAdmission(cap({ maxActiveSessions: null, activeSessions: 99 }))).toMatchObject({
      decision: 'admitted',
      reason: 'unlimited_quota',
    });
  });
  it('queues at the end when the quota is used or others wait (FIFO)', () => {
    expect(decideAdmission(cap({ activeSessions: 2 }))).toMatchObject({
      decision: 'queued',
      queuePosition: 1,
    });
    expect(decideAdmission(cap({ activeSessions: 0, queuedSessions: 3 }))).toMatchObject({
      decision: 'queued',
      reason: 'quota_exhausted',
      queuePosition: 4,
    });
    expect(decideAdmission(cap({ maxActiveSessions: 0 }))).toMatchObject({ decision: 'queued' });
  });
});

describe('resolveSessionConfig', () => {
  it('uses session defaults without a template', () => {
    expect(resolveSessionConfig(null, {})).toMatchObject({
      ownerMode: sessionDefaults.ownerMode,
      viewport: sessionDefaults.viewport,
      idleTimeoutSec: sessionDefaults.idleTimeoutSec,
      recording: sessionDefaults.recording,
      labels: {},
    });
  });
  it('merges template defaults; explicit fields win, maps and identity merge per key', () => {
    const t = {
      ...emptyTemplateDefaults,
      ownerMode: 'exclusive_owner' as const,
      idleTimeoutSec: 1800,
      labels: { purpose: 'debug', team: 'support' },
      integrationContext: { ticket: 'T-1' },
      networkIdentity: {
        ...emptyTemplateDefaults.networkIdentity,
        locale: 'de-CH',
        timezone: 'Europe/Zurich',
      },
      recording: { mode: 'manual' as const, retentionDays: 30 },
    };
    const c = resolveSessionConfig(t, {
      idleTimeoutSec: 600,
      labels: { team: 'qa', case: 'INC-1' },
      networkIdentity: { locale: 'fr-CH' },
      recording: { mode: 'always' },
    });
    expect(c).toEqual({
      ownerMode: 'exclusive_owner',
      viewport: sessionDefaults.viewport,
      idleTimeoutSec: 600,
      labels: { case: 'INC-1', purpose: 'debug', team: 'qa' },
      integrationContext: { ticket: 'T-1' },
      networkIdentity: {
        locale: 'fr-CH',
        languages: [],
        timezone: 'Europe/Zurich',
        geolocation: null,
        userAgent: null,
        egressProfileId: null,
      },
      recording: { mode: 'always', retentionDays: 30 },
    });
  });
});
