import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { querySweep } from '../helpers/sweep.js';
import { tempFolder } from '../helpers/folder.js';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';
import { killStarted, startCli, until } from '../helpers/bounded-cli.js';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { QUEUE_NAME } from '../../src/queue/messages.js';
import { startTrialProcess, trialEnv } from '../../src/sweep/trial-process.js';

const skip = redisMissing();
const PASSWORD = 'pw-halving-queue';
/** Bounds of the waits below: generous, the machine is shared. */
const WAIT_MS = 600_000;
const tmp = tempFolder('randwire-halving-queue-');
after(() => {
  killStarted();
  rmSync(tmp, { recursive: true, force: true });
});

interface Decision {
  bracket: number;
  rung: number;
  trial_id: string;
  decision: string;
}
const decisions = (dir: string): Decision[] =>
  querySweep<Decision>(dir, 'SELECT bracket, rung, trial_id, decision FROM search_decisions ORDER BY bracket, rung, trial_id');
const doneTrials = (dir: string): string[] => querySweep<{ id: string }>(dir, "SELECT id FROM trials WHERE status = 'done' ORDER BY id").map((r) => r.id);
/** Jobs a worker trained to their stop epoch, by job id: "<id>: paused after epoch" or "<id>: test accuracy". */
const completedJobs = (logs: string[]): string[] =>
  logs.flatMap((l) => l.split('\n').flatMap((x) => /^(\S+): (?:paused after epoch|test accuracy)/.exec(x)?.[1] ?? []));

test(
  'halving through Redis: rungs on two workers with their own folders, the coordinator killed -9 and run again: the decisions of a local run, each rung trained once, top-rung weights of uninterrupted runs',
  { skip, timeout: 1_800_000 },
  async () => {
    // 5 trials, eta 3, epochs 1..3: bracket 0 trains 3 trials 1 epoch, then 1 of them to 3; bracket 1 trains 2 to 3.
    const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
    const spec = {
      name: 'qhalving',
      data,
      weights: true,
      recipe: { epochs: 3, trainLimit: 64, valSize: 16, testLimit: 32, batchSize: 16 },
      graphSeeds: 5,
      cells: [{ model: 'tinycnn' }],
      search: { strategy: 'halving', eta: 3, minEpochs: 1 },
    };
    const file = join(tmp, 'qhalving.json');
    writeFileSync(file, JSON.stringify(spec));
    const local = join(tmp, 'local');
    const l = runCli(['sweep', 'run', file, '--out', local, '--workers', '1']);
    assert.equal(l.status, 0, l.stderr);

    const redis = await TestRedis.start(PASSWORD);
    const env = { RANDWIRE_REDIS_URL: redis.url(), RANDWIRE_QUEUE_LOCK_MS: '2000' };
    const worker = (name: string) => startCli(['worker', '--concurrency', '1', '--work', join(tmp, name), '--data', data], env);
    const connection = new Redis({ port: redis.port, password: PASSWORD, maxRetriesPerRequest: null });
    connection.on('error', () => {});
    try {
      const q = join(tmp, 'queued');
      const a = worker('work-a');
      const c1 = startCli(['sweep', 'run', file, '--out', q, '--queue'], env);
      await until('the queued coordinator stores its first decision (bracket 0, rung 0, trained on worker A)', () => decisions(q).length > 0, WAIT_MS);
      // Both at once: the promoted trial's next rung cannot have been trained on A.
      c1.child.kill('SIGKILL');
      a.child.kill('SIGKILL');
      await c1.ended('the coordinator killed -9', WAIT_MS);
      await a.ended('worker A killed -9', WAIT_MS);
      const beforeKill = decisions(q);

      // B has a folder of its own: the promoted trial's checkpoint reaches it through Redis.
      const b = worker('work-b');
      await until('worker B finishes a job while no coordinator runs', () => completedJobs([b.log()]).length > 0, WAIT_MS);
      const c2 = startCli(['sweep', 'run', q, '--queue'], env);
      assert.equal(await c2.ended('the coordinator run again', WAIT_MS), 0, c2.log());

      assert.deepEqual(decisions(q), decisions(local), 'the same decisions as a local run with 1 worker');
      for (const d of beforeKill)
        assert.ok(
          decisions(q).some((x) => JSON.stringify(x) === JSON.stringify(d)),
          'a decision made before the kill is kept',
        );
      const done = doneTrials(q);
      assert.deepEqual(done, doneTrials(local));
      const promoted = decisions(q).find((d) => d.rung === 0 && d.decision === 'promoted' && d.bracket === 0)!;
      assert.match(b.log(), new RegExp(`_${promoted.trial_id}_e3: restored its checkpoint of epoch 1 from Redis`), b.log());
      const completed = completedJobs([a.log(), b.log()]);
      assert.equal(new Set(completed).size, completed.length, `a rung trained to its end twice: ${completed.join(', ')}`);
      assert.equal(completed.length, querySweep<{ n: number }>(q, 'SELECT COUNT(*) AS n FROM search_rungs')[0]!.n, 'every stored rung result was trained once');

      const plan = planSweep(parseSweepSpec(spec, file));
      for (const id of done) {
        const t = plan.trials.find((p) => p.id === id)!;
        const ref = join(tmp, 'ref', id);
        const r = await startTrialProcess(ref, t.config, trialEnv(1), () => {}).outcome;
        assert.equal(r.kind, 'done', JSON.stringify(r));
        const weights = readFileSync(join(q, SWEEP_FILES.trials, id, 'model', 'weights.bin'));
        assert.ok(weights.equals(readFileSync(join(ref, 'model', 'weights.bin'))), `${id}: weights differ from an uninterrupted run of the maximum budget`);
      }

      // Nothing left behind in Redis: every job and every checkpoint was collected.
      const queue = new Queue(QUEUE_NAME, { connection });
      assert.deepEqual(
        (await queue.getJobs(['completed', 'failed', 'wait', 'prioritized', 'active', 'delayed'])).map((j) => j.id),
        [],
      );
      await queue.close();
      assert.deepEqual(await connection.keys('randwire:checkpoint:*'), []);

      const status = runCli(['sweep', 'status', q, '--json']);
      const total = (JSON.parse(status.stdout) as { progress?: unknown; total: Record<string, number> }).total;
      assert.equal(total.stopped, decisions(q).filter((d) => d.decision === 'stopped').length);
      assert.equal(total.queued, 0);
      const again = runCli(['sweep', 'run', q, '--queue'], { env });
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stderr, /the halving search is finished \(every bracket decided to its top rung\); nothing to train/);
      const localHere = runCli(['sweep', 'run', q, '--local'], { env });
      assert.equal(localHere.status, 0, localHere.stderr);
      assert.match(localHere.stderr, /the halving search is finished/);
      b.child.kill('SIGTERM');
      assert.equal(await b.ended('worker B given SIGTERM', WAIT_MS), 0, b.log());
    } finally {
      connection.disconnect();
      killStarted();
      await redis.stop();
    }
  },
);
