import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { querySweep } from '../helpers/sweep.js';
import { tempFolder } from '../helpers/folder.js';
import { killStarted, startCli, until } from '../helpers/bounded-cli.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { toGraphJson, validateGraph } from '../../src/graph/format.js';
import { applyMutation } from '../../src/search/mutate.js';
import type { RandomGraph } from '../../src/graph/types.js';
import type { MutationRecord } from '../../src/search/evolution-breed.js';

// 4 RandWire trials of 5-node stages, then 4 children (pareto against parameters), 2 of them in flight at once (window 2).
const tmp = tempFolder('randwire-evolution-cli-');
const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
const spec = {
  name: 'evolution',
  data,
  nodes: 5,
  channels: 2,
  graphSeeds: 2,
  recipe: { epochs: 1, trainLimit: 32, valSize: 16, testLimit: 16, batchSize: 16 },
  cells: [
    { generator: 'er', grid: { p: [0.5] } },
    { generator: 'ws', grid: { k: [2], p: [0.5] } },
  ],
  search: { strategy: 'evolution', population: 4, sample: 2, window: 2, children: 4, objective: 'pareto', cost: 'params' },
};
const file = join(tmp, 'evolution.json');
writeFileSync(file, JSON.stringify(spec));
after(killStarted);

interface Child {
  trial_id: string;
  parent_id: string;
  detail: string;
  config: string;
}
interface Row {
  id: string;
  status: string;
  finished_at: string | null;
  config: string;
}
const children = (dir: string): Child[] =>
  querySweep<Child>(
    dir,
    "SELECT o.trial_id, o.parent_id, o.detail, t.config FROM search_origins o JOIN trials t ON t.id = o.trial_id WHERE o.kind = 'child' ORDER BY o.seq",
  );
const trials = (dir: string): Row[] => querySweep<Row>(dir, 'SELECT id, status, finished_at, config FROM trials ORDER BY position');
const lineage = (dir: string): Array<{ id: string; parent: string; detail: unknown }> =>
  children(dir).map((c) => ({ id: c.trial_id, parent: c.parent_id, detail: JSON.parse(c.detail) as unknown }));

test(
  'evolution through `sweep run`: 2 workers, and 1 worker killed (-9) mid-run and run again, breed the same children; none trained twice, none lost; their folders train their graphs',
  { timeout: 1_200_000 },
  async () => {
    const two = join(tmp, 'two');
    const a = startCli(['sweep', 'run', file, '--out', two, '--workers', '2']);
    assert.equal(await a.ended('sweep run of the evolution with 2 workers', 600_000), 0, a.log());
    const bred = lineage(two);
    assert.equal(bred.length, 4, a.log());
    assert.match(a.log(), /child 4 [0-9a-f]{12} \(generation 1\) of .+ \([0-9a-f]{12}\): (add-edge|remove-edge|move-head|move-tail) \d+->\d+.* in stage \d/);

    const one = join(tmp, 'one');
    const b = startCli(['sweep', 'run', file, '--out', one, '--workers', '1']);
    await until('the 1-worker coordinator stores its first child', () => children(one).length > 0, 600_000);
    b.child.kill('SIGKILL');
    await b.ended('the killed coordinator', 60_000);
    const doneBefore = trials(one).filter((t) => t.status === 'done');
    const c = startCli(['sweep', 'run', join(one, SWEEP_FILES.spec), '--out', one, '--workers', '1']);
    assert.equal(await c.ended('sweep run of the evolution after a kill -9', 600_000), 0, c.log());

    assert.deepEqual(lineage(one), bred, 'the same children (ids, parents, mutations) with 1 worker, killed and run again, and with 2 workers');
    // No member lost: the 4 planned trials and the 4 children are done, in both folders.
    for (const dir of [one, two])
      assert.deepEqual(
        trials(dir).map((t) => t.status),
        new Array(8).fill('done'),
        dir,
      );
    // None trained twice: what was done before the kill was not trained again.
    assert.ok(doneBefore.length >= 1, 'the kill came after a first member was done');
    const after = new Map(trials(one).map((t) => [t.id, t]));
    for (const t of doneBefore) {
      assert.equal(after.get(t.id)!.finished_at, t.finished_at, `${t.id} was finished before the kill and trained again`);
      assert.ok(!c.log().includes(`${t.id}: validation accuracy`), `${t.id} trained again after the kill:\n${c.log()}`);
    }

    const configs = new Map(trials(two).map((t) => [t.id, JSON.parse(t.config) as { seed: number; model: { graphs: RandomGraph[] } }]));
    for (const child of children(two)) {
      const config = JSON.parse(child.config) as { seed: number; model: { graphs: RandomGraph[] } };
      const parent = configs.get(child.parent_id)!;
      const [m] = (JSON.parse(child.detail) as { mutations: MutationRecord[] }).mutations;
      config.model.graphs.forEach((g, i) => {
        assert.deepEqual(validateGraph(toGraphJson(g), `child ${child.trial_id} stage ${i}`), g);
        const expected = i === m!.stage ? applyMutation(parent.model.graphs[i]!, m!) : parent.model.graphs[i]!;
        assert.deepEqual(g.edges, expected.edges, `child ${child.trial_id} stage ${i}: its parent's graph with the stored mutation`);
      });
      assert.notEqual(config.seed, parent.seed, 'a child trains under a seed of its own');
      // The child's run folder trained these graphs.
      const folder = JSON.parse(readFileSync(join(two, SWEEP_FILES.trials, child.trial_id, 'config.json'), 'utf8')) as { model: { graphs: RandomGraph[] } };
      assert.deepEqual(
        folder.model.graphs.map((g) => g.edges),
        config.model.graphs.map((g) => g.edges),
      );
      assert.ok(existsSync(join(two, SWEEP_FILES.trials, child.trial_id, 'summary.json')));
    }
    // Run again once finished: nothing is bred or trained.
    const d = startCli(['sweep', 'run', join(two, SWEEP_FILES.spec), '--out', two, '--workers', '2']);
    assert.equal(await d.ended('sweep run of a finished evolution', 300_000), 0, d.log());
    assert.doesNotMatch(d.log(), /child \d|validation accuracy/);
    assert.deepEqual(lineage(two), bred);
  },
);
