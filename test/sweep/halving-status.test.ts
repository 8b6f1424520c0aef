import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tempFolder } from '../helpers/folder.js';
import { closeSweep, openSweep } from '../../src/sweep/folder.js';
import { SearchStore } from '../../src/sweep/search-store.js';
import { planHalving } from '../../src/search/halving-plan.js';
import { halvingPlanOf } from '../../src/sweep/halving-run.js';
import { halvingFinished, stoppedByHalving } from '../../src/sweep/halving-status.js';
import { sweepProgress } from '../../src/sweep/status.js';
import { sweepView } from '../../src/server/api.js';

const tmp = tempFolder('randwire-halving-status-');

test('trials a halving decision stopped count as stopped (not queued) in progress and the dashboard view; the search is finished once every bracket is decided', () => {
  // 5 trials, eta 3, epochs 1..3: bracket 0 has 3 trials at 1 epoch, then 1 at 3; bracket 1 has 2 at 3.
  const file = join(tmp, 'status.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'status',
      recipe: { epochs: 3 },
      graphSeeds: 5,
      cells: [{ model: 'tinycnn' }],
      search: { strategy: 'halving', eta: 3, minEpochs: 1 },
    }),
  );
  const dir = join(tmp, 'status');
  const { plan, store } = openSweep({ path: file }, dir, undefined);
  try {
    const search = SearchStore.of(store);
    const { brackets } = halvingPlanOf(plan);
    const decide = (): void => void search.recordDecisions(planHalving(brackets, search.rungResults(), search.decisions()).decisions);
    const [first, second, third] = brackets[0]!.trialIds;
    [first, second, third].forEach((trialId, i) => search.recordRungResult({ trialId: trialId!, bracket: 0, rung: 0, epoch: 1, valAccuracy: 0.5 + i / 10 }));
    assert.deepEqual(stoppedByHalving(store), new Set(), 'no decision yet');
    decide();
    assert.deepEqual(stoppedByHalving(store), new Set([first, second]));
    const p = sweepProgress(store.trials(), stoppedByHalving(store));
    assert.deepEqual(p.total, { queued: 3, running: 0, done: 0, failed: 0, stopped: 2 });
    assert.deepEqual(sweepProgress(store.trials()).total.queued, 5, 'without the decisions every unfinished trial is queued');
    assert.equal(halvingFinished(store, plan), false);

    const view = sweepView(realpathSync(dirname(dir)), realpathSync(dir), basename(dir));
    assert.equal(view.progress.total.stopped, 2);
    assert.deepEqual(
      view.trials
        .filter((t) => t.status === 'stopped')
        .map((t) => t.id)
        .sort(),
      [first, second].sort(),
    );

    search.recordRungResult({ trialId: third!, bracket: 0, rung: 1, epoch: 3, valAccuracy: 0.8 });
    for (const id of brackets[1]!.trialIds) search.recordRungResult({ trialId: id, bracket: 1, rung: 0, epoch: 3, valAccuracy: 0.6 });
    decide();
    assert.equal(halvingFinished(store, plan), true);
  } finally {
    closeSweep(store);
  }
});
