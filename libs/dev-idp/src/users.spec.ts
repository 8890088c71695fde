import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEV_USERS,
  DevUserDirectory,
  parseExtraUsers,
  subjectForUsername,
  validateUsers,
} from './users';

describe('dev users', () => {
  const dir = new DevUserDirectory([...DEFAULT_DEV_USERS, { username: 'eve', password: 'eve-password' }]);

  it('authenticates demo / demo-demo and demo2 / demo2-demo2 only with the right password', () => {
    expect(dir.authenticate('demo', 'demo-demo')?.subject).toBe('5d0c3f3e-8f0a-4a52-9a40-6f1e4c0d0001');
    expect(dir.authenticate(' demo2 ', 'demo2-demo2')?.username).toBe('demo2');
    expect(dir.authenticate('demo', 'demo2-demo2')).toBeUndefined();
    expect(dir.authenticate('nobody', 'demo-demo')).toBeUndefined();
    expect(dir.authenticate('demo', '')).toBeUndefined();
  });

  it('fills in subject, email and name for added users, deterministically', () => {
    const eve = dir.authenticate('eve', 'eve-password');
    expect(eve).toEqual({
      username: 'eve',
      subject: subjectForUsername('eve'),
      email: 'eve@example.com',
      name: 'eve',
      groups: [],
    });
    expect(subjectForUsername('eve')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(dir.bySubject(subjectForUsername('eve'))?.username).toBe('eve');
  });

  it('validates user lists', () => {
    expect(validateUsers(DEFAULT_DEV_USERS)).toEqual([]);
    expect(validateUsers([])).toHaveLength(1);
    expect(validateUsers([{ username: 'a', password: 'short', groups: ['ok', 'not ok'] }])).toHaveLength(2);
    expect(parseExtraUsers('{}')).toMatch(/array/);
    expect(parseExtraUsers('[{"username":"x","password":"longer-pw"}]')).toEqual([
      { username: 'x', password: 'longer-pw' },
    ]);
  });
});
