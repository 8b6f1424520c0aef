import { CommanderError } from 'commander';
import { storageProblem } from '../io/files.js';
import { isRandwireError, STORAGE_EXIT_CODE, StorageError } from '../core/errors.js';

/** The exit code for an error: 1 for a user's mistake, 74 (EX_IOERR) for a disk that refused, 70 (EX_SOFTWARE) for a bug. */
export function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // Help and --version end here too, with exit code 0; usage errors were already printed.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (isRandwireError(e)) {
    process.stderr.write(`randwire: ${e.message}\n`);
    return e instanceof StorageError ? STORAGE_EXIT_CODE : 1;
  }
  if (e instanceof WebAssembly.RuntimeError) {
    // Usually wasm's 4 GB heap running out; the rest of the message is emscripten's.
    process.stderr.write(`randwire: the wasm backend failed (${e.message.split('.')[0]}); if it ran out of memory, use a smaller --micro-batch or --batch-size\n`);
    return 1;
  }
  // A disk that fills up or turns read-only under a bare fs call (the store's SQLite calls are guarded in store.ts).
  const storage = storageProblem(e);
  if (storage) return reportError(storage);
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`randwire: internal error (please report it): ${err.stack ?? err.message}\n`);
  return 70;
}

const isEpipe = (e: unknown): boolean => (e as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';

/**
 * Installed before any backend loads. tfjs-backend-wasm's emscripten glue adds listeners that
 * rethrow, so Node printed the offending line of its minified source (~30 KB) for any uncaught
 * error. Listeners run in order; ours comes first and ends the process, so theirs never run.
 * A closed pipe (`randwire info | head -1`) ends the process quietly, as for other Unix tools.
 */
export function installProcessErrorHandlers(): void {
  const onFatal = (e: unknown): void => {
    if (isEpipe(e)) process.exit(0);
    process.exit(reportError(e));
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (isEpipe(e)) process.exit(0);
      onFatal(e);
    });
  }
}
