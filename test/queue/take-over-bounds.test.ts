import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { writeSweepFixture } from '../helpers/sweep-fixture.js';
import { tempFolder } from '../helpers/folder.js';
import { answered } from '../../src/queue/connection.js';
import { takeOver } from '../../src/queue/take-over.js';
import { JOB_NAME, QUEUE_NAME, jobIdOf } from '../../src/queue/messages.js';
import { closeSweep, openSweep } from '../../src/sweep/folder.js';
import { sweepId } from '../../src/sweep/coordination.js';
import { TIMED_OUT, within } from '../../src/sweep/processes.js';

const skip = redisMissing();
const PASSWORD = 'pw-take-over-bounds';
const tmp = tempFolder('randwire-take-over-bounds-');
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Far beyond the 1 s each call may wait below: only a call that is not bounded reaches it. */
const HANG_MS = 60_000;

test('answered: a value or a rejection passes through; a promise that never settles becomes the given error', async () => {
  const never = new Promise<number>(() => {});
  const err = (seconds: number): Error => new Error(`nothing within ${seconds} s`);
  assert.equal(await answered(Promise.resolve(7), err, 50), 7);
  await assert.rejects(answered(Promise.reject(new Error('refused')), err, 50), /^Error: refused$/);
  await assert.rejects(answered(never, err, 50), /^Error: nothing within 0.05 s$/);
});

test("--local's look at the queue ends with a one-line error when Redis stops answering, instead of waiting for it", { skip, timeout: 180_000 }, async () => {
  const dir = join(tmp, 'sweep');
  writeSweepFixture(dir, 1, 0);
  const { plan, store } = openSweep({ path: `${dir}.json` }, dir, undefined);
  const redis = await TestRedis.start(PASSWORD);
  const connection = new Redis({ port: redis.port, password: PASSWORD, maxRetriesPerRequest: null, retryStrategy: () => 200 });
  connection.on('error', () => {});
  const queue = new Queue(QUEUE_NAME, { connection });
  queue.on('error', () => {});
  const lines: string[] = [];
  try {
    const first = plan.trials[0]!;
    await queue.add(JOB_NAME, { trial: first.id }, { jobId: jobIdOf(sweepId(store), first.id) });
    const up = await within(
      takeOver(store, plan.trials, dir, connection, (l) => lines.push(l), 1000),
      HANG_MS,
    );
    assert.notEqual(up, TIMED_OUT, `takeOver with Redis up did not end within ${HANG_MS / 1000} s`);
    assert.deepEqual(up, { held: new Set(), removed: 1, collected: 0 }, 'the job no worker held is taken off the queue');
    assert.equal(await queue.getJob(jobIdOf(sweepId(store), first.id)), undefined);

    // Stopped: ioredis holds every command until it reconnects, which it never does here.
    await redis.stop();
    const down = within(
      takeOver(store, plan.trials, dir, connection, (l) => lines.push(l), 1000).then(
        () => 'ended without an error',
        (e: Error) => e,
      ),
      HANG_MS,
    );
    const e = await down;
    assert.notEqual(e, TIMED_OUT, `takeOver with Redis stopped did not end within ${HANG_MS / 1000} s`);
    assert.ok(e instanceof Error, String(e));
    assert.equal(e.name, 'RandwireError');
    assert.equal(
      e.message,
      `queue: Redis stopped answering (nothing within 1 s) while --local asked it which trials queue workers hold; what was trained here is kept: run randwire sweep run ${dir} --local again once Redis is back`,
    );
    assert.deepEqual(lines, []);
  } finally {
    connection.disconnect();
    closeSweep(store);
    await redis.stop();
  }
});
