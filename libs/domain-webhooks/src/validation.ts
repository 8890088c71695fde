import type { FieldViolation } from '@bpane/ddd';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[A-Za-z0-9_-]+$/;

export const webhookLimits = {
  maxUrlLength: 2048,
  maxEventTypes: 50,
  maxPatternLength: 200,
  maxDescriptionLength: 1000,
  maxReasonLength: 500,
} as const;

export const validateSubscriptionId = (id: string, v: FieldViolation[]): void => {
  if (!UUID.test(id)) v.push({ field: 'subscriptionId', message: 'must be a UUID' });
};

/**
 * Shape rules of a target URL (reachability rules — no private or metadata addresses — are in
 * `target-policy.ts` because they need DNS).
 */
export const validateTargetUrl = (url: string, v: FieldViolation[]): void => {
  if (url.length === 0 || url.length > webhookLimits.maxUrlLength) {
    v.push({ field: 'url', message: `must be 1 to ${webhookLimits.maxUrlLength} characters` });
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    v.push({ field: 'url', message: 'must be an absolute http(s) URL' });
    return;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    v.push({ field: 'url', message: 'must use http or https' });
  if (parsed.username !== '' || parsed.password !== '')
    v.push({ field: 'url', message: 'must not carry credentials' });
  if (parsed.hash !== '') v.push({ field: 'url', message: 'must not have a fragment' });
  if (parsed.hostname === '') v.push({ field: 'url', message: 'must name a host' });
};

/**
 * An event-type filter is a subject pattern over `bpane.<context>.<EventType>`: `*` stands for one
 * token, a final `>` for the rest (`bpane.projects.*`, `bpane.sessions.SessionStopped`, `bpane.>`).
 */
export const isEventTypePattern = (pattern: string): boolean => {
  if (pattern.length > webhookLimits.maxPatternLength) return false;
  const tokens = pattern.split('.');
  if (tokens[0] !== 'bpane' || tokens.length < 2 || tokens.length > 3) return false;
  return (
    tokens.every((t, i) => i === 0 || t === '*' || (t === '>' && i === tokens.length - 1) || TOKEN.test(t)) &&
    (tokens.length === 3 || tokens[1] === '>')
  );
};

export const validateEventTypes = (patterns: readonly string[], v: FieldViolation[]): void => {
  if (patterns.length === 0 || patterns.length > webhookLimits.maxEventTypes) {
    v.push({ field: 'eventTypes', message: `must list 1 to ${webhookLimits.maxEventTypes} patterns` });
    return;
  }
  patterns.forEach((p, i) => {
    if (typeof p !== 'string' || !isEventTypePattern(p))
      v.push({
        field: `eventTypes[${i}]`,
        message: 'must be bpane.<context>.<EventType> where a token may be * and the last may be >',
      });
  });
};

export const validateDescription = (d: string | null, v: FieldViolation[]): void => {
  if (d !== null && d.length > webhookLimits.maxDescriptionLength)
    v.push({
      field: 'description',
      message: `must be at most ${webhookLimits.maxDescriptionLength} characters`,
    });
};

/** NATS-style matching of a canonical subject against one pattern. */
export const subjectMatchesPattern = (pattern: string, subject: string): boolean => {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const t = p[i];
    if (t === '>') return s.length > i;
    if (i >= s.length) return false;
    if (t !== '*' && t !== s[i]) return false;
  }
  return p.length === s.length;
};

export const subjectMatchesAny = (patterns: readonly string[], subject: string): boolean =>
  patterns.some((p) => subjectMatchesPattern(p, subject));
