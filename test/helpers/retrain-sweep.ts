import { closeSweep, openSweep } from '../../src/sweep/folder.js';
import type { RunSummary } from '../../src/experiment/run-files.js';
import { peekStore, writeQueueSweep } from './sweep.js';

/**
 * A sweep of four tiny trials (tiny MNIST in `tmp`/data) whose results are made up, so that none
 * of them trains: the validation accuracies rank them (0.9, 0.8, 0.7), one has none, and the best
 * test accuracy goes to the worst validation accuracy (selection must not see it). Returns the
 * data folder, the sweep file and the trial ids by validation rank. Retrains train `epochs` each.
 */
export function madeUpSweep(tmp: string, dir: string, epochs = 1): { data: string; specFile: string; byVal: string[] } {
  const { data, specFile } = writeQueueSweep(tmp, 'retrain', epochs);
  const { plan, store } = openSweep({ path: specFile }, dir, undefined);
  const val = [0.7, null, 0.9, 0.8];
  try {
    plan.trials.forEach((t, i) => {
      store.claim(t.id, process.pid);
      const v = val[i]!;
      store.finish(
        t.id,
        {
          testAccuracy: v === null ? 0.99 : 1 - v,
          testLoss: 1,
          validationAccuracy: v,
          validationLoss: 1,
          epochs: 1,
          seconds: 1,
          trainImagesPerSec: 1,
        } as RunSummary,
        [],
      );
    });
  } finally {
    closeSweep(store);
  }
  return { data, specFile, byVal: [2, 3, 0].map((i) => plan.trials[i]!.id) };
}

export interface RetrainRow {
  id: string;
  parent: string;
  cell: string;
  status: string;
  test_accuracy: number | null;
  finished_at: string | null;
}

/** The sweep's retrains in the order they were added, with their parent and result. */
export const retrainRows = (db: string): RetrainRow[] =>
  peekStore(
    db,
    (s) =>
      s.db
        .prepare(
          "SELECT t.id, o.parent_id AS parent, t.cell, t.status, t.test_accuracy, t.finished_at FROM search_origins o JOIN trials t ON t.id = o.trial_id WHERE o.kind = 'retrain' ORDER BY o.seq",
        )
        .all() as RetrainRow[],
  ) ?? [];
