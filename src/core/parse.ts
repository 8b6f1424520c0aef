import { SEEDINGS, type Seeding } from './rng.js';

/**
 * Parsers for values typed by a user (flags, sweep files). Each returns the value or throws an
 * Error whose message says what was expected; the CLI turns it into commander's one-line error.
 */
/**
 * Decimal notation only: JavaScript's Number() also reads 0x10, 0b1 and 0o7 (16, 1, 7), blanks
 * around the digits and Infinity, which nobody means by "--epochs 0x10". An exponent stays (1e-3, 1e9).
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseNumber(text: string): number {
  const n = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(n)) throw new Error('not a number (decimal digits, as 12, 0.5 or 1e-3).');
  return n;
}

export function parseInteger(text: string): number {
  if (!DECIMAL.test(text)) throw new Error('not an integer (decimal digits, as 12).');
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error('not an integer.');
  return n;
}

export function parsePositiveInteger(text: string): number {
  const n = parseInteger(text);
  if (n < 1) throw new Error('must be a positive integer.');
  return n;
}

export function parseNonNegativeInteger(text: string): number {
  const n = parseInteger(text);
  if (n < 0) throw new Error('must be >= 0.');
  return n;
}

/** A seeding version (core/rng.ts), as typed: exactly `1` or `2`. */
export function parseSeeding(text: string): Seeding {
  const n = Number(text);
  if (!(SEEDINGS as readonly number[]).includes(n) || text.trim() !== String(n)) throw new Error(`choose ${SEEDINGS.join(' or ')}.`);
  return n as Seeding;
}

export function parseChoice<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text: string) => {
    if (!(choices as readonly string[]).includes(text)) throw new Error(`choose one of ${choices.join(', ')}.`);
    return text as T;
  };
}

/** The command-line flag of a camelCase key: pIn -> --p-in (the CLI and the dashboard's command lines). */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
