import { InvalidArgumentError } from 'commander';

export const positiveInt = (value: string): number => {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value)))
    throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
};

export const position = (value: string): bigint => {
  if (!/^(0|[1-9][0-9]{0,18})$/.test(value) || BigInt(value) > 9_223_372_036_854_775_807n)
    throw new InvalidArgumentError('must be a global position (a non-negative 64-bit integer)');
  return BigInt(value);
};

export const collect = (value: string, previous: readonly string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0),
];
