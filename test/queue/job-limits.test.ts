import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { startCliMeasured } from '../helpers/peak-rss.js';
import { JOB_NAME, QUEUE_NAME, jobIdOf, trialJobSchema } from '../../src/queue/messages.js';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../src/experiment/config.js';
import { trialId } from '../../src/sweep/plan.js';
import { LIMITS } from '../../src/core/limits.js';
import { tempFolder } from '../helpers/folder.js';

const skip = redisMissing();
const PASSWORD = 'pw-job-limits';
const tmp = tempFolder('randwire-job-limits-');
after(() => rmSync(tmp, { recursive: true, force: true }));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, epochs: 1 };
const job = (extra: Record<string, unknown> = {}, c: unknown = config) => ({ sweep: 's1', data: 'mnist', config: c, ...extra });
/** What the worker says of a job's payload (its messages, joined as the worker joins them). */
const problems = (data: unknown): string => {
  const r = trialJobSchema.safeParse(data);
  return r.success ? 'ok' : r.error.issues.map((i) => `${i.path.join('.') || 'job'}: ${i.message}`).join('; ');
};
const graph2000 = { generator: 'x', params: {}, seed: 0, nodes: 2000, edges: [[0, 1]] };
const withGraph = { ...config, model: { ...config.model, graphs: [graph2000] } };

test('a job payload: unknown keys at any level and oversize payloads are refused, not stripped', () => {
  assert.equal(problems(job()), 'ok');
  assert.equal(problems(job({ junk: 'x'.repeat(10 * 1024 * 1024) })), 'job: Unrecognized key: "junk"');
  assert.equal(problems(job({}, { ...config, junk: 'x'.repeat(10 * 1024 * 1024) })), 'config: Unrecognized key: "junk"');
  assert.equal(problems(job({}, { ...config, model: { ...config.model, junk: 1 } })), 'config.model: Unrecognized key: "junk"');
  assert.equal(
    problems(job({}, { ...withGraph, model: { ...withGraph.model, graphs: [{ ...graph2000, junk: 1 }] } })),
    'config.model.graphs.0: Unrecognized key: "junk"',
  );
  assert.equal(
    problems(job({ junk: 'x'.repeat(LIMITS.queueJobBytes) })),
    `job: ${(LIMITS.queueJobBytes + 2 + JSON.stringify(job()).length + 8).toLocaleString('en-US')} bytes, more than the 25,165,824 (24 MiB) a job may hold`,
  );
  assert.equal(problems(job({}, { ...config, model: { ...config.model, nodes: 2000 } })), 'config.model.nodes: Too big: expected number to be <=1000');
});

/** Wait until the job has failed; its reason, and how many attempts it took. */
async function failure(queue: Queue, id: string): Promise<{ reason: string; attempts: number }> {
  for (let i = 0; i < 1200; i++) {
    // The state first: a job read before it failed holds no reason.
    if ((await queue.getJobState(id)) === 'failed') {
      const j = (await queue.getJob(id))!;
      return { reason: j.failedReason, attempts: j.attemptsMade };
    }
    await sleep(100);
  }
  throw new Error(`timed out after 120 s waiting for job ${id} to fail`);
}

test('a worker refuses injected jobs past the limits in one line each, with bounded memory', { skip, timeout: 300_000 }, async () => {
  const redis = await TestRedis.start(PASSWORD);
  const worker = startCliMeasured(['worker', '--concurrency', '1', '--work', join(tmp, 'work')], { RANDWIRE_REDIS_URL: redis.url() });
  const connection = new Redis({ port: redis.port, password: PASSWORD, maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const queue = new Queue(QUEUE_NAME, { connection });
  try {
    // Valid ids (the trial's hash): only the limits refuse these jobs.
    const id = jobIdOf('s1', trialId(config));
    const cases: Array<[string, unknown, RegExp]> = [
      // Inside the config, where a key used to be stripped and the trial trained.
      [id, job({}, { ...config, junk: 'x'.repeat(10 * 1024 * 1024) }), /^the job is not a randwire trial \(config: Unrecognized key: "junk"\)$/],
      [
        jobIdOf('s2', trialId(config)),
        job({ junk: 'x'.repeat(LIMITS.queueJobBytes + 1024) }),
        /^the job is not a randwire trial \(job: 25,\d{3},\d{3} bytes, more than the 25,165,824 \(24 MiB\) a job may hold\)$/,
      ],
      [jobIdOf('s3', trialId(withGraph as TrainConfig)), job({}, withGraph), /^graph: model\.graphs\[0\]: 2,000 nodes, more than the 1,000 allowed$/],
    ];
    for (const [jobId, data, reason] of cases) {
      await queue.add(JOB_NAME, data as never, { jobId, attempts: 3 });
      const f = await failure(queue, jobId);
      assert.match(f.reason, reason, `${jobId}: ${f.reason}; the worker said: ${worker.log().slice(-2000)}`);
      assert.equal(f.attempts, 1, `${jobId}: refused once, not retried`);
    }
    worker.child.kill('SIGTERM');
    const { code, peakRssMiB } = await worker.exit;
    console.log(`# worker after the injected jobs: peak RSS ${peakRssMiB.toFixed(0)} MiB`);
    assert.equal(code, 0, worker.log());
    assert.doesNotMatch(worker.log(), /training/, 'nothing was trained');
    // BullMQ holds each 10-24 MB payload a few times over while it reads it; a 2,000-node training took 1.9 GB.
    assert.ok(peakRssMiB < 768, `the worker peaked at ${peakRssMiB.toFixed(0)} MiB`);
  } finally {
    worker.child.kill('SIGKILL');
    await worker.exit.catch(() => {});
    await queue.close();
    connection.disconnect();
    await redis.stop();
  }
});
