import { existsSync } from 'node:fs';
import { RandwireError } from '../core/errors.js';
import { printable } from '../core/format.js';
import { readText } from './files.js';

/** Parse JSON text; a syntax error is a one-line user error naming the file. */
export function parseJson<T = unknown>(text: string, source: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    // JSON.parse quotes the text around the error: from a binary file, bytes a terminal acts on.
    throw new RandwireError('io', `${source} is not valid JSON (${printable((e as Error).message, 160)})`);
  }
}

/** Read a JSON file; missing, unreadable or malformed files are one-line user errors. */
export function readJson<T = unknown>(path: string, what: string): T {
  if (!existsSync(path)) throw new RandwireError('io', `${what} not found: ${path}`);
  return parseJson<T>(readText(path, what), path);
}

/** Read a JSON-lines file (one object a line, blank lines skipped), naming the line of any damage. */
export function readJsonLines<T = unknown>(path: string, what: string): T[] {
  return readText(path, what)
    .split('\n')
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim())
    .map(({ line, i }) => parseJson<T>(line, `${path} line ${i + 1}`));
}
