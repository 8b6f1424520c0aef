import { InvalidArgumentError } from 'commander';

/** Commander argument parsers that reject junk with a one-line message instead of NaN. */
export function numberFlag(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('not a number.');
  return n;
}

export function integerFlag(value: string): number {
  const n = numberFlag(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('not an integer.');
  return n;
}

export function positiveIntegerFlag(value: string): number {
  const n = integerFlag(value);
  if (n < 1) throw new InvalidArgumentError('must be a positive integer.');
  return n;
}

export function nonNegativeIntegerFlag(value: string): number {
  const n = integerFlag(value);
  if (n < 0) throw new InvalidArgumentError('must be >= 0.');
  return n;
}

export function choiceFlag<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`choose one of ${choices.join(', ')}.`);
    }
    return value as T;
  };
}
