import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { querySweep } from '../helpers/sweep.js';
import { tempFolder } from '../helpers/folder.js';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';
import { killStarted, startCli, until } from '../helpers/bounded-cli.js';

const skip = redisMissing();
const PASSWORD = 'pw-evolution-queue';
/** Bounds of the waits below: generous, the machine is shared. */
const WAIT_MS = 600_000;
const tmp = tempFolder('randwire-evolution-queue-');
after(() => {
  killStarted();
  rmSync(tmp, { recursive: true, force: true });
});

const lineage = (dir: string) =>
  querySweep<{ trial_id: string; parent_id: string; detail: string }>(
    dir,
    "SELECT trial_id, parent_id, detail FROM search_origins WHERE kind = 'child' ORDER BY seq",
  );
const statuses = (dir: string): string[] => querySweep<{ status: string }>(dir, 'SELECT status FROM trials ORDER BY position').map((r) => r.status);
/** Members a worker trained to their end, by job id ("<job>: test accuracy ..."). */
const trainedJobs = (logs: string[]): string[] => logs.flatMap((l) => l.split('\n').flatMap((x) => /^(\S+): test accuracy/.exec(x)?.[1] ?? []));

test(
  'evolution through Redis: two workers, the coordinator killed -9 and run again, breed the children of a local run; every member trained once; --local of it refused in one line',
  { skip, timeout: 1_800_000 },
  async () => {
    const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
    const spec = {
      name: 'qevolution',
      data,
      nodes: 5,
      channels: 2,
      graphSeeds: 2,
      recipe: { epochs: 1, trainLimit: 32, valSize: 16, testLimit: 16, batchSize: 16 },
      cells: [
        { generator: 'er', grid: { p: [0.5] } },
        { generator: 'ws', grid: { k: [2], p: [0.5] } },
      ],
      search: { strategy: 'evolution', population: 4, sample: 2, window: 2, children: 4 },
    };
    const file = join(tmp, 'qevolution.json');
    writeFileSync(file, JSON.stringify(spec));
    const local = join(tmp, 'local');
    const l = runCli(['sweep', 'run', file, '--out', local, '--workers', '1']);
    assert.equal(l.status, 0, l.stderr);
    assert.equal(lineage(local).length, 4, l.stderr);

    const redis = await TestRedis.start(PASSWORD);
    const env = { RANDWIRE_REDIS_URL: redis.url(), RANDWIRE_QUEUE_LOCK_MS: '2000' };
    const worker = (name: string) => startCli(['worker', '--concurrency', '1', '--work', join(tmp, name), '--data', data], env);
    try {
      const q = join(tmp, 'queued');
      const a = worker('work-a');
      const b = worker('work-b');
      const c1 = startCli(['sweep', 'run', file, '--out', q, '--queue'], env);
      await until('the queued coordinator stores its first child', () => lineage(q).length > 0, WAIT_MS);
      c1.child.kill('SIGKILL');
      await c1.ended('the coordinator killed -9', WAIT_MS);
      const c2 = startCli(['sweep', 'run', q, '--queue'], env);
      assert.equal(await c2.ended('the coordinator run again', WAIT_MS), 0, c2.log());

      assert.deepEqual(lineage(q), lineage(local), 'the same children (ids, parents, mutations) as a local run with 1 worker');
      assert.deepEqual(statuses(q), new Array(8).fill('done'));
      const trained = trainedJobs([a.log(), b.log()]);
      assert.equal(trained.length, 8, `each of the 4 planned trials and 4 children trained once:\n${a.log()}\n${b.log()}`);
      assert.equal(new Set(trained).size, 8);

      const r = startCli(['sweep', 'run', q, '--local'], env);
      assert.equal(await r.ended('sweep run --local of a queued evolution', WAIT_MS), 1, r.log());
      assert.equal(
        r.log(),
        `randwire: sweep: --local is not built for an evolution search sent to a queue; continue it with: randwire sweep run ${q} --queue\n`,
      );
    } finally {
      killStarted();
      await redis.stop();
    }
  },
);
