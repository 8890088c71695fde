import { isJsonObject } from './json';

/**
 * Tiny structural checks for payload contracts. A guard returns the list of problems
 * (empty = valid), so a rejected message can say exactly which field is wrong.
 */
export type Guard<T> = ((value: unknown, path: string) => string[]) & { readonly __type?: [T] };
export type Infer<G> = G extends { readonly __type?: [infer T] } ? T : never;

export const str: Guard<string> = (v, p) => (typeof v === 'string' ? [] : [`${p} must be a string`]);
export const nonEmptyStr: Guard<string> = (v, p) =>
  typeof v === 'string' && v.length > 0 ? [] : [`${p} must be a non-empty string`];
export const int: Guard<number> = (v, p) => (Number.isSafeInteger(v) ? [] : [`${p} must be an integer`]);
export const bool: Guard<boolean> = (v, p) => (typeof v === 'boolean' ? [] : [`${p} must be a boolean`]);

export const nullable =
  <T>(g: Guard<T>): Guard<T | null> =>
  (v, p) =>
    v === null ? [] : g(v, p);

export const stringRecord: Guard<Readonly<Record<string, string>>> = (v, p) =>
  isJsonObject(v)
    ? Object.entries(v).flatMap(([k, x]) => (typeof x === 'string' ? [] : [`${p}.${k} must be a string`]))
    : [`${p} must be an object of strings`];

type Field = { guard: Guard<unknown>; optional: boolean };
export const optional = <T>(g: Guard<T>): Field & { guard: Guard<T | undefined> } => ({
  guard: g,
  optional: true,
});

type Shape = Record<string, Guard<unknown> | Field>;
type GuardType<G> = Infer<G>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Field ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Field ? K : never }[keyof S];
export type ShapeType<S extends Shape> = Readonly<
  { [K in RequiredKeys<S>]: GuardType<S[K]> } & {
    [K in OptionalKeys<S>]?: S[K] extends Field ? GuardType<S[K]['guard']> : never;
  }
>;

/** An object with the given fields; extra fields are allowed (contracts grow additively). */
export const object =
  <S extends Shape>(shape: S): Guard<ShapeType<S>> =>
  (v, p) => {
    if (!isJsonObject(v)) return [`${p} must be an object`];
    return Object.entries(shape).flatMap(([key, spec]) => {
      const field: Field = typeof spec === 'function' ? { guard: spec, optional: false } : spec;
      const value = v[key];
      if (value === undefined) return field.optional ? [] : [`${p}.${key} is required`];
      return field.guard(value, `${p}.${key}`);
    });
  };

export const arrayOf =
  <T>(g: Guard<T>): Guard<readonly T[]> =>
  (v, p) =>
    Array.isArray(v) ? v.flatMap((x, i) => g(x, `${p}[${i}]`)) : [`${p} must be an array`];

export const literal =
  <const V extends string>(...values: readonly V[]): Guard<V> =>
  (v, p) =>
    typeof v === 'string' && (values as readonly string[]).includes(v)
      ? []
      : [`${p} must be one of ${values.join(', ')}`];
