export type Logger = Readonly<{
  info: (message: string, details?: Record<string, unknown>) => void;
  warn: (message: string, details?: Record<string, unknown>) => void;
  error: (message: string, details?: Record<string, unknown>) => void;
}>;

const describe = (value: unknown): unknown =>
  value instanceof Error ? { name: value.name, message: value.message } : value;

/** One JSON object per line on stderr. Secrets are never passed in here. */
export const jsonLogger = (service: string): Logger => {
  const write = (level: string, message: string, details?: Record<string, unknown>): void => {
    const extra = Object.fromEntries(Object.entries(details ?? {}).map(([k, v]) => [k, describe(v)]));
    process.stderr.write(
      `${JSON.stringify(
        { time: new Date().toISOString(), level, service, message, ...extra },
        (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
      )}\n`,
    );
  };
  return {
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  };
};
