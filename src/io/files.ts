import { accessSync, closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RandwireError, StorageError } from '../core/errors.js';
import { LIMITS, formatBytes } from '../core/limits.js';

/** Errors of the disk or file system rather than of the path given, in the user's words. */
const STORAGE_CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EIO: 'input/output error (is the disk failing?)',
};

/** What a bare fs call that failed was doing, for its message. */
const SYSCALL_VERBS: Record<string, string> = { open: 'open', mkdir: 'create', read: 'read', scandir: 'read', stat: 'read', unlink: 'remove', rmdir: 'remove' };

/** What keeps anything from being created below `folder`: the nearest folder that exists says. */
function blockerAbove(folder: string): { code?: string; file?: string } {
  for (let p = resolve(folder); ; p = dirname(p)) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) return { file: p };
    if (st) {
      try {
        accessSync(p, constants.W_OK);
        return {};
      } catch (e) {
        return { code: (e as NodeJS.ErrnoException).code };
      }
    }
    if (dirname(p) === p) return {};
  }
}

/**
 * A file system error as a one-line error naming `path` and the cause, when the disk or file
 * system is at fault (full, read-only, no permission); undefined for anything else.
 */
export function storageProblem(
  e: unknown,
  path = (e as NodeJS.ErrnoException).path,
  verb = SYSCALL_VERBS[(e as NodeJS.ErrnoException).syscall ?? ''] ?? 'write',
): StorageError | undefined {
  const cause = STORAGE_CAUSES[(e as NodeJS.ErrnoException | undefined)?.code ?? ''];
  if (!cause || path === undefined) return undefined;
  return new StorageError('io', `cannot ${verb} ${path.replace(/\.tmp-\d+/g, '')}: ${cause}`);
}

function readProblem(path: string, what: string, e: unknown): RandwireError {
  if (e instanceof RandwireError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new RandwireError('io', `${what} not found: ${path}`);
  if (code === 'EISDIR') return new RandwireError('io', `${what} is a directory, expected a file: ${path}`);
  return storageProblem(e, path, `read ${what}`) ?? new RandwireError('io', `cannot read ${what} ${path}: ${(e as Error).message}`);
}

/**
 * Read at most `maxBytes` of a file, turning "not found" and friends into a one-line user error:
 * a regular file is measured first; a device or pipe (whose size is 0, such as /dev/zero) is read
 * until it ends or passes the limit.
 */
export function readBounded(path: string, what: string, maxBytes: number, kind = 'a file'): Buffer {
  const limit = `the ${formatBytes(maxBytes)} randwire reads from ${kind}`;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (st.isFile() && st.size > maxBytes) throw new RandwireError('io', `${what} ${path} is ${formatBytes(st.size)}, more than ${limit}`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new RandwireError('io', `${what} ${path} did not end within ${limit}`);
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    throw readProblem(path, what, e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Read a text file (JSON, configs, graphs) of at most `maxBytes`; every problem is a one-line user error. */
export function readText(path: string, what = 'file', maxBytes: number = LIMITS.textFileBytes): string {
  return readBounded(path, what, maxBytes, 'a text or JSON file').toString('utf8');
}

/** Read a binary file; missing files, folders and unreadable files are one-line user errors. */
export function readBytes(path: string, what = 'file'): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw readProblem(path, what, e);
  }
}

/** Why a write to `path` failed, in the user's terms (never the temporary file's name). */
function writeProblem(path: string, e: unknown): RandwireError {
  const code = (e as NodeJS.ErrnoException).code;
  let isDir = code === 'EISDIR';
  try {
    isDir ||= statSync(path).isDirectory();
  } catch {
    // The path does not exist: not a directory.
  }
  if (isDir) return new RandwireError('io', `${path} is a directory; give a file name`);
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EEXIST') {
    // A recursive mkdir says ENOENT on a read-only mount too: the folder above tells which.
    const blocker = blockerAbove(dirname(path));
    if (blocker.file) return new RandwireError('io', `cannot write ${path}: ${blocker.file} is a file, not a folder`);
    return (
      storageProblem({ code: blocker.code }, path, 'write') ?? new RandwireError('io', `cannot write ${path}: a folder on its path is missing or is a file`)
    );
  }
  return storageProblem(e, path, 'write') ?? new RandwireError('io', `cannot write ${path}: ${(e as Error).message.replace(/\.tmp-\d+/g, '')}`);
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
    throw writeProblem(path, e);
  }
}

/** Create a folder (and those above it); what the file system refuses is said in one line. */
export function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EEXIST') throw storageProblem(e, dir, 'create') ?? e;
    const blocker = blockerAbove(dir);
    if (blocker.file) throw new RandwireError('io', `cannot create ${dir}: ${blocker.file} is a file, not a folder`);
    throw (
      storageProblem({ code: blocker.code }, dir, 'create') ?? new RandwireError('io', `cannot create ${dir}: a folder on its path is missing or is a file`)
    );
  }
}
