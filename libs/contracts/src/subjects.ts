import { ContractError } from './errors';

/**
 * Integration-event subjects: `<root>.<context>.<EventType>`, e.g. `bpane.projects.ProjectCreated`.
 *
 * The root is `bpane` in every deployment; tests (and side-by-side installations on one NATS
 * server) use another root so their subjects never meet. Typed code always names subjects with the
 * canonical `bpane` root; the messaging helpers rewrite it to the configured root on the wire.
 */
export const DEFAULT_SUBJECT_ROOT = 'bpane';

/** Bounded contexts as they appear in the second subject token. */
export const CONTEXTS = [
  'identity',
  'projects',
  'sessions',
  'browser-contexts',
  'egress-profiles',
  'files',
  'credentials',
  'extensions',
  'automation-tasks',
  'workflows',
  'recordings',
  'webhooks',
] as const;
export type ContextName = (typeof CONTEXTS)[number];

/** Context of events whose stream prefix no context has claimed (still published, never dropped). */
export const UNMAPPED_CONTEXT = 'unmapped';
export type SubjectContext = ContextName | typeof UNMAPPED_CONTEXT;

/**
 * Stream prefix (the part of a stream id before the first `-`, see ARCHITECTURE §3 "Streams") →
 * the context that owns it.
 */
export const STREAM_PREFIX_CONTEXT: Readonly<Record<string, ContextName>> = {
  principal: 'identity',
  servicePrincipal: 'identity',
  identityMapping: 'identity',
  project: 'projects',
  session: 'sessions',
  sessionTemplate: 'sessions',
  sessionConnection: 'sessions',
  browserContext: 'browser-contexts',
  egressProfile: 'egress-profiles',
  fileWorkspace: 'files',
  workspace: 'files',
  sessionFileBinding: 'files',
  credential: 'credentials',
  credentialBinding: 'credentials',
  extension: 'extensions',
  automationTask: 'automation-tasks',
  workflow: 'workflows',
  workflowDefinition: 'workflows',
  workflowVersion: 'workflows',
  workflowRun: 'workflows',
  workflowEndpoint: 'workflows',
  recording: 'recordings',
  webhook: 'webhooks',
  webhookSubscription: 'webhooks',
  webhookDelivery: 'webhooks',
};

/** The prefix of a stream id: everything before the first `-` (the whole id when there is none). */
export const streamPrefixOf = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
};

export const contextOfStream = (streamId: string): SubjectContext =>
  Object.hasOwn(STREAM_PREFIX_CONTEXT, streamPrefixOf(streamId))
    ? (STREAM_PREFIX_CONTEXT[streamPrefixOf(streamId)] as ContextName)
    : UNMAPPED_CONTEXT;

/**
 * One subject token for an event type. Event types are versioned by name (`ProjectCreated.v2`);
 * a `.` would split the token, so it becomes `_` (`ProjectCreated_v2`). Characters NATS reserves
 * in a token (whitespace, `*`, `>`) and anything outside `[A-Za-z0-9_-]` also become `_`.
 */
export const eventTypeToken = (eventType: string): string => {
  const token = eventType.replace(/[^A-Za-z0-9_-]/g, '_');
  return token.length === 0 ? '_' : token;
};

const TOKEN = /^[A-Za-z0-9_-]+$/;

export const assertSubjectRoot = (root: string): string => {
  const parts = root.split('.');
  if (parts.length === 0 || parts.some((p) => !TOKEN.test(p))) {
    throw new ContractError(
      'invalid_subject',
      `subject root "${root}" must be dot-separated tokens of [A-Za-z0-9_-]`,
      {
        details: { root },
      },
    );
  }
  return root;
};

/** The canonical subject (root `bpane`) of an event from its stream id and type. */
export const canonicalSubjectFor = (streamId: string, eventType: string): string =>
  `${DEFAULT_SUBJECT_ROOT}.${contextOfStream(streamId)}.${eventTypeToken(eventType)}`;

/** Rewrites a canonical subject or pattern (`bpane.…`) to the configured root. */
export const toWireSubject = (canonical: string, root: string): string => {
  if (canonical !== DEFAULT_SUBJECT_ROOT && !canonical.startsWith(`${DEFAULT_SUBJECT_ROOT}.`)) {
    throw new ContractError(
      'invalid_subject',
      `subject "${canonical}" does not start with "${DEFAULT_SUBJECT_ROOT}."`,
      {
        details: { subject: canonical },
      },
    );
  }
  return `${assertSubjectRoot(root)}${canonical.slice(DEFAULT_SUBJECT_ROOT.length)}`;
};

/** Rewrites a wire subject under `root` back to its canonical form. */
export const toCanonicalSubject = (wire: string, root: string): string => {
  if (!wire.startsWith(`${root}.`)) {
    throw new ContractError('invalid_subject', `subject "${wire}" is not under root "${root}"`, {
      details: { subject: wire, root },
    });
  }
  return `${DEFAULT_SUBJECT_ROOT}${wire.slice(root.length)}`;
};

/**
 * NATS subject-pattern matching (`*` one token, `>` one or more trailing tokens), used to check
 * that a consumer's pattern is well formed and to route messages in tests and tools.
 */
export const subjectMatches = (pattern: string, subject: string): boolean => {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const token = p[i];
    if (token === '>') return s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return p.length === s.length;
};

export const assertSubjectPattern = (pattern: string): string => {
  const tokens = pattern.split('.');
  const ok = tokens.every((t, i) => t === '*' || (t === '>' && i === tokens.length - 1) || TOKEN.test(t));
  if (!ok || tokens[0] !== DEFAULT_SUBJECT_ROOT) {
    throw new ContractError(
      'invalid_subject',
      `subject pattern "${pattern}" must start with "${DEFAULT_SUBJECT_ROOT}." and use tokens of [A-Za-z0-9_-], "*" or a final ">"`,
      { details: { pattern } },
    );
  }
  return pattern;
};
