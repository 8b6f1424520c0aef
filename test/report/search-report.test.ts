import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from '../helpers/folder.js';
import { EPOCH_SECONDS, minuteAt, putEpochs, valAt, writeEvolutionFixture, writeHalvingFixture } from '../helpers/search-fixture.js';
import { writeSweepFixture } from '../helpers/sweep-fixture.js';
import { readSweep } from '../../src/sweep/folder.js';
import { SweepStore } from '../../src/sweep/store.js';
import { writeSweepReport } from '../../src/report/sweep-report.js';
import { readSearchData } from '../../src/report/search-read.js';
import { searchSections } from '../../src/report/search-report.js';
import { graphStats } from '../../src/graph/stats.js';
import type { TrainConfig } from '../../src/experiment/config.js';

const tmp = tempFolder('randwire-search-report-');

function sections(dir: string) {
  const { plan, store } = readSweep(dir);
  try {
    return { plan, data: readSearchData(plan, store), ...searchSections(readSearchData(plan, store)) };
  } finally {
    store.close();
  }
}

const csvRows = (file: string): string[][] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

test('a halving sweep: the rung table from its rows, and the anytime curve with every epoch of the stopped trials', async () => {
  const dir = join(tmp, 'halving');
  writeHalvingFixture(dir);
  const s = sections(dir);
  // 12 trials, eta 3, 1..3 epochs: Hyperband's brackets (3 -> 1 at 1 -> 3 epochs; 2 at 3) scaled to 7 -> 2 and 5.
  assert.deepEqual(
    s.rungs.map((r) => [r.bracket, r.rung, r.epochs, r.admitted, r.results, r.promoted, r.stopped]),
    [
      [0, 0, 1, 7, 7, 2, 5],
      [0, 1, 3, 2, 2, 0, 0],
      [1, 0, 3, 5, 5, 0, 0],
    ],
  );
  const bestAt = (b: number, r: number): number =>
    Math.max(...s.data.rungs.filter((x) => x.bracket === b && x.rung === r).map((x) => valAt(x.trialId, x.epoch)));
  assert.deepEqual(
    s.rungs.map((r) => r.bestValAccuracy),
    [bestAt(0, 0), bestAt(0, 1), bestAt(1, 0)],
  );
  // 7 x 1 + 2 x (3 - 1) + 5 x 3 epochs, in the order the results were stored (a minute apart).
  assert.deepEqual(
    s.anytime.map((p) => p.at),
    s.data.rungs.map((r) => r.recordedAt).sort(),
  );
  assert.equal(s.anytime.at(-1)!.cumulativeEpochs, 26);
  assert.equal(s.anytime.at(-1)!.cumulativeSeconds, 26 * EPOCH_SECONDS);
  let best = -1;
  for (const p of s.anytime) {
    best = Math.max(best, valAt(p.trialId, p.epoch));
    assert.equal(p.bestValAccuracy, best);
  }
  const read = readSweep(dir);
  const files = (await writeSweepReport(dir, read.plan, read.store).finally(() => read.store.close())).files.map((f) => f.slice(dir.length + 1));
  for (const f of ['report/anytime.csv', 'report/anytime.svg', 'report/pareto.csv', 'report/pareto.svg', 'report/rungs.csv', 'report/search.md'])
    assert.ok(files.includes(f), `${f} written`);
  assert.ok(!files.includes('report/lineage.csv'), 'no lineage without children');
  const anytime = csvRows(join(dir, 'report/anytime.csv'));
  assert.deepEqual(anytime[0], [
    'at',
    'trial_id',
    'epoch',
    'val_accuracy',
    'epochs_charged',
    'cumulative_epochs',
    'cumulative_seconds',
    'best_val_accuracy',
    'best_trial_id',
  ]);
  assert.equal(anytime.length, 1 + 14);
  assert.match(readFileSync(join(dir, 'report/search.md'), 'utf8'), /## Rungs\n[^]*\| 0 \| 0 \| 1 \| 7 \| 7 \| 7 \| 2 \| 5 \|/);
  assert.match(readFileSync(join(dir, 'report/anytime.svg'), 'utf8'), /^<svg[^]*best validation accuracy so far/);
});

test('a search still running: epochs of a trial between rungs are charged, and the table shows rungs not yet decided', () => {
  const dir = join(tmp, 'halving-live');
  writeHalvingFixture(dir, 'live', 3, 5);
  const store = SweepStore.open(join(dir, 'sweep.db'));
  const { plan } = readSweep(dir);
  const training = plan.trials.at(-1)!.id;
  putEpochs(store, training, 0, 2);
  store.db.prepare("UPDATE trials SET status = 'running', heartbeat_at = ? WHERE id = ?").run(minuteAt(60), training);
  store.close();
  const s = sections(dir);
  assert.deepEqual(
    s.rungs.map((r) => [r.bracket, r.rung, r.admitted, r.results, r.promoted + r.stopped]),
    [
      [0, 0, 7, 5, 0],
      [0, 1, 0, 0, 0],
      [1, 0, 5, 0, 0],
    ],
  );
  const last = s.anytime.at(-1)!;
  assert.deepEqual([last.trialId, last.valAccuracy, last.epochsCharged, last.cumulativeEpochs], [training, null, 2, 7]);
});

test('an evolution sweep: lineage, generations with their graph statistics, retrains left out of the curve and the front', async () => {
  const dir = join(tmp, 'evolution');
  writeEvolutionFixture(dir);
  const s = sections(dir);
  assert.equal(s.strategy, 'evolution');
  assert.deepEqual(
    s.lineage.map((l) => l.birth),
    [1, 2, 3, 4, 5, 6],
  );
  const childOf = new Map(s.data.origins.filter((o) => o.kind === 'child').map((o) => [o.trialId, o]));
  for (const l of s.lineage) {
    const parentGeneration = childOf.get(l.parentId!)?.detail.generation ?? 0;
    assert.equal(l.generation, (parentGeneration as number) + 1, `child ${l.trialId}`);
    assert.match(l.mutations, /^stage 0 (add-edge|remove-edge|move-head|move-tail) /);
    assert.equal(l.valAccuracy, valAt(l.trialId, 3));
  }
  // Generation 0: the 8 planned trials; its mean edge count computed here from their stored configs.
  const { store } = readSweep(dir);
  const edges = (id: string): number => {
    const graphs = (JSON.parse(store.trial(id)!.config) as TrainConfig).model.graphs!;
    return graphs.reduce((a, g) => a + graphStats(g).edges, 0) / graphs.length;
  };
  const planned = s.data.trials.filter((t) => t.origin === 'plan').map((t) => t.id);
  assert.equal(s.generations[0]!.trials, 8);
  assert.ok(Math.abs(s.generations[0]!.graph.edges! - planned.reduce((a, id) => a + edges(id), 0) / 8) < 1e-12);
  assert.equal(
    s.generations.reduce((a, g) => a + g.trials, 0),
    8 + 6,
  );
  assert.equal(s.anytime.at(-1)!.cumulativeEpochs, (8 + 6) * 3, 'retrains are not part of the search');
  assert.equal(s.pareto.length, 14);
  const r = await writeSweepReport(dir, s.plan, store);
  store.close();
  for (const f of ['lineage.csv', 'generations.csv', 'lineage.svg']) assert.ok(existsSync(join(r.dir, f)), `${f} written`);
  assert.match(
    csvRows(join(r.dir, 'generations.csv'))[0]!.join(','),
    /^generation,trials,with_result,mean_val_accuracy,best_val_accuracy,edges,clustering,averageShortestPath/,
  );
  assert.match(readFileSync(join(r.dir, 'search.md'), 'utf8'), /## Lineage\n\n\| birth \| generation \| child \| parent \| mutations/);
});

test('a grid sweep without search rows still gets its anytime curve (the baseline) and Pareto front, and no rung or lineage files', async () => {
  const dir = join(tmp, 'grid');
  writeSweepFixture(dir, 1, 6);
  const { plan, store } = readSweep(dir);
  const r = await writeSweepReport(dir, plan, store);
  store.close();
  const names = r.files.map((f) => f.slice(r.dir.length + 1));
  assert.ok(names.includes('anytime.csv') && names.includes('pareto.svg'));
  assert.ok(!names.includes('rungs.csv') && !names.includes('lineage.csv'));
  assert.equal(csvRows(join(r.dir, 'anytime.csv')).at(-1)![5], '18', '6 finished trials of 3 epochs');
});
