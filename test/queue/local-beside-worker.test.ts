import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { runCli } from '../helpers/cli.js';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { peekStore, writeQueueSweep } from '../helpers/sweep.js';
import { killStarted, startCli, until } from '../helpers/bounded-cli.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { QUEUE_NAME } from '../../src/queue/messages.js';
import { tempFolder } from '../helpers/folder.js';

const skip = redisMissing();
const PASSWORD = 'pw-local-beside';
const EPOCHS = 3;
const TRIALS = 4;

/**
 * A sweep sent to the queue, its coordinator stopped while a worker (with its own work folder,
 * so no folder lock can help) trains a trial; then `sweep run DIR --local`. The worker's trial is
 * left to it and collected, the waiting jobs are taken off the queue and trained here: no trial
 * is trained in both places, and no job is left in Redis.
 */
test('sweep run --local beside a live queue worker trains nothing twice and leaves no job in Redis', { skip, timeout: 400_000 }, async () => {
  const tmp = tempFolder('randwire-local-beside-');
  const redis = await TestRedis.start(PASSWORD);
  const connection = new Redis({ port: redis.port, password: PASSWORD, maxRetriesPerRequest: null });
  connection.on('error', () => {});
  try {
    const { data, specFile } = writeQueueSweep(tmp, 'beside', EPOCHS);
    const sweepDir = join(tmp, 'sweep');
    const work = join(tmp, 'work');
    const db = join(sweepDir, SWEEP_FILES.db);
    // The worker is held still (SIGSTOP) from its trial's first epoch until --local has looked, so
    // the trial is certainly still its job then (on a loaded machine it finished every trial
    // before --local looked); a 60 s lock outlasts the pause, so the job stays held, not lapsed.
    const env = { RANDWIRE_REDIS_URL: redis.url(), RANDWIRE_QUEUE_LOCK_MS: '60000' };
    const worker = startCli(['worker', '--concurrency', '1', '--work', work, '--data', data], env);
    const coordinator = startCli(['sweep', 'run', specFile, '--out', sweepDir, '--queue'], env);
    await until(
      'the worker trains a trial past its first epoch',
      () => peekStore(db, (s) => (s.db.prepare('SELECT COUNT(*) AS n FROM epochs').get() as { n: number }).n >= 1),
      180_000,
    );
    worker.child.kill('SIGSTOP');
    coordinator.child.kill('SIGINT');
    assert.equal(await coordinator.ended('the queue coordinator after Ctrl-C', 240_000), 130, coordinator.log());

    // Redis that cannot be asked: --local refuses in one line rather than guess which trials the workers hold.
    const blind = runCli(['sweep', 'run', sweepDir, '--local'], { env: { RANDWIRE_REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:1` } });
    assert.equal(blind.status, 1, blind.stderr);
    assert.equal(blind.stderr.trim().split('\n').length, 1, blind.stderr);
    assert.match(
      blind.stderr,
      /was sent to the queue redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/?; --local must ask it which trials its workers hold, and cannot use Redis at .*: nothing listens on that port; run it again when Redis is back/,
    );

    const local = startCli(['sweep', 'run', sweepDir, '--local', '--workers', '1'], env);
    await until('--local says which trials it leaves to the workers', () => / left to the workers that train them/.test(local.log()), 180_000);
    worker.child.kill('SIGCONT');
    assert.equal(await local.ended('sweep run --local', 240_000), 0, local.log());
    assert.match(local.log(), / jobs? no worker held taken off it to train here, (1 trial|[2-9]\d* trials) left to the workers that train them/);

    const ids = peekStore(db, (s) => {
      const trials = s.trials();
      assert.equal(trials.length, TRIALS);
      assert.ok(
        trials.every((t) => t.status === 'done'),
        JSON.stringify(trials.map((t) => [t.id, t.status])),
      );
      for (const t of trials) {
        const epochs = (s.db.prepare('SELECT epoch FROM epochs WHERE trial_id = ? ORDER BY epoch').all(t.id) as Array<{ epoch: number }>).map((e) => e.epoch);
        assert.deepEqual(
          epochs,
          Array.from({ length: EPOCHS }, (_, i) => i + 1),
          t.id,
        );
      }
      return trials.map((t) => t.id);
    })!;
    // Separate folders: a trial trained in both places would have a finished run in both.
    const finishedIn = (root: string): string[] => ids.filter((id) => existsSync(join(root, SWEEP_FILES.trials, id, 'summary.json')));
    const here = finishedIn(sweepDir);
    const there = finishedIn(work);
    assert.deepEqual(
      here.filter((id) => there.includes(id)),
      [],
      `trained twice; here ${here}, on the worker ${there}`,
    );
    assert.equal(here.length + there.length, TRIALS);
    assert.ok(there.length >= 1 && here.length >= 1, `here ${here}, on the worker ${there}`);
    const queue = new Queue(QUEUE_NAME, { connection });
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'completed', 'failed');
    await queue.close();
    assert.deepEqual(
      Object.values(counts).reduce((a, b) => a + b, 0),
      0,
      JSON.stringify(counts),
    );
    assert.doesNotMatch(worker.log(), /failed/, worker.log());
  } finally {
    connection.disconnect();
    killStarted();
    await redis.stop();
    rmSync(tmp, { recursive: true, force: true });
    rmSync(redis.dir, { recursive: true, force: true });
  }
});

test('sweep run --local takes over the trial of a worker killed while it waits for it', { skip, timeout: 400_000 }, async () => {
  const tmp = tempFolder('randwire-local-takeover-');
  const redis = await TestRedis.start(PASSWORD);
  try {
    const { data, specFile } = writeQueueSweep(tmp, 'takeover', 60, { graphSeeds: 1, cells: [{ model: 'tinycnn' }] });
    const sweepDir = join(tmp, 'sweep');
    const db = join(sweepDir, SWEEP_FILES.db);
    const env = { RANDWIRE_REDIS_URL: redis.url(), RANDWIRE_QUEUE_LOCK_MS: '2000' };
    // Long enough that the worker is still at it when --local looks, however busy the machine (20
    // epochs, 10 s, lost that race on a loaded machine); it shares the sweep folder, so --local
    // resumes the trial from the worker's checkpoint.
    const worker = startCli(['worker', '--concurrency', '1', '--work', sweepDir, '--data', data], env);
    const coordinator = startCli(['sweep', 'run', specFile, '--out', sweepDir, '--queue'], env);
    await until(
      'the worker trains the trial past its first epoch',
      () => peekStore(db, (s) => (s.db.prepare('SELECT COUNT(*) AS n FROM epochs').get() as { n: number }).n >= 1),
      180_000,
    );
    coordinator.child.kill('SIGINT');
    await coordinator.ended('the queue coordinator after Ctrl-C', 240_000);
    const local = startCli(['sweep', 'run', sweepDir, '--local', '--workers', '1'], env);
    await until(
      '--local waits for the worker',
      () => {
        if (local.child.exitCode !== null) throw new Error(`--local ended before it waited for the worker:\n${local.log()}\n${worker.log()}`);
        return /waiting for the 1 trial that queue workers train/.test(local.log());
      },
      180_000,
    );
    // kill -9 of the only worker (its trial process ends with its stdin): none is left to see the job stall.
    worker.child.kill('SIGKILL');
    assert.equal(await local.ended('sweep run --local', 240_000), 0, local.log());
    assert.match(local.log(), /its worker stopped renewing the job's lock \(gone\?\); trained here/);
    assert.ok(
      peekStore(db, (s) => s.trials().every((t) => t.status === 'done')),
      local.log(),
    );
  } finally {
    killStarted();
    await redis.stop();
    rmSync(tmp, { recursive: true, force: true });
    rmSync(redis.dir, { recursive: true, force: true });
  }
});
