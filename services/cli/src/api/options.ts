import { InvalidArgumentError } from 'commander';

/** `k=v` labels, repeatable: collected into an object (a later key wins). */
export const labelOption = (value: string, previous: Readonly<Record<string, string>> = {}) => {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('must be key=value');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
};

/** A repeatable string option. */
export const repeat = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

export const nonNegativeInt = (value: string): number => {
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new InvalidArgumentError('must be a non-negative integer');
  return Number(value);
};

export const oneOf =
  <T extends string>(...allowed: readonly T[]) =>
  (value: string): T => {
    if (!(allowed as readonly string[]).includes(value))
      throw new InvalidArgumentError(`must be one of ${allowed.join(', ')}`);
    return value as T;
  };

/** `WIDTHxHEIGHT`, e.g. 1280x720. */
export const viewport = (value: string): { width: number; height: number } => {
  const m = /^([0-9]{1,5})x([0-9]{1,5})$/.exec(value);
  if (m === null) throw new InvalidArgumentError('must be WIDTHxHEIGHT, e.g. 1280x720');
  return { width: Number(m[1]), height: Number(m[2]) };
};

/** A global log position (decimal, up to 19 digits). */
export const logPosition = (value: string): string => {
  if (!/^[0-9]{1,19}$/.test(value)) throw new InvalidArgumentError('must be a global log position');
  return value;
};

/** Drops the keys whose value is `undefined` (optional fields the user did not give). */
export const compact = (value: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
