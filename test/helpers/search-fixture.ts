import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Rng } from '../../src/core/rng.js';
import type { RunSummary } from '../../src/experiment/run-files.js';
import { assignBrackets, planHalving, type DecisionRow, type RungResultRow } from '../../src/search/halving-plan.js';
import { mutateDag } from '../../src/search/mutate.js';
import { addTrials, deriveTrial } from '../../src/sweep/added-trials.js';
import { closeSweep, openSweep } from '../../src/sweep/folder.js';
import type { PlannedTrial, SweepPlan } from '../../src/sweep/plan.js';
import { halvingSettings } from '../../src/sweep/search-spec.js';
import { SearchStore } from '../../src/sweep/search-store.js';
import type { SweepStore } from '../../src/sweep/store.js';

/**
 * Sweep folders whose search rows (rungs, decisions, children, retrains) are written directly, with
 * made-up numbers and a made-up clock (one minute per result), for the search's report and
 * dashboard: no training. Every epoch takes EPOCH_SECONDS.
 */

export const EPOCH_SECONDS = 10;
const T0 = Date.UTC(2026, 11, 1);
export const minuteAt = (minute: number): string => new Date(T0 + minute * 60_000).toISOString();
const unit = (text: string): number => parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16) / 2 ** 32;

/** A trial's made-up validation accuracy after an epoch (test: 1 point lower). */
export const valAt = (id: string, epoch: number): number => Math.round((0.6 + 0.3 * unit(id) + 0.02 * epoch) * 1000) / 1000;

const CELLS = [
  { generator: 'er', grid: { p: [0.2, 0.4] } },
  { generator: 'ws', grid: { k: [4], p: [0.25, 0.75] } },
];

function open(dir: string, name: string, graphSeeds: number, search?: object): { plan: SweepPlan; store: SweepStore } {
  const spec = { name, nodes: 8, channels: 4, graphSeeds, trainSeeds: 1, recipe: { epochs: 3 }, cells: CELLS, ...(search ? { search } : {}) };
  const file = join(dir, '..', `${dir.split('/').pop()}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const { plan, store } = openSweep({ path: file }, dir, undefined);
  return { plan, store };
}

/** Epochs from+1..to of a trial, as a trial process reports them. */
export function putEpochs(store: SweepStore, id: string, from: number, to: number): void {
  for (let epoch = from + 1; epoch <= to; epoch++) {
    store.putEpoch(id, {
      epoch,
      trainLoss: 1 / epoch,
      trainAccuracy: valAt(id, epoch),
      valLoss: 1 / epoch,
      valAccuracy: valAt(id, epoch),
      lr: 0.01,
      seconds: EPOCH_SECONDS,
      imagesPerSec: 100,
    });
  }
}

/** A trial finished at `minute` after 3 epochs. */
export function finishAt(store: SweepStore, id: string, minute: number): void {
  const val = valAt(id, 3);
  const history = [1, 2, 3].map((epoch) => ({
    epoch,
    trainLoss: 1 / epoch,
    trainAccuracy: valAt(id, epoch),
    valLoss: 1 / epoch,
    valAccuracy: valAt(id, epoch),
    lr: 0.01,
    seconds: EPOCH_SECONDS,
    imagesPerSec: 100,
  }));
  store.claim(id, process.pid);
  store.finish(
    id,
    {
      testAccuracy: val - 0.01,
      testLoss: 1 - val,
      validationAccuracy: val,
      validationLoss: 1 - val,
      epochs: 3,
      seconds: 3 * EPOCH_SECONDS,
      trainImagesPerSec: 100,
    } as RunSummary,
    history,
  );
  store.db.prepare('UPDATE trials SET finished_at = ?, heartbeat_at = ? WHERE id = ?').run(minuteAt(minute), minuteAt(minute), id);
}

/**
 * A halving sweep (eta 3, 1 to 3 epochs) run by one simulated worker through the real planner:
 * each result stored a minute after the last, a trial at the top rung finished. `results` stops it
 * after that many results in all.
 */
export function writeHalvingFixture(dir: string, name = 'halving', graphSeeds = 3, results = Number.POSITIVE_INFINITY): void {
  const { plan, store } = open(dir, name, graphSeeds, { strategy: 'halving', eta: 3, minEpochs: 1 });
  try {
    const brackets = assignBrackets(
      plan.trials.map((t) => t.id),
      halvingSettings(plan.spec),
    );
    const search = SearchStore.of(store);
    // Written again with a larger `results`, it goes on from the rows stored before.
    const rows: RungResultRow[] = search.rungResults();
    const decisions: DecisionRow[] = search.decisions();
    for (let minute = rows.length + 1; ; minute++) {
      const step = planHalving(brackets, rows, decisions);
      search.recordDecisions(step.decisions);
      decisions.push(...step.decisions);
      const w = step.work[0];
      if (!w || rows.length >= results) break;
      putEpochs(store, w.trialId, w.fromEpoch, w.stopEpoch);
      const row = { trialId: w.trialId, bracket: w.bracket, rung: w.rung, epoch: w.stopEpoch, valAccuracy: valAt(w.trialId, w.stopEpoch) };
      store.db
        .prepare('INSERT INTO search_rungs (trial_id, bracket, rung, epoch, val_accuracy, recorded_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(row.trialId, row.bracket, row.rung, row.epoch, row.valAccuracy, minuteAt(minute));
      rows.push(row);
      if (w.stopEpoch === 3) finishAt(store, w.trialId, minute);
    }
  } finally {
    closeSweep(store);
  }
}

/**
 * An evolution sweep: every planned trial finished (minutes 1..n), then `children` children, each
 * a mutation of stage 0 of a parent (the best so far of a fixed choice), and retrains of the two
 * best: 2 seeds each. The sweep file gets its evolution section afterwards (openSweep refuses to
 * train one until evolution exists); the plan and trial ids are the same without it.
 */
export function writeEvolutionFixture(dir: string, name = 'evolution', children = 6): { retrained: string[] } {
  const { plan, store } = open(dir, name, 2);
  const retrained: string[] = [];
  try {
    let minute = 0;
    for (const t of plan.trials) finishAt(store, t.id, ++minute);
    const members: Array<{ trial: PlannedTrial; generation: number }> = plan.trials.map((trial) => ({ trial, generation: 0 }));
    const rng = Rng.fromSeed(7, 2);
    for (let birth = 1; birth <= children; birth++) {
      // A tournament of two: the better of two members drawn in a fixed way.
      const a = members[(birth * 3) % members.length]!;
      const b = members[(birth * 5 + 1) % members.length]!;
      const parent = valAt(a.trial.id, 3) >= valAt(b.trial.id, 3) ? a : b;
      const [g0, ...rest] = parent.trial.config.model.graphs!;
      const { dag, mutation } = mutateDag(g0!, rng);
      const config = { ...parent.trial.config, model: { ...parent.trial.config.model, graphs: [{ ...g0!, ...dag }, ...rest] } };
      const generation = parent.generation + 1;
      const [child] = addTrials(store, [
        {
          trial: deriveTrial(parent.trial, config, `child ${birth}`),
          kind: 'child',
          parentId: parent.trial.id,
          detail: { birth, generation, mutations: [{ stage: 0, ...mutation }] },
        },
      ]);
      finishAt(store, child!.id, ++minute);
      members.push({ trial: child!, generation });
    }
    const best = [...members].sort((x, y) => valAt(y.trial.id, 3) - valAt(x.trial.id, 3)).slice(0, 2);
    for (const { trial } of best) {
      retrained.push(trial.id);
      for (let seedIndex = 0; seedIndex < 2; seedIndex++) {
        const config = { ...trial.config, seed: trial.config.seed + 1000 + seedIndex };
        const [r] = addTrials(store, [
          {
            trial: deriveTrial(trial, config, `${trial.cell.label} retrain`),
            kind: 'retrain',
            parentId: trial.id,
            detail: { seedIndex, selectedBy: 'validation', selectedValAccuracy: valAt(trial.id, 3) },
          },
        ]);
        finishAt(store, r!.id, ++minute);
      }
    }
  } finally {
    closeSweep(store);
  }
  const spec = { ...plan.spec, search: { strategy: 'evolution', population: 4, sample: 2, children } };
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(spec, null, 2) + '\n');
  return { retrained };
}

/** A random-sampling sweep, every trial finished one minute after the last: the baseline. */
export function writeRandomFixture(dir: string, name = 'random'): void {
  const spec = {
    name,
    nodes: 8,
    channels: 4,
    graphSeeds: 1,
    trainSeeds: 1,
    recipe: { epochs: 3 },
    cells: [{ generator: 'er', random: { count: 4, ranges: { p: [0.1, 0.5] } } }],
  };
  const file = join(dir, '..', `${dir.split('/').pop()}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const { plan, store } = openSweep({ path: file }, dir, undefined);
  try {
    plan.trials.forEach((t, i) => finishAt(store, t.id, i + 1));
  } finally {
    closeSweep(store);
  }
}
