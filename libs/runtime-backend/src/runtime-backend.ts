import { BpaneError } from '@bpane/errors';

/**
 * The runtime backend port (docs/runtime-backends.md, ADR 0016): whatever runs a session's browser.
 * `local` (host-agent process trees on this machine) implements it now; `docker`, `kubernetes` and
 * `host_bridge` implement the same port and pass the same contract suite.
 */
export type RuntimeSpec = Readonly<{
  sessionId: string;
  /** Id the caller chose for the runtime (unique); the backend generates one when absent. */
  runtimeId?: string;
  /** Key of the persisted browser profile; the session id unless the caller says otherwise. */
  profileKey?: string;
  viewport: Readonly<{ width: number; height: number }>;
  startUrl?: string;
}>;

export type RuntimeHandle = Readonly<{
  runtimeId: string;
  backend: string;
  sessionId: string;
  profileKey: string;
  /** The host agent's link endpoint (`/link`, `/cdp/…`), e.g. `http://127.0.0.1:9320`. */
  hostLinkUrl: string;
  /** Per-runtime secret of the host link. Never logged. */
  hostLinkSecret: string;
  /** Direct DevTools endpoint of the runtime's Chromium, when the backend exposes one. */
  cdp: Readonly<{ httpUrl: string }> | null;
  /** Process id of the runtime's root process (local backend), null elsewhere. */
  pid: number | null;
  startedAt: string;
}>;

/** One runtime the backend knows about (also runtimes started before a gateway restart). */
export type RuntimeInfo = RuntimeHandle & Readonly<{ alive: boolean }>;

export type RuntimeHealth = Readonly<{
  runtimeId: string;
  status: 'ready' | 'starting' | 'unhealthy' | 'gone';
  reason: string | null;
}>;

export type RuntimeCapacity = Readonly<{
  /** Runtimes that may exist at once (running or starting); null = unlimited. */
  maxActive: number | null;
  /** Runtimes that may be starting at once; null = unlimited. */
  maxStarting: number | null;
  active: number;
  starting: number;
}>;

export type StopOptions = Readonly<{ force?: boolean }>;

export interface RuntimeBackend {
  /** Backend name recorded on the session (`local`, `docker`, …). */
  readonly name: string;
  /** Starts a runtime and resolves once it is ready to stream; `capacity_exhausted` beyond limits. */
  start(spec: RuntimeSpec): Promise<RuntimeHandle>;
  /** Stops a runtime and everything it started; idempotent (an unknown id resolves). */
  stop(runtimeId: string, options?: StopOptions): Promise<void>;
  /** Every runtime this backend has a record of, alive or not (re-adoption and reaping). */
  list(): Promise<readonly RuntimeInfo[]>;
  health(runtimeId: string): Promise<RuntimeHealth>;
  capacity(): RuntimeCapacity;
  /** Releases the backend's own resources; runtimes keep running (they are re-adopted later). */
  close(): Promise<void>;
}

export type RuntimeErrorCode =
  | 'runtime_unavailable'
  | 'capacity_exhausted'
  | 'runtime_not_found'
  | 'runtime_start_failed'
  | 'runtime_start_timeout'
  | 'invalid_runtime_spec';

export class RuntimeBackendError extends BpaneError<RuntimeErrorCode> {}

export const hasCapacity = (c: RuntimeCapacity): boolean =>
  (c.maxActive === null || c.active < c.maxActive) && (c.maxStarting === null || c.starting < c.maxStarting);
