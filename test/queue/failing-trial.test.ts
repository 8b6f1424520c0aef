import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { runCli } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { peekStore } from '../helpers/sweep.js';
import { killStarted, startCli, until } from '../helpers/bounded-cli.js';
import { parseSweepSpec, planSweep, trialId } from '../../src/sweep/plan.js';
import { processAlive } from '../../src/sweep/processes.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { QUEUE_NAME, jobIdOf } from '../../src/queue/messages.js';
import type { TrainConfig } from '../../src/experiment/config.js';
import { tempFolder } from '../helpers/folder.js';

const skip = redisMissing();
const PASSWORD = 'pw-failing-trial';
const tmp = tempFolder('randwire-failing-trial-');
const WRONG_INPUT = 'data: the data is 28x28x1 but the model expects 32x32x1 (set --input)';

after(() => {
  killStarted();
  rmSync(tmp, { recursive: true, force: true });
});

function writeSpec(name: string, spec: object): string {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, ...spec }));
  return file;
}

const epochsStored = (db: string, trial: string): number =>
  peekStore(db, (s) => (s.db.prepare('SELECT COUNT(*) AS n FROM epochs WHERE trial_id = ?').get(trial) as { n: number }).n) ?? 0;

test(
  'through Redis: a trial that fails at start fails its job after its attempts, impossible jobs fail in one line, the worker serves on; SIGTERM stops a training worker and its coordinator, and the trial resumes elsewhere',
  { skip, timeout: 600_000 },
  async () => {
    const data = writeTinyMnist(join(tmp, 'data'), 300, 80);
    const redis = await TestRedis.start(PASSWORD);
    const env = { RANDWIRE_REDIS_URL: redis.url(), RANDWIRE_QUEUE_LOCK_MS: '2000' };
    const work = join(tmp, 'work');
    const workerArgs = ['worker', '--concurrency', '1', '--work', work, '--data', data];
    let connection: Redis | undefined;
    try {
      const worker = startCli(workerArgs, env);
      await until('the worker is listening', () => /takes trials from/.test(worker.log()), 60_000);

      // (b) The trial fails as it starts (32x32 inputs on 28x28 data): tried twice, then failed with its reason.
      const bad = { data, input: [32, 32, 1], recipe: { epochs: 1, trainLimit: 64, valSize: 16, testLimit: 32 }, graphSeeds: 1, cells: [{ model: 'tinycnn' }] };
      const badFile = writeSpec('bad', bad);
      const badId = planSweep(parseSweepSpec({ name: 'bad', ...bad }, 'bad.json')).trials[0]!.id;
      const badDir = join(tmp, 'bad');
      const coordinator = startCli(['sweep', 'run', badFile, '--out', badDir, '--queue', '--retries', '1'], env);
      assert.equal(await coordinator.ended('the queue coordinator of a sweep whose only trial fails at start did not end', 180_000), 1, coordinator.log());
      assert.ok(coordinator.log().includes(`${badId} (tinycnn) failed after 2 attempts: ${WRONG_INPUT}`), coordinator.log());
      assert.match(coordinator.log(), new RegExp(`randwire: sweep: 1 trial failed after its retries \\(${badId}\\)`));
      const status = runCli(['sweep', 'status', badDir]);
      assert.ok(status.stdout.includes(`failed ${badId} (tinycnn) after 2 attempts: ${WRONG_INPUT}`), status.stdout);
      assert.match(worker.log(), /: training \(attempt 2\)/);
      assert.equal(
        worker
          .log()
          .split('\n')
          .filter((l) => l.endsWith(`: failed: ${WRONG_INPUT}`)).length,
        2,
        worker.log(),
      );

      // Jobs whose config hashes to their id but that no machine can train fail at once, unretried, without a trial process.
      connection = new Redis({ port: redis.port, password: PASSWORD, maxRetriesPerRequest: null });
      connection.on('error', () => {});
      const queue = new Queue(QUEUE_NAME, { connection });
      const randwire = planSweep(
        parseSweepSpec(
          { name: 'rw', data, nodes: 6, channels: 4, graphSeeds: 1, recipe: { epochs: 1 }, cells: [{ generator: 'er', grid: { p: [0.5] } }] },
          'rw.json',
        ),
      ).trials[0]!.config;
      const graphs = randwire.model.graphs!;
      const impossible: Array<[string, TrainConfig, string]> = [
        ['classes', { ...randwire, model: { ...randwire.model, classes: 1e7 } }, 'model: classes must be at most 100000, got 10000000'],
        [
          'input',
          { ...randwire, model: { ...randwire.model, inputShape: [100000, 100000, 3] } },
          'model: input shape must be at most 1024x1024x4, got 100000x100000x3',
        ],
        [
          'edge',
          { ...randwire, model: { ...randwire.model, graphs: [{ ...graphs[0]!, edges: [[0, 99]] }, ...graphs.slice(1)] } },
          `graph: model.graphs[0]: edge 0 [0,99] has a node index outside 0..${graphs[0]!.nodes - 1}`,
        ],
      ];
      for (const [what, config, reason] of impossible) {
        const jobId = jobIdOf('s0badc0ffee0', trialId(config));
        await queue.add('trial', { sweep: 's0badc0ffee0', data, config }, { jobId, attempts: 3 });
        await until(`the impossible job (${what}) has failed`, async () => (await (await queue.getJob(jobId))?.getState()) === 'failed', 60_000);
        const job = (await queue.getJob(jobId))!;
        assert.equal(job.attemptsMade, 1, `${what}: not retried`);
        assert.equal(job.failedReason, reason);
        assert.ok(!worker.log().includes(`${jobId}: training`), `${what}: no trial process was started`);
      }
      await queue.close();

      // (d) SIGTERM to the worker and to the coordinator while the trial trains: both end, the trial
      // process too; the job goes back to the queue unspent, and another worker finishes it.
      const EPOCHS = 20;
      const good = {
        data,
        recipe: { epochs: EPOCHS, batchSize: 32, trainLimit: 256, valSize: 32, testLimit: 64 },
        graphSeeds: 1,
        cells: [{ model: 'tinycnn' }],
      };
      const goodFile = writeSpec('good', good);
      const goodId = planSweep(parseSweepSpec({ name: 'good', ...good }, 'good.json')).trials[0]!.id;
      const goodDir = join(tmp, 'good');
      const db = join(goodDir, SWEEP_FILES.db);
      const first = startCli(['sweep', 'run', goodFile, '--out', goodDir, '--queue'], env);
      await until('the trial has trained an epoch on the worker', () => epochsStored(db, goodId) >= 1, 180_000);
      const lock = join(work, SWEEP_FILES.trials, goodId, SWEEP_FILES.trialLock);
      const trialPid = (JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid;
      assert.ok(processAlive(trialPid));
      worker.child.kill('SIGTERM');
      first.child.kill('SIGTERM');
      assert.equal(await worker.ended('the worker given SIGTERM while its trial trained did not end', 120_000), 130, worker.log());
      assert.equal(await first.ended('the queue coordinator given SIGTERM did not end', 60_000), 130, first.log());
      assert.ok(!processAlive(trialPid), 'the trial process ended with its worker');
      assert.match(worker.log(), /stopping: 1 trial stop at a checkpoint and go back to the queue/);
      assert.match(worker.log(), /stopped; 1 trial handed back to the queue, to continue from their checkpoints/);
      assert.ok(!existsSync(lock), 'the trial folder is free for the next worker');
      const trainedBefore = epochsStored(db, goodId);
      assert.ok(trainedBefore < EPOCHS, `stopped before the end (${trainedBefore} epochs)`);

      const next = startCli(workerArgs, env);
      const again = startCli(['sweep', 'run', goodDir, '--queue'], env);
      assert.equal(await again.ended('the queue coordinator of the handed-back trial did not finish', 300_000), 0, again.log());
      assert.match(next.log(), new RegExp(`_${goodId}: training \\(attempt 1\\)`), 'handing back spent no attempt');
      assert.equal(epochsStored(db, goodId), EPOCHS);
      next.child.kill('SIGTERM');
      assert.equal(await next.ended('an idle worker given SIGTERM did not end', 60_000), 0, next.log());
    } finally {
      connection?.disconnect();
      killStarted();
      await redis.stop();
    }
  },
);
