import Database from 'better-sqlite3';
import { accessSync, constants, existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { RandwireError, StorageError } from '../core/errors.js';

const isSqliteError = (e: unknown): e is Error & { code: string } => e instanceof Database.SqliteError;

const isDamage = (e: unknown): boolean => isSqliteError(e) && (e.code.startsWith('SQLITE_CORRUPT') || e.code === 'SQLITE_NOTADB');

/**
 * What SQLite's quick_check finds wrong with the file's structure, on one line, or undefined when
 * it is sound; a check that cannot run for another reason (a read-only folder) throws that error.
 */
export function quickCheckProblem(db: Database.Database): string | undefined {
  try {
    const rows = db.pragma('quick_check(1)') as Array<{ quick_check: string }>;
    if (rows.length === 1 && rows[0]!.quick_check === 'ok') return undefined;
    return `quick_check: ${rows
      .map((r) => r.quick_check)
      .join(' ')
      .replace(/\*\*\* in database \w+ \*\*\*/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200)}`;
  } catch (e) {
    if (isDamage(e)) return (e as Error).message;
    throw e;
  }
}

/** quick_check where an error is being explained already: a check that cannot run tells nothing. */
function quietQuickCheck(db: Database.Database): boolean {
  try {
    return quickCheckProblem(db) === undefined;
  } catch {
    return true;
  }
}

/** The message for a damaged sweep.db, with the way out: its trials' folders still hold their results. */
export function damagedStore(file: string, why: string): StorageError {
  const folder = dirname(file);
  return new StorageError(
    'sweep',
    `${file} is damaged (${why}); move it aside (or put back a copy) and run randwire sweep run ${folder} again: trials whose folders hold their results are collected, not trained again`,
  );
}

/** Why SQLite could not open or write `file`, from the folder it lies in (SQLite's own words name no cause). */
function folderCause(file: string): string {
  try {
    accessSync(dirname(file), constants.W_OK);
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return 'read-only file system';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  }
  return 'read-only file system or permission denied';
}

/**
 * A SQLite error on the sweep store `file` (named as the user should see it) as one line naming
 * the file and the cause: damaged, disk full, read-only or no permission, locked. Errors that
 * name no such cause are told apart by SQLite's quick_check on `db`: a damaged file, or a bug
 * (returned unchanged).
 */
export function storeProblem(e: unknown, file: string, db?: Database.Database, realFile = file): unknown {
  if (!isSqliteError(e)) return e;
  const code = e.code;
  if (isDamage(e)) return damagedStore(file, e.message);
  if (code.startsWith('SQLITE_FULL')) return new StorageError('sweep', `cannot write ${file}: the disk is full; free some space and run it again`);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    const opening = code.startsWith('SQLITE_CANTOPEN');
    // Even a reader of a WAL database creates its -shm file beside it.
    const why =
      opening && existsSync(realFile) ? ` (SQLite writes ${basename(realFile)}-shm beside it even to read it; copy the folder somewhere writable)` : '';
    return new StorageError('sweep', `cannot ${opening ? 'open' : 'write'} ${file}: ${folderCause(realFile)}${why}`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new RandwireError('sweep', `${file} is locked by another process; try again when it is done`);
  if (db?.open && !quietQuickCheck(db)) return damagedStore(file, e.message);
  if (code.startsWith('SQLITE_IOERR')) return new StorageError('sweep', `cannot use ${file}: input/output error (${e.message}); is the disk failing?`);
  return e;
}

/** Run `f` on the store, turning what SQLite says about the file into one line (see storeProblem). */
export function guardStore<T>(file: string, db: Database.Database | undefined, f: () => T, realFile = file): T {
  try {
    return f();
  } catch (e) {
    throw storeProblem(e, file, db, realFile);
  }
}
