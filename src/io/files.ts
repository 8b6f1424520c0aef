import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
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

/** Read a binary file; missing files, folders and unreadable files are one-line user errors. */
export function readBytes(path: string, what = 'file'): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RandwireError('io', `${what} not found: ${path}`);
    if (code === 'EISDIR') throw new RandwireError('io', `${what} is a directory, expected a file: ${path}`);
    throw new RandwireError('io', `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** Why a write to `path` failed, in the user's terms (never the temporary file's name). */
function writeProblem(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  let isDir = code === 'EISDIR';
  try {
    isDir ||= statSync(path).isDirectory();
  } catch {
    // The path does not exist: not a directory.
  }
  if (isDir) return `${path} is a directory; give a file name`;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EEXIST') return `cannot write ${path}: a folder on its path is missing or is a file`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot write ${path}: permission denied`;
  if (code === 'ENOSPC') return `cannot write ${path}: the disk is full`;
  return `cannot write ${path}: ${(e as Error).message.replace(/\.tmp-\d+/g, '')}`;
}

/** Write a file atomically (temp file + rename), creating its folder; a crash never leaves half a file. */
export function writeText(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true, recursive: true });
    } catch {
      // Nothing to clean up when a file stands where the folder should be (ENOTDIR).
    }
    throw new RandwireError('io', writeProblem(path, e));
  }
}
