import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { assertEveryTrialDoneOnce, peekStore, writeQueueSweep } from '../helpers/sweep.js';
import { killStarted, startCli, trainedLines, until } from '../helpers/bounded-cli.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { tempFolder } from '../helpers/folder.js';

const skip = redisMissing();
const EPOCHS = 3;
const TRIALS = 4;

/**
 * Redis restarted without persistence mid-sweep loses every job: waiting ones, the one a worker
 * trains, and a finished result the coordinator had not collected yet (it was stopped with
 * SIGSTOP meanwhile, so the loss is certain, not a race). The coordinator must notice, enqueue the
 * lost trials again, collect the finished one from its folder, and end with every trial once.
 */
test('Redis restarted without persistence mid-sweep: the lost jobs are enqueued again, every trial trained once', { skip, timeout: 400_000 }, async () => {
  const tmp = tempFolder('randwire-redis-restart-');
  const redis = await TestRedis.start('pw-restart', { persist: false });
  try {
    const { data, specFile } = writeQueueSweep(tmp, 'restart', EPOCHS);
    const sweepDir = join(tmp, 'sweep');
    const db = join(sweepDir, SWEEP_FILES.db);
    const env = { RANDWIRE_REDIS_URL: redis.url(), RANDWIRE_QUEUE_LOCK_MS: '2000' };
    // The workers share the sweep folder (as on NFS), so a finished trial's files are the coordinator's too.
    const workerArgs = ['worker', '--concurrency', '1', '--work', sweepDir, '--data', data];
    const workers = [startCli(workerArgs, env), startCli(workerArgs, env)];
    const coordinator = startCli(['sweep', 'run', specFile, '--out', sweepDir, '--queue'], env);
    await until(
      'a trial is training past its first epoch',
      () => peekStore(db, (s) => (s.db.prepare('SELECT COUNT(*) AS n FROM epochs').get() as { n: number }).n >= 1),
      180_000,
    );
    coordinator.child.kill('SIGSTOP');
    const doneBefore = peekStore(db, (s) => s.countDone()) ?? 0;
    const trainedBefore = trainedLines(workers.map((w) => w.log())).length;
    await until(
      'a worker finishes a trial the stopped coordinator cannot collect',
      () => trainedLines(workers.map((w) => w.log())).length > trainedBefore,
      180_000,
    );
    await redis.restart();
    coordinator.child.kill('SIGCONT');
    assert.equal(await coordinator.ended('the coordinator', 240_000), 0, coordinator.log());

    assert.match(
      coordinator.log(),
      /Redis lost (1 job|\d+ jobs) \(restarted without persistence\?\); \d+ enqueued again, (1 finished trial|\d+ finished trials) collected from their folders/,
    );
    assert.ok(doneBefore < TRIALS, 'the restart came mid-sweep');
    assertEveryTrialDoneOnce(db, TRIALS, EPOCHS);
    // Each trial trained to its end exactly once over both workers (a trial collected from its folder is not trained).
    const trained = trainedLines(workers.map((w) => w.log()));
    assert.equal(trained.length, TRIALS, trained.join('\n'));
    assert.equal(new Set(trained.map((l) => l.split(':')[0])).size, TRIALS, trained.join('\n'));
    for (const w of workers) assert.match(w.log(), /reconnected to redis:\/\/:\*\*\*@/);
  } finally {
    killStarted();
    await redis.stop();
    rmSync(tmp, { recursive: true, force: true });
    rmSync(redis.dir, { recursive: true, force: true });
  }
});
