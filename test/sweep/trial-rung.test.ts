import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import { startTrialProcess, startTrialToRung, trialEnv } from '../../src/sweep/trial-process.js';
import type { TrialMessage } from '../../src/sweep/trial-child.js';
import { pausedResultSchema, trialJobSchema } from '../../src/queue/messages.js';
import { checkNotBehind, checkStopAfterEpoch } from '../../src/experiment/pause.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-trial-rung-');
const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
const spec = {
  name: 'rung',
  data,
  recipe: { epochs: 2, trainLimit: 64, valSize: 16, testLimit: 32, batchSize: 16 },
  graphSeeds: 1,
  cells: [{ model: 'tinycnn' }],
};
const config = planSweep(parseSweepSpec(spec, 'rung.json')).trials[0]!.config;

after(() => rmSync(tmp, { recursive: true, force: true }));

/** A trial process's outcome, or a rejection naming what did not end. */
async function bounded<T>(p: Promise<T>, what: string, ms = 180_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

test(
  "a trial process given a stop epoch pauses there, reports it with that epoch's validation accuracy, and continues later",
  { timeout: 600_000 },
  async () => {
    const dir = join(tmp, 'trial');
    const messages: TrialMessage[] = [];
    const first = startTrialToRung(dir, config, 1, trialEnv(1), (m) => messages.push(m));
    const r = await bounded(first.outcome, 'the trial process asked to pause after epoch 1');
    assert.equal(r.kind, 'paused', JSON.stringify(r));
    if (r.kind !== 'paused') return;
    const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(metrics.length, 1);
    assert.equal(r.epoch, 1);
    assert.equal(typeof r.validationAccuracy, 'number');
    assert.equal(r.validationAccuracy, metrics[0].valAccuracy, 'the rung reports validation accuracy of epoch 1');
    assert.deepEqual(r.history, metrics);
    assert.ok(
      messages.some((m) => m.type === 'paused' && m.epoch === 1),
      JSON.stringify(messages),
    );
    assert.equal(existsSync(join(dir, 'summary.json')), false);

    // Asked again for the same rung (a coordinator restarted): the same answer, nothing trained.
    const again = await bounded(startTrialToRung(dir, config, 1, trialEnv(1), () => {}).outcome, 'the trial process asked again to pause after epoch 1');
    assert.deepEqual(again, r);

    // Promoted to the top rung: it continues from its checkpoint and finishes.
    const done = await bounded(startTrialProcess(dir, config, trialEnv(1), () => {}).outcome, 'the paused trial continued to its last epoch');
    assert.equal(done.kind, 'done', JSON.stringify(done));
    if (done.kind !== 'done') return;
    assert.equal(done.summary.epochs, 2);
    assert.deepEqual(done.history[0], metrics[0], 'epoch 1 as the rung reported it');

    // A stop epoch the trial's schedule never reaches fails the trial in one line.
    const bad = await bounded(startTrialToRung(join(tmp, 'bad'), config, 3, trialEnv(1), () => {}).outcome, 'the trial process given stop epoch 3 of 2');
    assert.deepEqual(bad, { kind: 'failed', error: 'run: cannot stop after epoch 3: the run trains epochs 1 to 2' });
  },
);

test('stop epochs: the queue job schema takes a positive integer; the run checks it against its epochs and what it trained', () => {
  const job = { sweep: 's1', data: 'mnist', config: JSON.parse(JSON.stringify(config)) as unknown };
  assert.ok(trialJobSchema.safeParse(job).success, 'no stop epoch: trains to the end');
  assert.ok(trialJobSchema.safeParse({ ...job, stopAfterEpoch: 3 }).success);
  for (const k of [0, -1, 1.5, '2']) assert.equal(trialJobSchema.safeParse({ ...job, stopAfterEpoch: k }).success, false, `stopAfterEpoch ${k}`);
  assert.ok(pausedResultSchema.safeParse({ host: 'h', paused: { epoch: 1, validationAccuracy: 0.5 }, history: [] }).success);

  assert.doesNotThrow(() => checkStopAfterEpoch(undefined, 3));
  assert.doesNotThrow(() => checkStopAfterEpoch(3, 3));
  for (const k of [0, 4, 1.5]) assert.throws(() => checkStopAfterEpoch(k, 3), new RegExp(`cannot stop after epoch ${k}: the run trains epochs 1 to 3`));
  assert.doesNotThrow(() => checkNotBehind(2, { epoch: 2, batch: 0 }, 'run'));
  assert.doesNotThrow(() => checkNotBehind(3, { epoch: 2, batch: 5 }, 'run'));
  assert.throws(() => checkNotBehind(2, { epoch: 2, batch: 5 }, 'run'), /run has trained 2 epochs and 5 batches of epoch 3 already, and a run cannot go back/);
  assert.throws(() => checkNotBehind(1, { epoch: 1, batch: 1 }, 'run'), /run has trained 1 epoch and 1 batch of epoch 2 already/);
  assert.throws(() => checkNotBehind(1, { epoch: 2, batch: 0 }, 'run'), /cannot go back/);
});
