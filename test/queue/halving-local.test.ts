import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { querySweep } from '../helpers/sweep.js';
import { tempFolder } from '../helpers/folder.js';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';
import { killStarted, startCli, until } from '../helpers/bounded-cli.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { QUEUE_NAME } from '../../src/queue/messages.js';

const skip = redisMissing();
const PASSWORD = 'pw-halving-local';
const WAIT_MS = 600_000;
const tmp = tempFolder('randwire-halving-local-');
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
const completedJobs = (log: string): string[] => log.split('\n').flatMap((x) => /^(\S+): (?:paused after epoch|test accuracy)/.exec(x)?.[1] ?? []);
const weights = (dir: string, id: string): Buffer => readFileSync(join(dir, SWEEP_FILES.trials, id, 'model', 'weights.bin'));

test(
  '--local of a halving search sent to a queue: the rung a live worker holds is collected from it, the rest (a promoted trial from the checkpoint the coordinator kept) trained here; the decisions and weights of a local run',
  { skip, timeout: 1_800_000 },
  async () => {
    // 5 trials, eta 3, epochs 1..3: bracket 0 trains 3 trials 1 epoch, then 1 of them to 3; bracket 1 trains 2 to 3.
    const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
    const spec = {
      name: 'hlocal',
      data,
      weights: true,
      recipe: { epochs: 3, trainLimit: 64, valSize: 16, testLimit: 32, batchSize: 16 },
      graphSeeds: 5,
      cells: [{ model: 'tinycnn' }],
      search: { strategy: 'halving', eta: 3, minEpochs: 1 },
    };
    const file = join(tmp, 'hlocal.json');
    writeFileSync(file, JSON.stringify(spec));
    const ref = join(tmp, 'ref');
    const r = runCli(['sweep', 'run', file, '--out', ref, '--workers', '1']);
    assert.equal(r.status, 0, r.stderr);

    const redis = await TestRedis.start(PASSWORD);
    // A 60 s lock outlasts the worker's pause below: its job stays held, not lapsed.
    const env = { RANDWIRE_REDIS_URL: redis.url(), RANDWIRE_QUEUE_LOCK_MS: '60000' };
    const connection = new Redis({ port: redis.port, password: PASSWORD, maxRetriesPerRequest: null });
    connection.on('error', () => {});
    try {
      const q = join(tmp, 'queued');
      const work = join(tmp, 'work');
      const worker = startCli(['worker', '--concurrency', '1', '--work', work, '--data', data], env);
      const c = startCli(['sweep', 'run', file, '--out', q, '--queue'], env);
      await until('the queued coordinator stores its first decision', () => decisions(q).length > 0, WAIT_MS);
      // The worker has taken its next job (a bracket-1 trial) as it finished the rung; held still, it keeps it.
      worker.child.kill('SIGSTOP');
      c.child.kill('SIGKILL');
      await c.ended('the coordinator killed -9', WAIT_MS);
      const before = completedJobs(worker.log());

      const local = startCli(['sweep', 'run', q, '--local', '--workers', '1'], env);
      await until(
        '--local says which rung it leaves to the worker',
        () => {
          if (local.child.exitCode !== null) throw new Error(`--local ended before it waited for the worker:\n${local.log()}`);
          return /: a queue worker trains it towards epoch 3; its result is collected here/.test(local.log());
        },
        WAIT_MS,
      );
      worker.child.kill('SIGCONT');
      assert.equal(await local.ended('sweep run --local', WAIT_MS), 0, local.log());

      assert.deepEqual(decisions(q), decisions(ref), 'the decisions of a local run');
      const held = /(\w{12}) \([^)]*\): a queue worker trains it/.exec(local.log())![1]!;
      const after = completedJobs(worker.log()).slice(before.length);
      assert.deepEqual(
        after.map((id) => id.split('_')[1]),
        [held],
        `the worker finished only the rung it held: ${worker.log()}`,
      );
      assert.ok(!existsSync(join(q, SWEEP_FILES.trials, held, 'metrics.jsonl')), 'the held rung was not trained here as well');
      const promoted = decisions(q).find((d) => d.bracket === 0 && d.rung === 0 && d.decision === 'promoted')!.trial_id;
      assert.ok(existsSync(join(q, SWEEP_FILES.trials, promoted, 'summary.json')), 'the promoted trial finished here');
      assert.ok(!existsSync(join(work, SWEEP_FILES.trials, promoted, 'summary.json')), 'and not on the worker');
      const finished = readdirSync(join(ref, SWEEP_FILES.trials)).filter((id) => existsSync(join(ref, SWEEP_FILES.trials, id, 'summary.json')));
      assert.equal(finished.length, 3);
      for (const id of finished) assert.ok(weights(q, id).equals(weights(ref, id)), `${id}: weights differ from the local run's`);
      const queue = new Queue(QUEUE_NAME, { connection });
      assert.deepEqual(
        (await queue.getJobs(['completed', 'failed', 'wait', 'prioritized', 'active', 'delayed'])).map((j) => j.id),
        [],
      );
      await queue.close();
      assert.deepEqual(await connection.keys('randwire:checkpoint:*'), []);
    } finally {
      connection.disconnect();
      killStarted();
      await redis.stop();
    }
  },
);
