import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { querySweep } from '../helpers/sweep.js';
import { tempFolder } from '../helpers/folder.js';
import { killStarted, startCli, until } from '../helpers/bounded-cli.js';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { startTrialProcess, trialEnv } from '../../src/sweep/trial-process.js';
import { closeSweep, openSweep } from '../../src/sweep/folder.js';
import { runCli } from '../helpers/cli.js';

// 5 trials, eta 3, epochs 1..3: Hyperband's two brackets (3 trials at 1 epoch -> 1 at 3; 2 at 3).
const tmp = tempFolder('randwire-halving-cli-');
const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
const spec = {
  name: 'halving',
  data,
  recipe: { epochs: 3, trainLimit: 64, valSize: 16, testLimit: 32, batchSize: 16 },
  graphSeeds: 5,
  cells: [{ model: 'tinycnn' }],
  search: { strategy: 'halving', eta: 3, minEpochs: 1 },
};
const file = join(tmp, 'halving.json');
writeFileSync(file, JSON.stringify(spec));
after(killStarted);

interface Decision {
  bracket: number;
  rung: number;
  trial_id: string;
  decision: string;
}
const decisions = (dir: string): Decision[] =>
  querySweep<Decision>(dir, 'SELECT bracket, rung, trial_id, decision FROM search_decisions ORDER BY bracket, rung, trial_id');
const decisionCount = (dir: string): number => decisions(dir).length;
const doneTrials = (dir: string): string[] => querySweep<{ id: string }>(dir, "SELECT id FROM trials WHERE status = 'done' ORDER BY id").map((r) => r.id);

test(
  'halving through `sweep run`: 2 workers, and 1 worker killed (-9) after its first decision and run again, decide alike; top-rung trials equal uninterrupted runs byte for byte',
  { timeout: 1_200_000 },
  async () => {
    const two = join(tmp, 'two');
    const a = startCli(['sweep', 'run', file, '--out', two, '--workers', '2']);
    assert.equal(await a.ended('sweep run of the halving search with 2 workers', 600_000), 0, a.log());

    const one = join(tmp, 'one');
    const b = startCli(['sweep', 'run', file, '--out', one, '--workers', '1']);
    await until('the 1-worker coordinator stores its first decision', () => decisionCount(one) > 0, 600_000);
    b.child.kill('SIGKILL');
    await b.ended('the killed coordinator', 60_000);
    const beforeKill = decisions(one);
    const c = startCli(['sweep', 'run', join(one, SWEEP_FILES.spec), '--out', one, '--workers', '1']);
    assert.equal(await c.ended('sweep run of the halving search after a kill -9', 600_000), 0, c.log());

    const full = decisions(two);
    assert.ok(full.length >= 3, `decisions: ${JSON.stringify(full)}`);
    assert.deepEqual(decisions(one), full, 'the same decisions with 1 worker (killed and run again) and 2 workers');
    for (const d of beforeKill)
      assert.ok(
        full.some((x) => JSON.stringify(x) === JSON.stringify(d)),
        'a decision made before the kill is kept',
      );

    // The trials trained to the top rung are done; the stopped ones are not.
    const done = doneTrials(two);
    assert.deepEqual(doneTrials(one), done);
    const stopped = full.filter((d) => d.decision === 'stopped').map((d) => d.trial_id);
    for (const id of stopped) assert.ok(!done.includes(id), `${id} was stopped at a rung and must not be finished`);
    assert.equal(done.length, 3, `done: ${done.join(', ')}`);

    const plan = planSweep(parseSweepSpec(spec, file));
    for (const id of done) {
      const t = plan.trials.find((p) => p.id === id)!;
      const ref = join(tmp, 'ref', id);
      const r = await startTrialProcess(ref, t.config, trialEnv(1), () => {}).outcome;
      assert.equal(r.kind, 'done', JSON.stringify(r));
      for (const dir of [two, one]) {
        const mine = readFileSync(join(dir, SWEEP_FILES.trials, id, 'model', 'weights.bin'));
        assert.ok(
          mine.equals(readFileSync(join(ref, 'model', 'weights.bin'))),
          `${id} in ${dir}: weights differ from an uninterrupted run of the maximum budget`,
        );
      }
    }

    // Stopped trials show as stopped, not as waiting; a finished search says so and trains nothing.
    const status = runCli(['sweep', 'status', two, '--json']);
    const total = (JSON.parse(status.stdout) as { total: Record<string, number> }).total;
    assert.deepEqual(total, { queued: 0, running: 0, done: 3, failed: 0, stopped: stopped.length });
    assert.match(runCli(['sweep', 'status', two]).stdout, new RegExp(`^all\\s+0\\s+0\\s+3\\s+0\\s+${stopped.length}$`, 'm'));
    const again = runCli(['sweep', 'run', two]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /the halving search is finished \(every bracket decided to its top rung\); nothing to train/);
    assert.deepEqual(decisions(two), full);
  },
);

test('--local of a halving sweep sent to a queue that cannot be asked: one line that says what to do, before any training', async () => {
  const d = join(tmp, 'sent');
  const { store } = openSweep({ path: file }, d, undefined);
  store.setMeta('queue', 'redis://127.0.0.1:1');
  closeSweep(store);
  const q = startCli(['sweep', 'run', d, '--local'], { RANDWIRE_REDIS_URL: 'redis://127.0.0.1:1' });
  assert.equal(await q.ended('sweep run --local of a halving search sent to a queue', 120_000), 1, q.log());
  assert.equal(q.log().split('\n').length, 2, q.log());
  assert.match(
    q.log(),
    /^randwire: sweep: .* was sent to the queue redis:\/\/127\.0\.0\.1:1; --local must ask it which trials its workers hold, and .*run it again when Redis is back\n$/,
  );
  assert.deepEqual(doneTrials(d), []);
});
