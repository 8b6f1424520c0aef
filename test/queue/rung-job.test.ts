import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { killStarted, startCli, until } from '../helpers/bounded-cli.js';
import { parseSweepSpec, planSweep, trialId } from '../../src/sweep/plan.js';
import { QUEUE_NAME, jobIdOf, pausedResultSchema, trialResultSchema } from '../../src/queue/messages.js';
import { tempFolder } from '../helpers/folder.js';

const skip = redisMissing();
const PASSWORD = 'pw-rung-job';
const tmp = tempFolder('randwire-rung-job-');

after(() => {
  killStarted();
  rmSync(tmp, { recursive: true, force: true });
});

test(
  'through Redis: a job with a stop epoch pauses its trial and returns the rung, the same trial continues as a later job, a stop epoch past the schedule fails unretried',
  { skip, timeout: 600_000 },
  async () => {
    const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
    const redis = await TestRedis.start(PASSWORD);
    const env = { RANDWIRE_REDIS_URL: redis.url(), RANDWIRE_QUEUE_LOCK_MS: '2000' };
    const connection = new Redis({ port: redis.port, password: PASSWORD, maxRetriesPerRequest: null });
    connection.on('error', () => {});
    const queue = new Queue(QUEUE_NAME, { connection });
    try {
      const worker = startCli(['worker', '--concurrency', '1', '--work', join(tmp, 'work'), '--data', data], env);
      await until('the worker is listening', () => /takes trials from/.test(worker.log()), 60_000);
      const spec = {
        name: 'rung',
        data,
        recipe: { epochs: 2, batchSize: 16, trainLimit: 64, valSize: 16, testLimit: 32 },
        graphSeeds: 1,
        cells: [{ model: 'tinycnn' }],
      };
      const config = planSweep(parseSweepSpec(spec, 'rung.json')).trials[0]!.config;
      const jobId = jobIdOf('s0123456789a', trialId(config));
      const settled = async (what: string): Promise<Job> => {
        await until(what, async () => ['completed', 'failed'].includes((await (await queue.getJob(jobId))?.getState()) ?? ''), 180_000);
        return (await queue.getJob(jobId))!;
      };

      await queue.add('trial', { sweep: 's0123456789a', data, config, stopAfterEpoch: 1 }, { jobId, attempts: 2 });
      const rung = await settled('the job with stop epoch 1 has ended');
      const paused = pausedResultSchema.safeParse(rung.returnvalue);
      assert.ok(paused.success, `${JSON.stringify(rung.returnvalue)} ${rung.failedReason ?? ''}\n${worker.log()}`);
      assert.equal(paused.data.paused.epoch, 1);
      assert.equal(paused.data.history.length, 1);
      assert.equal(paused.data.paused.validationAccuracy, paused.data.history[0]!.valAccuracy);
      assert.match(worker.log(), /paused after epoch 1 \(validation accuracy \d+\.\d\d %\)/);
      await rung.remove();

      // Promoted: the same trial as a job without a stop epoch continues from the rung's checkpoint.
      await queue.add('trial', { sweep: 's0123456789a', data, config }, { jobId, attempts: 2 });
      const top = await settled('the continued job has ended');
      const done = trialResultSchema.safeParse(top.returnvalue);
      assert.ok(done.success, `${JSON.stringify(top.returnvalue)} ${top.failedReason ?? ''}`);
      assert.equal(done.data.summary.epochs, 2);
      assert.deepEqual(done.data.history[0], paused.data.history[0], 'epoch 1 as the rung returned it');
      assert.equal(
        worker
          .log()
          .split('\n')
          .filter((l) => l.endsWith(`${jobId}: training (attempt 1)`)).length,
        2,
        worker.log(),
      );
      await top.remove();

      await queue.add('trial', { sweep: 's0123456789a', data, config, stopAfterEpoch: 3 }, { jobId, attempts: 2 });
      const bad = await settled('the job with stop epoch 3 of 2 has ended');
      assert.equal(bad.attemptsMade, 1, 'not retried');
      assert.equal(bad.failedReason, 'run: cannot stop after epoch 3: the run trains epochs 1 to 2');
      worker.child.kill('SIGTERM');
      assert.equal(await worker.ended('an idle worker given SIGTERM did not end', 60_000), 0, worker.log());
    } finally {
      await queue.close();
      connection.disconnect();
      killStarted();
      await redis.stop();
    }
  },
);
