import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Busy processes that compete for the cores while a case is measured (`--contention N`): what a
 * shared machine does to training. Each is a bare spin loop, like `python3 -c "while True: pass"`,
 * started before the case is prepared and killed when it ends (also on Ctrl-C or an error).
 */
export async function withContention<T>(busy: number, fn: () => Promise<T>): Promise<T> {
  const children: ChildProcess[] = [];
  const stop = (): void => {
    for (const c of children) c.kill('SIGKILL');
  };
  // A signal ends Node without its 'exit' event: stop the spinners, then leave as the signal asks.
  const onSignal = (signal: NodeJS.Signals): void => {
    stop();
    process.kill(process.pid, signal);
  };
  process.once('exit', stop);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (let i = 0; i < busy; i++) children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    // Let the scheduler see them running before the first timed step.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return await fn();
  } finally {
    stop();
    process.off('exit', stop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
