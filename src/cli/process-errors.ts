import { CommanderError } from 'commander';
import { isRandwireError, STORAGE_EXIT_CODE, StorageError } from '../core/errors.js';
import { storageProblem } from '../io/files.js';
import { dropClosedStream, isEpipe, quietOnClosedOutput } from './closed-output.js';
import { printable } from '../core/format.js';

/** The exit code for an error: 1 for a user's mistake, 74 (EX_IOERR) for a disk that refused, 70 (EX_SOFTWARE) for a bug. */
export function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // Help and --version end here too, with exit code 0; usage errors were already printed.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (isRandwireError(e)) {
    // The message may quote a file or a flag: no byte of it may act on the terminal.
    process.stderr.write(`randwire: ${printable(e.message, Number.POSITIVE_INFINITY, true)}\n`);
    return e instanceof StorageError ? STORAGE_EXIT_CODE : 1;
  }
  if (e instanceof WebAssembly.RuntimeError) {
    // Usually wasm's 4 GB heap running out; the rest of the message is emscripten's.
    process.stderr.write(
      `randwire: the wasm backend failed (${e.message.split('.')[0]}); if it ran out of memory, use a smaller --micro-batch or --batch-size\n`,
    );
    return 1;
  }
  // A disk that fills up or turns read-only under a bare fs call (the store's SQLite calls are guarded in store.ts).
  const storage = storageProblem(e);
  if (storage) return reportError(storage);
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`randwire: internal error (please report it): ${err.stack ?? err.message}\n`);
  return 70;
}

/** Longest wait for stdout and stderr to drain before an exit that may not wait for the event loop. */
const FLUSH_MS = 2000;

/**
 * Exit with `code` once what was written to stdout and stderr has left (writes to a pipe are
 * asynchronous), and within FLUSH_MS whatever else still holds the event loop: a process that
 * has failed must end, not linger on an open stdin or a timer.
 */
export function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), FLUSH_MS).unref();
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/**
 * Installed before any backend loads. tfjs-backend-wasm's emscripten glue adds listeners that
 * rethrow, so Node printed the offending line of its minified source (~30 KB) for any uncaught
 * error. Listeners run in order; ours comes first and ends the process, so theirs never run.
 * A closed stdout or stderr (EPIPE) is handled as closed-output.ts says.
 */
export function installProcessErrorHandlers(): void {
  const onFatal = (e: unknown): void => {
    if (isEpipe(e) && quietOnClosedOutput()) process.exit(0);
    process.exit(reportError(e));
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (!isEpipe(e)) onFatal(e);
      else if (quietOnClosedOutput()) process.exit(0);
      else dropClosedStream(stream);
    });
  }
}
