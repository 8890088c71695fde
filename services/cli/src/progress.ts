import { type RebuildProgress } from '@bpane/read-models';
import { toJson } from './output';

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

export const formatEta = (seconds: number | null): string => {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
};

/**
 * `[#######.............]  35%  12,000/34,000 events  21,500 ev/s  ETA 0:01`. `total` is the
 * number of events in the log when known; otherwise it is estimated from the position range.
 */
export const formatProgress = (p: RebuildProgress, total: number | null, width = 24): string => {
  const fraction =
    total !== null && total > 0 && p.phase === 'replay' ? Math.min(1, p.eventsDone / total) : p.fraction;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const pct = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const estimated = total === null;
  const totalCount = total ?? (p.fraction > 0 ? p.eventsDone / p.fraction : null);
  const of =
    totalCount === null ? '?' : `${estimated ? '~' : ''}${fmtInt(Math.max(totalCount, p.eventsDone))}`;
  const eta =
    total !== null && p.eventsPerSecond > 0
      ? Math.max(0, total - p.eventsDone) / p.eventsPerSecond
      : p.etaSeconds;
  return `${p.phase.padEnd(6)} ${bar} ${pct}  ${fmtInt(p.eventsDone)}/${of} events  ${fmtInt(p.eventsPerSecond)} ev/s  ETA ${formatEta(
    p.phase === 'done' ? 0 : eta,
  )}`;
};

export type ProgressReporter = Readonly<{ update: (p: RebuildProgress) => void; finish: () => void }>;

/**
 * Progress on stderr: redrawn in place on a terminal; on a pipe one line per `intervalMs` (and the
 * phase changes); with `--json` one JSON object per line.
 */
export const progressReporter = (
  write: (text: string) => void,
  options: Readonly<{ tty: boolean; json: boolean; total: number | null; intervalMs?: number }>,
): ProgressReporter => {
  const interval = options.intervalMs ?? (options.tty ? 100 : 1_000);
  let last = 0;
  let lastPhase = '';
  let drawn = false;
  return {
    update: (p) => {
      const now = Date.now();
      if (p.phase === lastPhase && now - last < interval) return;
      last = now;
      lastPhase = p.phase;
      if (options.json) {
        write(
          `${toJson({
            progress: {
              phase: p.phase,
              eventsDone: p.eventsDone,
              eventsTotal: options.total,
              eventsPerSecond: Math.round(p.eventsPerSecond),
              etaSeconds: p.etaSeconds === null ? null : Math.round(p.etaSeconds * 10) / 10,
              position: p.position,
            },
          })}\n`,
        );
      } else if (options.tty) {
        write(`\r\x1b[2K${formatProgress(p, options.total)}`);
        drawn = true;
      } else {
        write(`${formatProgress(p, options.total)}\n`);
      }
    },
    finish: () => {
      if (drawn) write('\n');
    },
  };
};
