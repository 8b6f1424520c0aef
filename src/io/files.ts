import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { RandwireError } from '../core/errors.js';

/** Read a text file, turning "not found" and friends into a one-line user error. */
export function readText(path: string, what = 'file'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RandwireError('io', `${what} not found: ${path}`);
    if (code === 'EISDIR') throw new RandwireError('io', `${what} is a directory, expected a file: ${path}`);
    throw new RandwireError('io', `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** Write a file atomically (temp file + rename), creating its folder; a crash never leaves half a file. */
export function writeText(path: string, text: string | Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    throw new RandwireError('io', `cannot write ${path}: ${(e as Error).message}`);
  }
}
