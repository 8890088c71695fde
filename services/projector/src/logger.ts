export type Logger = Readonly<{
  info: (message: string, fields?: Record<string, unknown>) => void;
  error: (message: string, fields?: Record<string, unknown>) => void;
}>;

export const PROJECTOR_LOGGER = Symbol('PROJECTOR_LOGGER');

const plain = (value: unknown): unknown =>
  value instanceof Error ? { name: value.name, message: value.message } : value;

/** One JSON object per line on stderr. */
export const jsonLogger = (service: string): Logger => {
  const write = (level: string, message: string, fields?: Record<string, unknown>): void => {
    const extra = Object.fromEntries(Object.entries(fields ?? {}).map(([k, v]) => [k, plain(v)]));
    process.stderr.write(
      `${JSON.stringify(
        { time: new Date().toISOString(), level, service, message, ...extra },
        (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
      )}\n`,
    );
  };
  return { info: (m, f) => write('info', m, f), error: (m, f) => write('error', m, f) };
};
