import { InvalidArgumentError } from 'commander';
import { parseChoice, parseInteger, parseNonNegativeInteger, parseNumber, parsePositiveInteger, parseSeeding } from '../core/parse.js';

/** A core parser as a commander argument parser: bad input is commander's one-line error. */
export function flagParser<T>(parse: (text: string) => T): (text: string) => T {
  return (text: string) => {
    try {
      return parse(text);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

export const numberFlag = flagParser(parseNumber);
export const integerFlag = flagParser(parseInteger);
export const positiveIntegerFlag = flagParser(parsePositiveInteger);
export const nonNegativeIntegerFlag = flagParser(parseNonNegativeInteger);
export const seedingFlag = flagParser(parseSeeding);

export function choiceFlag<T extends string>(choices: readonly T[]): (value: string) => T {
  return flagParser(parseChoice(choices));
}

export { flagOf } from '../core/parse.js';
