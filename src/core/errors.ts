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

export function isRandwireError(e: unknown): e is RandwireError {
  return e instanceof RandwireError;
}
