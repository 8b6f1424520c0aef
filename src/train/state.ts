/** One epoch's line in metrics.jsonl. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  lr: number;
  seconds: number;
  imagesPerSec: number;
}

/** Where training stands: enough, with the stateless per-batch seeds, to continue exactly. */
export interface TrainState {
  /** Epochs fully done. */
  epoch: number;
  /** Batches done in the current epoch. */
  batch: number;
  /** Running sums of the current epoch. */
  partial: { lossSum: number; correct: number; seen: number; seconds: number };
  history: EpochMetrics[];
  /** Training seconds over all epochs, excluding evaluation. */
  seconds: number;
  /**
   * Images per forward/backward pass, fixed when the run starts: batch norm's statistics are
   * per micro-batch, so a resumed run must split batches exactly as the first process did.
   */
  microBatch?: number;
  /** SHA-256 of the config the run trains with: a checkpoint is never resumed under another. */
  configSha256?: string;
}

export function initialState(): TrainState {
  return { epoch: 0, batch: 0, partial: { lossSum: 0, correct: 0, seen: 0, seconds: 0 }, history: [], seconds: 0 };
}
