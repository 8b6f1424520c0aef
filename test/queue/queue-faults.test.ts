import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { runCli } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { assertEveryTrialDoneOnce, peekStore, reportNumbers } from '../helpers/sweep.js';
import { killStarted, startCli, trainedLines, until } from '../helpers/bounded-cli.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { QUEUE_NAME } from '../../src/queue/messages.js';
import { tempFolder } from '../helpers/folder.js';

const skip = redisMissing();
const PASSWORD = 'pw-4c1d-never-logged';
const EPOCHS = 4;
const TRIALS = 4;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Bounds of the waits below (a process's end, a state polled for): generous, the machine is shared. */
const WAIT_MS = 600_000;

function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && readFileSync(f).includes(text));
}

test(
  'sweep through Redis: poison jobs fail, a worker and the coordinator killed, Redis restarted: every trial once, the local report',
  { skip, timeout: 1_800_000 },
  async () => {
    const tmp = tempFolder('randwire-queue-');
    const data = writeTinyMnist(join(tmp, 'data'), 300, 80);
    const specFile = join(tmp, 'queue.json');
    writeFileSync(
      specFile,
      JSON.stringify({
        name: 'queue',
        data,
        recipe: { epochs: EPOCHS, batchSize: 32, lr: 0.004, trainLimit: 256, valSize: 32, testLimit: 64 },
        nodes: 6,
        channels: 4,
        graphSeeds: 2,
        weights: true,
        cells: [{ generator: 'er', grid: { p: [0.3] } }, { model: 'tinycnn' }],
      }),
    );
    const local = join(tmp, 'local');
    const l = runCli(['sweep', 'run', specFile, '--out', local, '--workers', '2']);
    assert.equal(l.status, 0, l.stderr);

    const redis = await TestRedis.start(PASSWORD);
    const env = { RANDWIRE_REDIS_URL: redis.url(), RANDWIRE_QUEUE_LOCK_MS: '2000' };
    const work = join(tmp, 'work');
    const workerArgs = ['worker', '--concurrency', '1', '--work', work, '--data', data];
    const workers = [startCli(workerArgs, env), startCli(workerArgs, env)];
    let connection: Redis | undefined;
    try {
      // Poison: a job that is no trial, and a trial whose config does not hash to its id.
      connection = new Redis({ port: redis.port, password: PASSWORD, maxRetriesPerRequest: null });
      connection.on('error', () => {});
      const queue = new Queue(QUEUE_NAME, { connection });
      await queue.add('trial', { hello: 'world' }, { jobId: 'poison-1', attempts: 3 });
      const someConfig = JSON.parse(readFileSync(join(local, SWEEP_FILES.trials, readdirSync(join(local, SWEEP_FILES.trials))[0]!, 'config.json'), 'utf8')) as {
        epochs: number;
      };
      await queue.add('trial', { sweep: 'x', data, config: { ...someConfig, epochs: 1 } }, { jobId: 'poison-2', attempts: 3 });
      for (const id of ['poison-1', 'poison-2']) {
        for (let i = 0; i < 2000 && (await (await queue.getJob(id))?.getState()) !== 'failed'; i++) await sleep(50);
        const job = (await queue.getJob(id))!;
        assert.equal(await job.getState(), 'failed', `timed out: poison job ${id} not failed after 2,000 polls 50 ms apart`);
        assert.equal(job.attemptsMade, 1, 'a poison job is not retried');
        assert.match(job.failedReason, id === 'poison-1' ? /not a randwire trial/ : /does not hash to its job id poison-2; refused/);
        await job.remove();
      }
      await queue.close();
      connection.disconnect();
      connection = undefined;

      const sweepDir = join(tmp, 'queued');
      const db = join(sweepDir, SWEEP_FILES.db);
      let coordinator = startCli(['sweep', 'run', specFile, '--out', sweepDir, '--queue'], env);
      // kill -9 the worker that trains a trial past its first epoch: the other worker takes it over.
      let victim: { trial: string; pid: number } | undefined;
      await until(
        'a trial is past its first epoch',
        () => {
          const row = peekStore(db, (s) =>
            s
              .trials()
              .find(
                (t) =>
                  t.status === 'running' &&
                  t.worker_pid &&
                  (s.db.prepare('SELECT COUNT(*) AS n FROM epochs WHERE trial_id = ?').get(t.id) as { n: number }).n >= 1,
              ),
          );
          if (row && workers.some((w) => w.child.pid === row.worker_pid)) victim = { trial: row.id, pid: row.worker_pid! };
          return victim !== undefined;
        },
        WAIT_MS,
      );
      process.kill(victim!.pid, 'SIGKILL');
      await until('two trials are done', () => peekStore(db, (s) => s.countDone() >= 2), WAIT_MS);
      coordinator.child.kill('SIGKILL');
      await coordinator.ended('the coordinator killed -9', WAIT_MS);
      await redis.restart();
      coordinator = startCli(['sweep', 'run', sweepDir, '--queue'], env);
      assert.equal(await coordinator.ended('the coordinator after the Redis restart', WAIT_MS), 0, coordinator.log());
      const survivor = workers.find((w) => w.child.pid !== victim!.pid)!;
      assert.match(survivor.log(), /lost redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ .*reconnecting with backoff/);
      assert.match(survivor.log(), /reconnected to redis:\/\/:\*\*\*@/);

      assertEveryTrialDoneOnce(db, TRIALS, EPOCHS);
      assert.match(survivor.log(), new RegExp(`${victim!.trial}: training`), "the surviving worker took over the killed worker's trial");
      assert.deepEqual(reportNumbers(sweepDir, ['attempts']), reportNumbers(local, ['attempts']));
      // Trained to the end exactly once each, over both workers.
      assert.equal(trainedLines(workers.map((w) => w.log())).length, TRIALS);
      // Asked for, the weights came back beside the results: byte for byte those of the local sweep.
      for (const id of readdirSync(join(local, SWEEP_FILES.trials))) {
        assert.deepEqual(
          readFileSync(join(sweepDir, SWEEP_FILES.trials, id, 'model', 'weights.bin')),
          readFileSync(join(local, SWEEP_FILES.trials, id, 'model', 'weights.bin')),
          id,
        );
      }
      // A sweep whose data the workers do not have (other files under the same name) fails for
      // good after its attempts, and the coordinator ends instead of waiting forever.
      const otherData = writeTinyMnist(join(tmp, 'other-data'), 300, 81);
      const otherSpec = join(tmp, 'other.json');
      writeFileSync(
        otherSpec,
        JSON.stringify({
          name: 'other',
          data: otherData,
          recipe: { epochs: 1, trainLimit: 64 },
          nodes: 6,
          channels: 4,
          graphSeeds: 1,
          cells: [{ model: 'tinycnn' }],
        }),
      );
      const other = runCli(['sweep', 'run', otherSpec, '--out', join(tmp, 'other'), '--queue', '--retries', '0'], { env });
      assert.equal(other.status, 1, other.stderr);
      assert.match(other.stderr, /failed after 1 attempt: --data .* holds other files than the sweep's .*other-data \(SHA-256 differs\)/);
      const wrong = runCli(['sweep', 'run', otherSpec, '--out', join(tmp, 'wrong'), '--queue', `redis://:not-it@127.0.0.1:${redis.port}`]);
      assert.equal(wrong.status, 1);
      assert.equal(wrong.stderr.trim(), `randwire: queue: cannot use Redis at redis://:***@127.0.0.1:${redis.port}: it refused the user name or password`);
      survivor.child.kill('SIGTERM');
      assert.equal(await survivor.ended('the surviving worker given SIGTERM', WAIT_MS), 0, survivor.log());
      // The password never reaches a log, the store or the report.
      for (const w of workers) assert.ok(!w.log().includes(PASSWORD));
      assert.ok(!coordinator.log().includes(PASSWORD));
      assert.deepEqual(filesContaining(sweepDir, PASSWORD), []);
    } finally {
      connection?.disconnect();
      killStarted();
      await redis.stop();
    }
  },
);
