import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { killStarted, startCli, until } from '../helpers/bounded-cli.js';
import { peekStore } from '../helpers/sweep.js';
import { tempFolder } from '../helpers/folder.js';
import { madeUpSweep, retrainRows as retrains } from '../helpers/retrain-sweep.js';
import { closeSweep, openSweep } from '../../src/sweep/folder.js';
import { addRetrains } from '../../src/sweep/retrain-add.js';
import { RETRAIN_QUEUE_META } from '../../src/cli/sweep-retrain.js';
import { CHECKPOINT_FILES, RUN_FILES, SWEEP_FILES } from '../../src/io/run-layout.js';
import { RETRAIN_FILES } from '../../src/report/retrain-report.js';

const tmp = tempFolder('randwire-retrain-cli-');

function oneLine(args: string[], message: RegExp): void {
  const r = runCli(args);
  assert.notEqual(r.status, 0, args.join(' '));
  assert.match(r.stderr, message, args.join(' '));
  // Commander follows its one-line flag errors with a pointer to --help, as for every command.
  const lines = r.stderr
    .trim()
    .split('\n')
    .filter((l) => l !== '(add --help for usage)');
  assert.equal(lines.length, 1, `${args.join(' ')}: ${r.stderr.slice(0, 300)}`);
}

const meanStd = (xs: number[]): [number, number] => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1))];
};

test("sweep retrain trains the best trials by validation again under new seeds, once, and its table holds the store's numbers", { timeout: 900_000 }, (t) => {
  const dir = join(tmp, 'sweep');
  const db = join(dir, SWEEP_FILES.db);
  const { byVal } = madeUpSweep(tmp, dir);
  const args = ['sweep', 'retrain', dir, '--top', '2', '--seeds', '2', '--workers', '2'];
  const first = runCli(args);
  assert.equal(first.status, 0, first.stderr);
  const trained = retrains(db);
  assert.deepEqual(
    trained.map((r) => r.parent),
    [byVal[0], byVal[0], byVal[1], byVal[1]],
  );
  assert.ok(
    trained.every((r) => r.status === 'done' && r.test_accuracy !== null),
    JSON.stringify(trained),
  );
  assert.match(first.stderr, /4 new retrains added/);
  t.diagnostic(first.stderr + first.stdout);

  // Again: nothing new is added or trained.
  const second = runCli(args);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /0 new retrains added .*; 0 retrains to train/);
  assert.match(second.stderr, /4 of 4 trials done, 0 to train/);
  assert.deepEqual(retrains(db), trained, 'no retrain trained twice');

  // The table (printed and written) against the store.
  const csv = readFileSync(join(dir, SWEEP_FILES.report, RETRAIN_FILES.csv), 'utf8')
    .trim()
    .split('\n');
  assert.equal(csv[0], 'rank,original_id,original_cell,selected_val_accuracy,retrain_cell,seeds,n,test_accuracy_mean,test_accuracy_std');
  assert.equal(csv.length, 3);
  [0.9, 0.8].forEach((val, k) => {
    const mine = trained.filter((r) => r.parent === byVal[k]);
    const [mean, std] = meanStd(mine.map((r) => r.test_accuracy!));
    const f = csv[k + 1]!.split(',');
    assert.deepEqual(f.slice(0, 2), [String(k + 1), byVal[k]]);
    assert.equal(Number(f[3]), val);
    assert.equal(f[5], '2');
    assert.equal(f[6], '2');
    assert.ok(Math.abs(Number(f[7]) - mean) < 1e-12 && Math.abs(Number(f[8]) - std) < 1e-12, `${csv[k + 1]} against ${mean} +/- ${std}`);
    assert.ok(
      mine.every((r) => r.cell === `retrain ${f[2]} #${k + 1}`),
      JSON.stringify(mine),
    );
    assert.ok(
      second.stdout.includes(`| ${k + 1} | ${byVal[k]} | ${f[2]} | ${(val * 100).toFixed(2)} | ${(mean * 100).toFixed(2)} +/- ${(std * 100).toFixed(2)} | 2 |`),
      second.stdout,
    );
  });

  // The sweep report carries the table too.
  const report = runCli(['sweep', 'report', dir]);
  assert.equal(report.status, 0, report.stderr);
  assert.match(readFileSync(join(dir, SWEEP_FILES.report, 'table.md'), 'utf8'), /## Retrained from scratch[\s\S]*\| 1 \| /);
  assert.equal(
    readFileSync(join(dir, SWEEP_FILES.report, RETRAIN_FILES.csv), 'utf8')
      .trim()
      .split('\n').length,
    3,
  );
  // Correlations count each graph once: the ER cell's two graphs, not its retrained graph again.
  const correlations = readFileSync(join(dir, SWEEP_FILES.report, 'correlations.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const counts = correlations.map((l) => Number(l.split(',')[2]));
  assert.ok(counts.includes(2) && counts.every((n) => n <= 2), correlations.join('\n'));

  // Bad input: one line each.
  oneLine(['sweep', 'retrain', dir, '--top', '0', '--seeds', '1'], /--top.*0/);
  oneLine(['sweep', 'retrain', dir, '--top', '1', '--seeds', '0'], /--seeds.*0/);
  oneLine(['sweep', 'retrain', dir, '--seeds', '1'], /--top/);
  oneLine(['sweep', 'retrain', join(tmp, 'sweep.json'), '--top', '1', '--seeds', '1'], /is not a sweep folder \(not a folder\)/);
  oneLine(['sweep', 'retrain', join(tmp, 'data'), '--top', '1', '--seeds', '1'], /data is not a sweep folder \(no sweep.json, sweep.db\)/);
  oneLine(['sweep', 'retrain', join(tmp, 'nowhere'), '--top', '1', '--seeds', '1'], /nowhere is not a sweep folder \(no such folder\)/);
  oneLine(['sweep', 'retrain', dir, '--top', '1', '--seeds', '1', '--queue', 'sweeps/x'], /is not a queue URL/);
  // Retrains sent to a queue and unfinished there are not trained here beside its workers.
  const opened = openSweep({ path: dir }, undefined, undefined);
  addRetrains(opened.plan, opened.store, dir, 1, 3);
  opened.store.setMeta(RETRAIN_QUEUE_META, 'redis://127.0.0.1:1');
  closeSweep(opened.store);
  oneLine(
    ['sweep', 'retrain', dir, '--top', '1', '--seeds', '1'],
    /the retrains of \S+ were sent to the queue redis:\/\/127\.0\.0\.1:1; continue them with --queue/,
  );
  assert.equal(retrains(db).length, 5);
  // Another coordinator alive (the test runner's parent process, as one on another host would be): the lock refuses.
  const live = JSON.stringify({ pid: process.ppid, host: hostname(), heartbeat: new Date().toISOString() });
  const { store } = openSweep({ path: dir }, undefined, undefined);
  store.setMeta('coordinator', live);
  store.close();
  oneLine(['sweep', 'retrain', dir, '--top', '1', '--seeds', '1'], /is being run by process \d+/);
  assert.ok(!existsSync(join(tmp, 'sweeps')), 'no sweep folder was made of a file');

  const help = runCli(['sweep', 'retrain', '--help']);
  assert.match(help.stdout, /Example:\n {2}randwire sweep retrain sweeps\/\S+ --top 3 --seeds 3/);
});

test('sweep retrain stopped by Ctrl-C says how to continue, and the next run resumes the retrain from its checkpoint', { timeout: 900_000 }, async () => {
  const EPOCHS = 12;
  const own = tempFolder('randwire-retrain-stop-');
  const dir = join(own, 'sweep');
  const db = join(dir, SWEEP_FILES.db);
  madeUpSweep(own, dir, EPOCHS);
  const args = ['sweep', 'retrain', dir, '--top', '1', '--seeds', '1', '--workers', '1'];
  const epochs = (): number[] =>
    peekStore(db, (s) =>
      (
        s.db.prepare("SELECT e.epoch FROM epochs e JOIN search_origins o ON o.trial_id = e.trial_id WHERE o.kind = 'retrain' ORDER BY e.epoch").all() as Array<{
          epoch: number;
        }>
      ).map((e) => e.epoch),
    ) ?? [];
  try {
    const first = startCli(args);
    await until('the retrain has stored its first epoch', () => epochs().length >= 1, 300_000);
    first.child.kill('SIGINT');
    assert.equal(await first.ended('sweep retrain given SIGINT did not end', 120_000), 130, first.log());
    assert.ok(first.log().includes(`stopped; continue with: randwire sweep retrain ${dir} --top 1 --seeds 1`), first.log());
    const [stopped] = retrains(db);
    assert.equal(stopped!.status, 'queued');
    assert.ok(epochs().length < EPOCHS, `stopped before the end (${epochs().length} epochs)`);
    const run = join(dir, SWEEP_FILES.trials, stopped!.id);
    assert.ok(existsSync(join(run, RUN_FILES.checkpoint, CHECKPOINT_FILES.state)), 'stopped at a checkpoint, which the next run resumes from');

    const again = runCli(args);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /0 new retrains added .*; 1 retrain to train/);
    assert.deepEqual(
      epochs(),
      Array.from({ length: EPOCHS }, (_, i) => i + 1),
      'every epoch stored once',
    );
    assert.equal(retrains(db)[0]!.status, 'done');
    assert.equal(readFileSync(join(run, RUN_FILES.metrics), 'utf8').trim().split('\n').length, EPOCHS);
  } finally {
    killStarted();
  }
});
