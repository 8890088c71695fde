import type { CommandMetadata } from '@bpane/ddd';
import { describe, expect, it } from 'vitest';
import {
  decideWebhookSubscription,
  evolveWebhookSubscription,
  initialWebhookSubscriptionState,
  isEventTypePattern,
  redactEventData,
  subjectMatchesAny,
  type WebhookSubscriptionCommand,
  type WebhookSubscriptionEvent,
  type WebhookSubscriptionState,
} from './index';

const ID = '0b5e3f0e-6a43-4c1f-9a3e-2f1c7d3f9a10';
const meta = (owner = 'alice', kind: 'user' | 'system' = 'user'): CommandMetadata => ({
  now: '2026-01-01T00:00:00.000Z',
  actor: { kind, id: kind === 'system' ? 'webhook-dispatcher' : owner },
  correlationId: 'c-1',
  causationId: null,
  ownerId: owner,
});

const given = (events: WebhookSubscriptionEvent[]): WebhookSubscriptionState =>
  events.reduce(evolveWebhookSubscription, initialWebhookSubscriptionState());

const create = (over: Partial<{ url: string; eventTypes: string[] }> = {}): WebhookSubscriptionCommand => ({
  type: 'CreateWebhookSubscription',
  data: {
    subscriptionId: ID,
    url: over.url ?? 'https://hooks.example.com/in',
    eventTypes: over.eventTypes ?? ['bpane.projects.*', 'bpane.projects.*'],
    secretCiphertext: 'v1.a.b.c',
  },
  metadata: meta(),
});

const created = decideWebhookSubscription(create(), given([]));

describe('webhook subscription decider', () => {
  it('creates a subscription owned by the caller with de-duplicated filters', () => {
    expect(created).toEqual([
      {
        type: 'WebhookSubscriptionCreated',
        data: {
          subscriptionId: ID,
          ownerId: 'alice',
          url: 'https://hooks.example.com/in',
          eventTypes: ['bpane.projects.*'],
          description: null,
          secretCiphertext: 'v1.a.b.c',
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      },
    ]);
    expect(() => decideWebhookSubscription(create(), given(created))).toThrow(/already exists/);
  });

  it('names every bad field', () => {
    try {
      decideWebhookSubscription(
        create({ url: 'ftp://user:pw@x/#f', eventTypes: ['projects.*', 'bpane'] }),
        given([]),
      );
      expect.unreachable();
    } catch (e) {
      const fields = (e as { details: { violations: { field: string }[] } }).details.violations.map(
        (v) => v.field,
      );
      expect(fields).toEqual(expect.arrayContaining(['url', 'eventTypes[0]', 'eventTypes[1]']));
    }
  });

  it('disables once (the system may act for the owner), deletes, and hides other owners', () => {
    const disable: WebhookSubscriptionCommand = {
      type: 'DisableWebhookSubscription',
      data: { subscriptionId: ID, reason: 'receiver answered 410 Gone' },
      metadata: meta('alice', 'system'),
    };
    const disabled = decideWebhookSubscription(disable, given(created));
    expect(disabled.map((e) => e.type)).toEqual(['WebhookSubscriptionDisabled']);
    expect(decideWebhookSubscription(disable, given([...created, ...disabled]))).toEqual([]);
    const del: WebhookSubscriptionCommand = {
      type: 'DeleteWebhookSubscription',
      data: { subscriptionId: ID },
      metadata: meta(),
    };
    const deleted = decideWebhookSubscription(del, given([...created, ...disabled]));
    expect(deleted.map((e) => e.type)).toEqual(['WebhookSubscriptionDeleted']);
    expect(() => decideWebhookSubscription(del, given([...created, ...deleted]))).toThrow(/not found/i);
    expect(() => decideWebhookSubscription({ ...del, metadata: meta('bob') }, given(created))).toThrow(
      /not found/i,
    );
    expect(() => decideWebhookSubscription(del, given([]))).toThrow(/not found/i);
  });
});

describe('event-type filters', () => {
  it('accepts subject patterns and matches them like NATS', () => {
    for (const ok of [
      'bpane.>',
      'bpane.projects.*',
      'bpane.sessions.SessionStopped',
      'bpane.*.*',
      'bpane.projects.>',
    ])
      expect(isEventTypePattern(ok)).toBe(true);
    for (const bad of [
      'bpane',
      'other.projects.*',
      'bpane.projects',
      'bpane.>.x',
      'bpane.pro jects.*',
      'bpane.a.b.c',
    ])
      expect(isEventTypePattern(bad)).toBe(false);
    expect(subjectMatchesAny(['bpane.projects.*'], 'bpane.projects.ProjectCreated')).toBe(true);
    expect(subjectMatchesAny(['bpane.sessions.SessionStopped'], 'bpane.sessions.SessionStarted')).toBe(false);
    expect(subjectMatchesAny(['bpane.>'], 'bpane.webhooks.WebhookSubscriptionCreated')).toBe(true);
  });

  it('redacts the sealed secret from event data', () => {
    expect(redactEventData({ a: 1, secretCiphertext: 'v1.x' })).toEqual({ a: 1 });
    const plain = { b: 2 };
    expect(redactEventData(plain)).toBe(plain);
  });
});
