import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

/** An HTTP answer other than 200, with the status to send. */
export class HttpError extends Error {
  constructor(readonly status: 403 | 404 | 400 | 405, message: string) {
    super(message);
  }
}

/**
 * The real path of `rel` inside `root`, or an HttpError: absolute paths, `..` and symlinks that
 * lead out of the root are refused (403), missing files are 404. The root is resolved once by the caller.
 */
export function resolveInside(realRoot: string, rel: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    throw new HttpError(400, 'bad path encoding');
  }
  if (decoded.includes('\0') || isAbsolute(decoded) || /^[A-Za-z]:/.test(decoded)) throw new HttpError(403, 'outside the served folder');
  const parts = decoded.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new HttpError(403, 'outside the served folder');
  const candidate = join(realRoot, ...parts);
  if (!existsSync(candidate)) throw new HttpError(404, `${parts.join('/') || '.'}: not found`);
  const real = realpathSync(candidate);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) throw new HttpError(403, 'outside the served folder');
  return real;
}
