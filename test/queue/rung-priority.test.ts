import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import { planHalving } from '../../src/search/halving-plan.js';
import { halvingPlanOf } from '../../src/sweep/halving-run.js';
import { rungPriorities } from '../../src/queue/rung-priority.js';
import { jobIdOf, rungJobIdOf, trialOfJobId } from '../../src/queue/messages.js';

test("rung jobs' BullMQ priorities follow the planner's order of work (higher rungs, then brackets, then plan order), within BullMQ's range", () => {
  const plan = planSweep(
    parseSweepSpec(
      { name: 'p', recipe: { epochs: 9 }, graphSeeds: 13, cells: [{ model: 'tinycnn' }], search: { strategy: 'halving', eta: 3, minEpochs: 1 } },
      'p.json',
    ),
  );
  const { brackets } = halvingPlanOf(plan);
  const priority = rungPriorities(plan);
  // Every bracket's rung 0 done, the first bracket's rung 1 too: work waits at rungs 0..2 at once.
  const results = brackets.flatMap((b) =>
    b.trialIds.map((trialId, i) => ({ trialId, bracket: b.index, rung: 0, epoch: b.rungs[0]!.epochs, valAccuracy: i / 100 })),
  );
  const step = planHalving(
    brackets,
    results.filter((r) => r.trialId !== brackets.at(-1)!.trialIds[0]),
    [],
  );
  const work = step.work;
  assert.ok(new Set(work.map((w) => w.rung)).size >= 2, JSON.stringify(work));
  const p = work.map((w) => priority(w.trialId, w.stopEpoch));
  assert.deepEqual(
    [...p].sort((a, b) => a - b),
    p,
    "ascending priority numbers (BullMQ takes the lowest first) in the planner's order",
  );
  assert.equal(new Set(p).size, p.length);
  for (const x of p) assert.ok(x >= 1 && x <= 2 ** 21);
  assert.equal(priority('not-a-trial', 3), 2 ** 21, 'a job the planner does not know goes last');
});

test('a rung job id names its trial (the worker checks the config hash against it) and is never integer-like; other ids are not ours', () => {
  const trial = '0123456789ab';
  assert.equal(trialOfJobId(rungJobIdOf('s0011aa', trial, 3)), trial);
  assert.equal(trialOfJobId(jobIdOf('s0011aa', trial)), trial);
  assert.notEqual(rungJobIdOf('s0011aa', trial, 3), rungJobIdOf('s0011aa', trial, 9), "a trial's next rung is a new job");
  assert.ok(Number.isNaN(Number(rungJobIdOf('s0011aa', trial, 3))));
  for (const bad of ['s0011aa_0123456789ab_e0', 's0011aa_0123456789ab_e', 's0011aa_0123456789ab_3', 'x_0123456789ab', undefined])
    assert.equal(trialOfJobId(bad), undefined, String(bad));
});
