/**
 * An error a user can cause (bad flag, missing file, corrupt data). The CLI prints its message
 * on one line and exits non-zero; anything else is a bug and keeps its stack trace.
 */
export class RandwireError extends Error {
  /** `module` names the layer that refused, as the message's first word. */
  constructor(module: string, message: string) {
    super(`${module}: ${message}`);
    this.name = 'RandwireError';
  }
}

/** Whether an error is a user mistake or a refused input (a RandwireError, one line to show), rather than a bug. */
export function isRandwireError(e: unknown): e is RandwireError {
  return e instanceof RandwireError;
}

/**
 * The disk or file system refused (full, read-only, no permission, a damaged file): nothing the
 * command did wrong, and it can go on once the cause is gone. Its exit code (EX_IOERR of
 * sysexits.h) lets a coordinator tell it from a trial's own failure.
 */
export class StorageError extends RandwireError {
  constructor(module: string, message: string) {
    super(module, message);
    this.name = 'StorageError';
  }
}

export const STORAGE_EXIT_CODE = 74;
