/**
 * What a command does when its stdout or stderr goes away (EPIPE: `randwire ... | head -1`).
 * A command that only prints ends quietly, as other Unix tools do. Any other command keeps
 * working without the closed stream and finishes what it writes to disk: a training that ended
 * quietly with exit 0 after one epoch (its output piped into `head`) looked finished and was not.
 */
export type ClosedOutputPolicy = 'quiet-exit' | 'keep-working';

/** Commands (their path below `randwire`) whose only product is what they print. */
export const PRINT_ONLY_COMMANDS: readonly string[] = ['graph', 'info', 'model', 'eval', 'predict', 'sweep plan', 'sweep status'];

let policy: ClosedOutputPolicy = 'keep-working';
const closed = new Set<NodeJS.WriteStream>();

export function setClosedOutputPolicy(p: ClosedOutputPolicy): void {
  policy = p;
}

export const quietOnClosedOutput = (): boolean => policy === 'quiet-exit';

export const isEpipe = (e: unknown): boolean => (e as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';

/** Whether this stream was closed by its reader; its writes are dropped since. */
export const outputClosed = (stream: NodeJS.WriteStream): boolean => closed.has(stream);

/**
 * Drop every later write to a closed stream (a write to a destroyed socket would fail again), and
 * say once on stderr, if it still works, that the command goes on without stdout.
 */
export function dropClosedStream(stream: NodeJS.WriteStream): void {
  if (closed.has(stream)) return;
  closed.add(stream);
  stream.write = ((_chunk: unknown, encodingOrDone?: unknown, done?: unknown): boolean => {
    const callback = typeof encodingOrDone === 'function' ? encodingOrDone : done;
    if (typeof callback === 'function') process.nextTick(callback as () => void);
    return true;
  }) as typeof stream.write;
  if (stream === process.stdout && !closed.has(process.stderr)) {
    process.stderr.write('randwire: stdout was closed; carrying on without it (the results are written to disk as usual)\n');
  }
}
