import { describe, expect, it } from 'vitest';
import { createUpcasterRegistry, eventTypeBase, eventTypeVersion, type Upcaster } from './upcasting';

// A sample evolution: v1 stored a single `fullName`, v2 split it, v3 added a default locale.
const v1ToV2: Upcaster = {
  fromType: 'PersonRegistered',
  toType: 'PersonRegistered.v2',
  upcast: (data) => {
    const full = typeof data['fullName'] === 'string' ? data['fullName'] : '';
    const [given = '', ...rest] = full.split(' ');
    return { givenName: given, familyName: rest.join(' ') };
  },
};
const v2ToV3: Upcaster = {
  fromType: 'PersonRegistered.v2',
  toType: 'PersonRegistered.v3',
  upcast: (data) => ({ ...data, locale: 'en' }),
};

describe('type versions', () => {
  it('reads the version suffix and the base name', () => {
    expect(eventTypeVersion('ProjectCreated')).toBe(1);
    expect(eventTypeVersion('ProjectCreated.v2')).toBe(2);
    expect(eventTypeVersion('ProjectCreated.v12')).toBe(12);
    expect(eventTypeBase('ProjectCreated.v12')).toBe('ProjectCreated');
    expect(eventTypeBase('ProjectCreated')).toBe('ProjectCreated');
  });
});

describe('upcaster v1 → v2', () => {
  it('splits the full name', () => {
    expect(v1ToV2.upcast({ fullName: 'Ada King Lovelace' })).toEqual({
      givenName: 'Ada',
      familyName: 'King Lovelace',
    });
  });
});

describe('upcaster v2 → v3', () => {
  it('adds the default locale and keeps the rest', () => {
    expect(v2ToV3.upcast({ givenName: 'Ada', familyName: 'Lovelace' })).toEqual({
      givenName: 'Ada',
      familyName: 'Lovelace',
      locale: 'en',
    });
  });
});

describe('upcaster registry', () => {
  const registry = createUpcasterRegistry([v2ToV3, v1ToV2]);

  it('chains upcasters up to the newest version', () => {
    expect(registry.upcast({ type: 'PersonRegistered', data: { fullName: 'Grace Hopper' } })).toEqual({
      type: 'PersonRegistered.v3',
      data: { givenName: 'Grace', familyName: 'Hopper', locale: 'en' },
    });
  });

  it('starts from an intermediate version', () => {
    expect(
      registry.upcast({ type: 'PersonRegistered.v2', data: { givenName: 'A', familyName: 'B' } }),
    ).toEqual({ type: 'PersonRegistered.v3', data: { givenName: 'A', familyName: 'B', locale: 'en' } });
  });

  it('passes current and unknown types through unchanged', () => {
    const current = { type: 'PersonRegistered.v3', data: { givenName: 'A', familyName: 'B', locale: 'fr' } };
    expect(registry.upcast(current)).toEqual(current);
    expect(registry.upcast({ type: 'Other', data: { x: 1 } })).toEqual({ type: 'Other', data: { x: 1 } });
  });

  it('does not mutate the stored event', () => {
    const stored = { type: 'PersonRegistered', data: { fullName: 'Alan Turing' } };
    registry.upcast(stored);
    expect(stored).toEqual({ type: 'PersonRegistered', data: { fullName: 'Alan Turing' } });
  });

  it('rejects two upcasters from the same type', () => {
    expect(() => createUpcasterRegistry([v1ToV2, { ...v1ToV2 }])).toThrow(
      expect.objectContaining({ code: 'upcaster_conflict' }),
    );
  });

  it('rejects an upcaster that changes the base name', () => {
    expect(() => createUpcasterRegistry([{ fromType: 'A', toType: 'B.v2', upcast: (d) => d }])).toThrow(
      expect.objectContaining({ code: 'upcaster_conflict' }),
    );
  });

  it('rejects an upcaster that does not raise the version (no cycles)', () => {
    expect(() => createUpcasterRegistry([{ fromType: 'A.v2', toType: 'A', upcast: (d) => d }])).toThrow(
      expect.objectContaining({ code: 'upcaster_cycle' }),
    );
  });

  it('wraps a failing upcaster in a coded error', () => {
    const broken = createUpcasterRegistry([
      {
        fromType: 'A',
        toType: 'A.v2',
        upcast: () => {
          throw new Error('bad data');
        },
      },
    ]);
    expect(() => broken.upcast({ type: 'A', data: {} })).toThrow(
      expect.objectContaining({ code: 'upcast_failed' }),
    );
  });
});
