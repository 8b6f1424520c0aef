import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

/** An HTTP answer other than 200, with the status to send. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 405,
    message: string,
  ) {
    super(message);
  }
}

/** A URL path component decoded once; bad escapes are a 400. */
export function decodePath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, 'bad path encoding');
  }
}

/** Whether `file` (a real path) is `root` or lies under it. */
export function isInside(realRoot: string, file: string): boolean {
  return file === realRoot || file.startsWith(realRoot + sep);
}

/**
 * The real path of `rel` (already decoded) inside `root`, or an HttpError: absolute paths, `..`,
 * hidden names (.git, .ssh: never meant to be served) and symlinks that lead out of the root are
 * refused (403), missing files are 404. The root is resolved once by the caller.
 */
export function resolveInside(realRoot: string, rel: string): string {
  if (rel.includes('\0') || isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) throw new HttpError(403, 'outside the served folder');
  const parts = rel.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new HttpError(403, 'outside the served folder');
  if (parts.some((p) => p.startsWith('.'))) throw new HttpError(403, 'hidden files are not served');
  const candidate = join(realRoot, ...parts);
  if (!existsSync(candidate)) throw new HttpError(404, `${parts.join('/') || '.'}: not found`);
  const real = realpathSync(candidate);
  if (!isInside(realRoot, real)) throw new HttpError(403, 'outside the served folder');
  return real;
}

/** A file of a folder already found inside the root, checked again: a symlinked config.json must not lead out. */
export function fileInside(realRoot: string, file: string): string {
  const real = realpathSync(file);
  if (!isInside(realRoot, real)) throw new HttpError(403, 'outside the served folder');
  return real;
}
