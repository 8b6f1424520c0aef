import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { querySweep } from '../helpers/sweep.js';
import { tempFolder } from '../helpers/folder.js';
import { runCli } from '../helpers/cli.js';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { decideRungPareto } from '../../src/search/promotion.js';

const tmp = tempFolder('randwire-search-budget-cli-');
const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
const recipe = { epochs: 2, trainLimit: 64, valSize: 16, testLimit: 32, batchSize: 16 };
const sweepFile = (name: string, spec: object): string => {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, data, recipe, ...spec }));
  return file;
};
let redis: TestRedis | undefined;
after(async () => redis?.stop());

test(
  'a grid under an epochs budget trains a prefix of the plan, ends with its line, and status and report say the rest were not trained: budget spent',
  { timeout: 900_000 },
  () => {
    const file = sweepFile('grid-budget', { graphSeeds: 3, cells: [{ model: 'tinycnn' }], search: { strategy: 'grid', budget: { epochs: 5 } } });
    const out = join(tmp, 'grid');
    const r = runCli(['sweep', 'run', file, '--out', out, '--workers', '2']);
    assert.equal(r.status, 0, r.stderr);
    // 2 + 2 epochs fit in 5; the third trial's 2 would make 6.
    assert.match(r.stderr, /^budget spent: 4 of 5 epochs; the search ends here \(raise search\.budget and run again to continue\)$/m);
    const trials = querySweep<{ id: string; status: string }>(out, 'SELECT id, status FROM trials ORDER BY position');
    assert.deepEqual(
      trials.map((t) => t.status),
      ['done', 'done', 'queued'],
    );
    const status = runCli(['sweep', 'status', out]);
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`^budget spent: 4 of 5 epochs; not trained: budget spent: 1 trial \\(${trials[2]!.id}\\)$`, 'm'));
    const json = JSON.parse(runCli(['sweep', 'status', out, '--json']).stdout) as { total: Record<string, number>; budget: { notTrained: string[] } };
    assert.deepEqual(json.budget.notTrained, [trials[2]!.id]);
    assert.equal(json.total.failed, 0);
    const table = readFileSync(join(out, SWEEP_FILES.report, 'table.md'), 'utf8');
    assert.match(table, /^2 finished trials \(1 not trained: budget spent\);/m);
    assert.match(table, /^Search budget spent: 4 of 5 epochs\.$/m);
  },
);

test(
  "a minutes budget through the queue is refused in one line (the queue does not count its workers' time)",
  { skip: redisMissing(), timeout: 300_000 },
  async () => {
    redis = await TestRedis.start('pw-search-budget');
    const file = sweepFile('minutes-queue', { graphSeeds: 1, cells: [{ model: 'tinycnn' }], search: { strategy: 'random', budget: { minutes: 5 } } });
    const out = join(tmp, 'minutes-queue');
    const r = runCli(['sweep', 'run', file, '--out', out, '--queue', redis.url()]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      /^randwire: sweep: search\.budget\.minutes needs the sweep trained on this machine .*; give epochs or trials, or train without --queue\n$/,
    );
    assert.deepEqual(querySweep(out, "SELECT value FROM meta WHERE key = 'queue'"), [], 'the refused sweep is not marked as sent to the queue');
  },
);

test(
  'a pareto halving search through `sweep run`: the rung is decided by non-dominated rank and crowding over validation accuracy and multiply-adds',
  { timeout: 900_000 },
  () => {
    // 4 trials of two sizes; successive halving (1 bracket), eta 3: 4 x 1 epoch -> 1 x 3 epochs.
    const file = sweepFile('pareto', {
      recipe: { ...recipe, epochs: 3 },
      graphSeeds: 2,
      cells: [{ model: 'tinycnn' }, { model: 'handmadecnn' }],
      search: { strategy: 'halving', eta: 3, minEpochs: 1, brackets: 1, objective: 'pareto' },
    });
    const out = join(tmp, 'pareto');
    const r = runCli(['sweep', 'run', file, '--out', out, '--workers', '2']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^workers busy \d+\.\d % of the time; coordinator \d+\.\d\d ms per trial/m);
    const rung = querySweep<{ trialId: string; valAccuracy: number; cost: number }>(
      out,
      'SELECT r.trial_id AS trialId, r.val_accuracy AS valAccuracy, t.multiply_adds AS cost FROM search_rungs r JOIN trials t ON t.id = r.trial_id WHERE r.rung = 0',
    );
    assert.equal(rung.length, 4);
    assert.equal(new Set(rung.map((x) => x.cost)).size, 2, 'the two models differ in cost');
    const decided = querySweep<{ trial_id: string; decision: string }>(out, 'SELECT trial_id, decision FROM search_decisions WHERE rung = 0 ORDER BY seq');
    const expected = decideRungPareto(rung, 1);
    assert.deepEqual(
      decided.map((d) => [d.trial_id, d.decision]),
      [...expected.promoted.map((id) => [id, 'promoted']), ...expected.stopped.map((id) => [id, 'stopped'])],
    );
    assert.deepEqual(
      querySweep<{ id: string }>(out, "SELECT id FROM trials WHERE status = 'done'").map((x) => x.id),
      expected.promoted,
    );
  },
);

test(
  'a halving search under an epochs budget: the same rung results, decisions and budget line with 1 and 2 workers (real trial processes)',
  { timeout: 900_000 },
  () => {
    // 5 trials, eta 3, epochs 1..3: bracket 0 trains 3 x 1 ep -> 1 x 3 ep, bracket 1 2 x 3 ep. Charged in order:
    // 1 + 1 + 1 (3), then 2 more epochs for the promoted trial (5), then 3 for bracket 1's first trial (8); its second would make 11.
    const file = sweepFile('halving-budget', {
      recipe: { ...recipe, epochs: 3 },
      graphSeeds: 5,
      cells: [{ model: 'tinycnn' }],
      search: { strategy: 'halving', eta: 3, minEpochs: 1, budget: { epochs: 8 } },
    });
    const seen = ['1', '2'].map((workers) => {
      const out = join(tmp, `halving-budget-${workers}`);
      const r = runCli(['sweep', 'run', file, '--out', out, '--workers', workers]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /^budget spent: 8 of 8 epochs; the search ends here/m);
      const status = runCli(['sweep', 'status', out]);
      assert.match(status.stdout, /^budget spent: 8 of 8 epochs; not trained: budget spent: 1 trial \(\w+\)$/m, status.stdout);
      return {
        results: querySweep(out, 'SELECT trial_id, bracket, rung, epoch FROM search_rungs ORDER BY bracket, rung, trial_id'),
        decisions: querySweep(out, 'SELECT trial_id, bracket, rung, decision FROM search_decisions ORDER BY seq'),
      };
    });
    assert.equal(seen[0]!.results.length, 5, JSON.stringify(seen[0]));
    assert.deepEqual(seen[1], seen[0]);
  },
);
