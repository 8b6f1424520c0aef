/**
 * Chooses between all threads and one while training runs, from the measured time of the steps
 * (a process that only runs inference starts on the free cores instead: free-cores.ts).
 *
 * The addon's kernels split their work over the threads and wait for each other at the end of
 * each kernel. When another process takes one of two cores, the thread that shares that core
 * makes every kernel wait for it: training fell from 416 to 40 img/s with one busy process here,
 * while one thread alone kept 285. The governor tries the other setting for a couple of steps
 * now and then (at once when steps suddenly slow down), and keeps whichever is faster per image.
 * Results do not depend on the choice: every kernel gives the same numbers for any number of
 * threads (tested in native-threads.test.ts).
 */
export interface GovernorOptions {
  /** Steps ignored at the start (first-call set-up of kernels and buffers). */
  warmup: number;
  /** Steps measured per trial of the other setting. */
  probeSteps: number;
  /** Steps between trials at first; doubled after each trial that changes nothing. */
  interval: number;
  maxInterval: number;
  /** The other setting is kept when it is this much faster per image (0.1: 10 %). */
  margin: number;
  /** A step this many times slower than the recent median triggers a trial at once. */
  suddenSlowdown: number;
}

export const GOVERNOR_DEFAULTS: GovernorOptions = { warmup: 2, probeSteps: 2, interval: 8, maxInterval: 128, margin: 0.1, suddenSlowdown: 1.5 };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export class ThreadGovernor {
  private threads: number;
  private step = 0;
  private interval: number;
  private nextTrial: number;
  private trial: { from: number; left: number } | undefined;
  /** Recent seconds per image at each setting. */
  private readonly samples = new Map<number, number[]>();

  constructor(
    private readonly most: number,
    private readonly apply: (threads: number) => void,
    private readonly o: GovernorOptions = GOVERNOR_DEFAULTS,
  ) {
    this.threads = most;
    this.interval = o.interval;
    this.nextTrial = o.warmup + 2;
  }

  /** The thread count in use now. */
  get current(): number {
    return this.threads;
  }

  /** Starts on `threads` (clamped to 1..most), as a process that measured the free cores first. */
  start(threads: number): void {
    if (this.trial) this.trial = undefined;
    this.set(Math.max(1, Math.min(this.most, threads)));
  }

  /** Report one training step that ran at the current setting. */
  observe(seconds: number, images: number): void {
    this.step++;
    if (this.most <= 1 || this.step <= this.o.warmup || images <= 0) return;
    const perImage = seconds / images;
    const own = this.samples.get(this.threads) ?? [];
    const before = own.length >= 3 ? median(own) : undefined;
    own.push(perImage);
    if (own.length > 5) own.shift();
    this.samples.set(this.threads, own);
    if (this.trial) {
      if (--this.trial.left === 0) this.decide(this.trial.from);
      return;
    }
    if (before !== undefined && perImage > this.o.suddenSlowdown * before) this.nextTrial = this.step;
    if (this.step >= this.nextTrial) this.startTrial();
  }

  private startTrial(): void {
    const other = this.threads === this.most ? 1 : this.most;
    this.samples.set(other, []);
    this.trial = { from: this.threads, left: this.o.probeSteps };
    this.set(other);
  }

  private decide(from: number): void {
    this.trial = undefined;
    const tried = median(this.samples.get(this.threads)!);
    const kept = median(this.samples.get(from)!);
    if (tried < (1 - this.o.margin) * kept) {
      // Older samples of the setting left behind no longer say how it would do now.
      this.samples.set(from, []);
      this.interval = this.o.interval;
    } else {
      this.set(from);
      this.interval = Math.min(this.o.maxInterval, this.interval * 2);
    }
    this.nextTrial = this.step + this.interval;
  }

  private set(threads: number): void {
    this.threads = threads;
    this.apply(threads);
  }
}
