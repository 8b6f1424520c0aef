import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { closeSweep, openSweep } from '../../src/sweep/folder.js';
import type { RunSummary } from '../../src/experiment/run-files.js';

const CELLS = [
  { generator: 'er', grid: { p: [0.2, 0.4] } },
  { generator: 'ba', grid: { m: [1, 3] } },
  { generator: 'ws', grid: { k: [2, 4], p: [0.25, 0.75] } },
  { generator: 'rgg', grid: { radius: [0.4] } },
  { generator: 'chain' },
];

/** A number in [0, 1) fixed by a text: fake results that are the same on every machine. */
const unit = (text: string): number => parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16) / 2 ** 32;

/**
 * A sweep folder with `graphSeeds` x 2 trials per cell (10 cells), the first `finished` of them
 * given made-up results and three epochs: what the dashboard reads, without training anything.
 * 100 graph seeds make the 2,000-trial fixture of the responsiveness check.
 */
export function writeSweepFixture(dir: string, graphSeeds: number, finished = Number.POSITIVE_INFINITY): { trials: number } {
  const spec = {
    name: 'fixture',
    description: 'made-up results for the dashboard tests',
    nodes: 8,
    channels: 4,
    graphSeeds,
    trainSeeds: 2,
    recipe: { epochs: 3 },
    cells: CELLS,
  };
  const file = join(dir, '..', `${dir.split('/').pop()}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const { plan, store } = openSweep({ path: file }, dir, undefined);
  try {
    store.db.transaction(() => {
      plan.trials.slice(0, finished).forEach((t, i) => {
        const cellBias = 0.02 * (plan.cells.indexOf(t.cell) % 5);
        const acc = 0.8 + cellBias + 0.05 * unit(t.id);
        store.claim(t.id, process.pid);
        const history = [1, 2, 3].map((epoch) => ({
          epoch,
          trainLoss: 1 / epoch,
          trainAccuracy: acc - 0.1 / epoch,
          valLoss: 1.1 / epoch,
          valAccuracy: acc - 0.08 / epoch,
          lr: 0.01,
          seconds: 2,
          imagesPerSec: 500,
        }));
        store.finish(
          t.id,
          {
            testAccuracy: acc,
            testLoss: 1 - acc,
            validationAccuracy: acc - 0.01,
            validationLoss: 1 - acc,
            epochs: 3,
            seconds: 6 + (i % 7),
            trainImagesPerSec: 500,
          } as RunSummary,
          history,
        );
      });
    })();
  } finally {
    closeSweep(store);
  }
  return { trials: plan.trials.length };
}
