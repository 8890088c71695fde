import type { ReactNode } from 'react';
import { ApiError, problemReport, type ProblemKind } from '../api/problem';

const HEADINGS: Record<ProblemKind, string> = {
  deployment: 'The deployment is not ready',
  user: 'The request was refused',
  server: 'The server failed',
  network: 'The gateway cannot be reached',
};

const HINTS: Record<ProblemKind, string> = {
  deployment:
    'This is a configuration or infrastructure problem, not something you did: an operator needs to start or configure the missing dependency. The details below help them.',
  user: 'Check the input or the state of the resource and try again.',
  server: 'An unexpected error. Report the details below.',
  network: 'Check that the gateway is running and reachable from this browser.',
};

/** A failure shown by its kind, with the problem document to copy. */
export function ProblemPanel({ error, title }: { error: unknown; title?: string }) {
  if (!(error instanceof ApiError)) {
    return (
      <div role="alert" className="problem problem-server">
        <strong>{title ?? 'Something went wrong'}</strong>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </div>
    );
  }
  const kind = error.kind;
  const report = problemReport(error);
  return (
    <div role="alert" className={`problem problem-${kind}`} data-kind={kind}>
      <strong>
        {title === undefined ? '' : `${title}: `}
        {HEADINGS[kind]}
      </strong>
      <p>
        <code>{error.problem.code}</code> — {error.problem.detail ?? error.problem.title}
      </p>
      {error.problem.errors?.length ? (
        <ul>
          {error.problem.errors.map((e) => (
            <li key={e.field}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="hint">{HINTS[kind]}</p>
      <details>
        <summary>Details</summary>
        <textarea
          readOnly
          aria-label="Problem details"
          value={report}
          rows={Math.min(14, report.split('\n').length)}
        />
        <button type="button" onClick={() => void navigator.clipboard?.writeText(report)}>
          Copy details
        </button>
      </details>
    </div>
  );
}

/** Work in progress (a command accepted, a read model catching up): neither success nor failure. */
export function Pending({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="pending">
      <span className="spinner" aria-hidden="true" /> {children}
    </p>
  );
}
