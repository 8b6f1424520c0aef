import { cpus } from 'node:os';
import { RandwireError } from '../../core/errors.js';
import { measureBusyCores, threadsForFreeCores } from './free-cores.js';
import { ThreadGovernor } from './thread-governor.js';

let governor: ThreadGovernor | undefined;
let fitted: Promise<number> | undefined;
let active: () => boolean = () => false;

function threadsFixed(): boolean {
  return (process.env.RANDWIRE_THREADS ?? '') !== '';
}

/** Called once the addon is loaded: RANDWIRE_THREADS fixes the count, else it follows the free cores. */
export function startThreadGovernor(threads: number, set: (n: number) => void, isActive?: () => boolean): void {
  if (!threadsFixed()) governor = new ThreadGovernor(threads, set);
  if (isActive) active = isActive;
}

/** Set by the registration: steps count only while the addon's kernels run. */
export function setGovernorActivity(isActive: () => boolean): void {
  active = isActive;
}

/** A training step ended: lets the thread governor compare its speed with the other setting. */
export function reportTrainingStep(seconds: number, images: number): void {
  if (active()) governor?.observe(seconds, images);
}

/**
 * For processes that only run inference (eval, predict, damage), which report no training steps
 * for the governor to learn from: start on the cores other processes leave free, sampled for
 * `sampleMs`. Returns the count chosen, or undefined when RANDWIRE_THREADS fixes it or the
 * addon is not in use.
 */
export async function fitThreadsToFreeCores(sampleMs = 100): Promise<number | undefined> {
  if (!governor || !active()) return undefined;
  // Once per process: a sweep report's damage pass calls it for every trial.
  fitted ??= measureBusyCores(sampleMs).then((busy) => {
    const threads = threadsForFreeCores(nativeThreads(), cpus().length, busy);
    governor!.start(threads);
    return threads;
  });
  return fitted;
}

/** The addon's thread count now (the governor's current choice unless RANDWIRE_THREADS fixes it). */
export function currentNativeThreads(): number {
  return governor?.current ?? nativeThreads();
}

/**
 * Threads for oneDNN: RANDWIRE_THREADS, else every core. `reproduce` gives each worker process
 * its share so that two workers do not fight over the same cores.
 */
export function nativeThreads(): number {
  const raw = process.env.RANDWIRE_THREADS;
  if (raw === undefined || raw === '') return Math.max(1, cpus().length);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new RandwireError('backend', `RANDWIRE_THREADS must be a whole number >= 1, got '${raw}'`);
  return n;
}

/** For `randwire info`: the thread count and whether it is fixed or follows the load. */
export function threadsDescription(): string {
  return threadsFixed()
    ? `RANDWIRE_THREADS=${nativeThreads()}`
    : `up to ${nativeThreads()} threads, fewer when other processes take cores; RANDWIRE_THREADS fixes it`;
}
