export const SCHEDULES = ['constant', 'cosine', 'step'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

export interface ScheduleOptions {
  schedule: ScheduleName;
  lr: number;
  epochs: number;
  /** Linear warm-up from lr/stepsPerEpoch to lr over this many epochs (cosine and step). */
  warmupEpochs: number;
  /** Step schedule: multiply by gamma every stepEpochs epochs. */
  stepEpochs: number;
  stepGamma: number;
}

/** Learning rate at a fractional epoch (epoch + batch/batches), per-step, as PyTorch schedulers with warm-up. */
export function learningRate(o: ScheduleOptions, epochFloat: number): number {
  if (o.warmupEpochs > 0 && epochFloat < o.warmupEpochs && o.schedule !== 'constant') {
    return o.lr * Math.max(epochFloat / o.warmupEpochs, 1e-3);
  }
  switch (o.schedule) {
    case 'constant':
      return o.lr;
    case 'cosine': {
      const span = Math.max(o.epochs - o.warmupEpochs, 1e-9);
      const t = Math.min(Math.max((epochFloat - o.warmupEpochs) / span, 0), 1);
      return 0.5 * o.lr * (1 + Math.cos(Math.PI * t));
    }
    case 'step':
      return o.lr * o.stepGamma ** Math.floor(epochFloat / o.stepEpochs);
  }
}
