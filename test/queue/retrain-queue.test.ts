import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { killStarted, startCli, until } from '../helpers/bounded-cli.js';
import { runCli } from '../helpers/cli.js';
import { tempFolder } from '../helpers/folder.js';
import { madeUpSweep, retrainRows } from '../helpers/retrain-sweep.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';

const skip = redisMissing();
const tmp = tempFolder('randwire-retrain-queue-');

after(() => killStarted());

test(
  'through Redis: sweep retrain --queue trains the retrains on a worker and stores them; a local retrain then trains nothing',
  { skip, timeout: 600_000 },
  async () => {
    const dir = join(tmp, 'sweep');
    const db = join(dir, SWEEP_FILES.db);
    const { data, byVal } = madeUpSweep(tmp, dir);
    const redis = await TestRedis.start('pw-retrain');
    const env = { RANDWIRE_REDIS_URL: redis.url() };
    try {
      const worker = startCli(['worker', '--concurrency', '1', '--work', join(tmp, 'work'), '--data', data], env);
      await until('the worker is listening', () => /takes trials from/.test(worker.log()), 60_000);
      const args = ['sweep', 'retrain', dir, '--top', '1', '--seeds', '2'];
      const queued = startCli([...args, '--queue'], env);
      assert.equal(await queued.ended('sweep retrain --queue did not end', 300_000), 0, queued.log());
      const rows = retrainRows(db);
      assert.deepEqual(
        rows.map((r) => [r.parent, r.status]),
        [
          [byVal[0], 'done'],
          [byVal[0], 'done'],
        ],
        queued.log(),
      );
      assert.equal((worker.log().match(/: training \(attempt 1\)/g) ?? []).length, 2, worker.log());
      // Counted among the retrains, not the sweep's other finished trials.
      assert.match(queued.log(), /: 0 of 2 trials done; the rest go to redis:/);
      assert.match(queued.log(), /\[2\/2\] retrain /);
      assert.match(queued.log(), /\| 1 \| \S+ \| \S+ \| 90\.00 \| [\d.]+ \+\/- [\d.]+ \| 2 \|/);

      const local = runCli(args, { env });
      assert.equal(local.status, 0, local.stderr);
      assert.match(local.stderr, /0 new retrains added .*; 0 retrains to train/);
      assert.deepEqual(retrainRows(db), rows, 'nothing trained again');
    } finally {
      killStarted();
      await redis.stop();
    }
  },
);
