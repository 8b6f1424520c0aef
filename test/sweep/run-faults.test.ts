import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { runCliWatching } from '../helpers/cli-process.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { SweepStore } from '../../src/sweep/store.js';
import { peekStore, reportNumbers } from '../helpers/sweep.js';
import { commandLine, processAlive } from '../../src/sweep/processes.js';
import { RUN_FILES, SWEEP_FILES } from '../../src/io/run-layout.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-sweep-faults-');
const data = writeTinyMnist(join(tmp, 'data'), 300, 80);
const EPOCHS = 4;
const specFile = join(tmp, 'faults.json');
writeFileSync(
  specFile,
  JSON.stringify({
    name: 'faults',
    data,
    recipe: { epochs: EPOCHS, batchSize: 32, lr: 0.004, trainLimit: 256, valSize: 32, testLimit: 64 },
    nodes: 6,
    channels: 4,
    graphSeeds: 2,
    trainSeeds: 1,
    cells: [{ generator: 'er', grid: { p: [0.3] } }, { generator: 'ws', list: [{ k: 2, p: 0.5 }] }, { model: 'tinycnn' }],
  }),
);
const TRIALS = 6;

const epochCount = (s: SweepStore, id: string): number => (s.db.prepare('SELECT COUNT(*) AS n FROM epochs WHERE trial_id = ?').get(id) as { n: number }).n;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('kill -9 of a worker and of the coordinator: every trial done once, no duplicate epochs, the same report', { timeout: 1_800_000 }, async () => {
  const clean = join(tmp, 'clean');
  const r = runCli(['sweep', 'run', specFile, '--out', clean, '--workers', '2']);
  assert.equal(r.status, 0, r.stderr);

  const faulty = join(tmp, 'faulty');
  const db = join(faulty, SWEEP_FILES.db);
  let killedWorkerOf: string | undefined;
  // 0. Ctrl-C once a trial is done: exit 130, the running trials stop at a checkpoint and go back to the queue.
  let interrupted = false;
  const first = await runCliWatching(['sweep', 'run', specFile, '--out', faulty, '--workers', '2'], (line, child) => {
    if (!interrupted && /^\[1\/6\]/.test(line)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  assert.equal(first.code, 130, first.stderr);
  assert.match(first.stderr, /stopped; continue with: randwire sweep run /);
  peekStore(db, (s) =>
    assert.deepEqual(
      s.trials().filter((t) => t.status === 'running'),
      [],
    ),
  );
  const firstPid = (JSON.parse(peekStore(db, (s) => s.getMeta('coordinator'))!) as { pid: number }).pid;
  const announced = (text: string): number => text.split('\n').filter((l) => /^\[\d+\/6\] /.test(l)).length;
  let announcedByCoordinator = 0;
  const coordinator = runCliWatching(['sweep', 'run', faulty, '--workers', '2'], (line) => {
    if (/^\[\d+\/6\] /.test(line)) announcedByCoordinator++;
  });
  let coordinatorPid: number | undefined;
  for (let i = 0; i < 12_000 && coordinatorPid === undefined; i++) {
    const meta = peekStore(db, (s) => s.getMeta('coordinator'));
    const pid = meta ? (JSON.parse(meta) as { pid: number }).pid : undefined;
    if (pid !== undefined && pid !== firstPid) coordinatorPid = pid;
    await sleep(50);
  }
  assert.ok(coordinatorPid, 'timed out: the coordinator did not register itself within 12,000 polls 50 ms apart');
  // 1. kill -9 a worker in the middle of a trial (after its first epoch's checkpoint).
  for (let i = 0; i < 24_000 && killedWorkerOf === undefined; i++) {
    const victim = peekStore(db, (s) =>
      s.trials().find((t) => t.status === 'running' && t.worker_pid && epochCount(s, t.id) >= 1 && epochCount(s, t.id) < EPOCHS),
    );
    if (victim) {
      process.kill(victim.worker_pid!, 'SIGKILL');
      killedWorkerOf = victim.id;
    }
    await sleep(30);
  }
  assert.ok(killedWorkerOf, 'timed out: no worker was mid-trial to be killed within 24,000 polls 30 ms apart');
  // 2. kill -9 the coordinator once two trials are done and another is mid-way.
  let killedCoordinator = false;
  for (let i = 0; i < 40_000 && !killedCoordinator; i++) {
    // Only once the coordinator has seen the worker die (its failure recorded), has announced every
    // trial it finished (it records a trial before it says so; a kill in between would hide a
    // training from the count below), and another trial is mid-way.
    const ready = peekStore(
      db,
      (s) =>
        s.failures(killedWorkerOf!).length > 0 &&
        s.countDone() >= 2 &&
        announced(first.stderr) + announcedByCoordinator === s.countDone() &&
        s.trials().some((t) => t.status === 'running' && epochCount(s, t.id) >= 1),
    );
    if (ready) {
      process.kill(coordinatorPid, 'SIGKILL');
      killedCoordinator = true;
    }
    await sleep(30);
  }
  assert.ok(killedCoordinator, 'timed out: the coordinator never reached the state to be killed mid-sweep within 40,000 polls 30 ms apart');
  const exit = await coordinator;
  assert.equal(exit.signal, 'SIGKILL');
  // Recorded as done by the dead coordinator but not yet said (the kill can still land between the two).
  const unannounced = peekStore(db, (s) => s.countDone())! - announced(first.stderr) - announced(exit.stderr);
  assert.ok(unannounced === 0 || unannounced === 1, `${unannounced} trials recorded but not announced`);
  const left = peekStore(db, (s) => s.trials().filter((t) => t.status === 'running'))!;
  assert.ok(left.length >= 1, 'trials were left running by the dead coordinator');
  // Its trial processes end by themselves when their coordinator's pipe closes.
  for (let i = 0; i < 1000 && left.some((t) => processAlive(t.worker_pid!) && commandLine(t.worker_pid!).includes('sweep trial')); i++) await sleep(100);
  assert.ok(
    left.every((t) => !processAlive(t.worker_pid!) || !commandLine(t.worker_pid!).includes('sweep trial')),
    'timed out: orphaned trial processes still running after 1,000 polls 100 ms apart',
  );

  const again = runCli(['sweep', 'run', faulty, '--workers', '2']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /was left running by a process that stopped; it resumes from its last checkpoint/);

  peekStore(db, (s) => {
    const trials = s.trials();
    assert.equal(trials.length, TRIALS);
    assert.ok(
      trials.every((t) => t.status === 'done'),
      JSON.stringify(trials.map((t) => t.status)),
    );
    for (const t of trials) {
      const epochs = (s.db.prepare('SELECT epoch FROM epochs WHERE trial_id = ? ORDER BY epoch').all(t.id) as Array<{ epoch: number }>).map((e) => e.epoch);
      assert.deepEqual(
        epochs,
        Array.from({ length: EPOCHS }, (_, i) => i + 1),
        t.id,
      );
    }
    const killed = s.trial(killedWorkerOf!)!;
    assert.ok(killed.attempts >= 2);
    assert.match(s.failures(killed.id)[0]!.error, /killed by SIGKILL/);
  });
  assert.deepEqual(reportNumbers(faulty, ['attempts']), reportNumbers(clean, ['attempts']));
  // Each trial was trained to its end exactly once over the three coordinators (a trial trained
  // twice would leave the same numbers, so count the results they announced). A trial whose
  // process finished after its coordinator died is announced as collected by the next one; one
  // recorded but not yet announced when the coordinator died is not announced at all.
  const results = [first.stderr, exit.stderr, again.stderr]
    .join('\n')
    .split('\n')
    .filter((l) => /^\[\d+\/6\] /.test(l));
  const trials = results.map((l) => l.replace(/^\[\d+\/6\] /, '').split(':')[0]!);
  assert.equal(new Set(trials).size, trials.length, `a trial finished twice:\n${results.join('\n')}`);
  assert.equal(trials.length + unannounced, TRIALS, results.join('\n'));
});

test('a trial whose process finished after its coordinator died is collected, not trained again', { timeout: 1_800_000 }, async () => {
  const spec = join(tmp, 'collect.json');
  writeFileSync(
    spec,
    JSON.stringify({
      name: 'collect',
      data,
      recipe: { epochs: 2, batchSize: 32, lr: 0.004, trainLimit: 128, valSize: 32, testLimit: 64 },
      nodes: 6,
      channels: 4,
      graphSeeds: 1,
      trainSeeds: 1,
      cells: [{ generator: 'er', grid: { p: [0.3] } }, { model: 'tinycnn' }],
    }),
  );
  const out = join(tmp, 'collect');
  const first = runCli(['sweep', 'run', spec, '--out', out, '--workers', '1']);
  assert.equal(first.status, 0, first.stderr);
  const db = join(out, SWEEP_FILES.db);
  const victim = peekStore(db, (s) => s.trials()[0]!)!;
  const summary = join(out, SWEEP_FILES.trials, victim.id, RUN_FILES.summary);
  const before = readFileSync(summary, 'utf8');
  // The state a kill -9 of the coordinator leaves between its trial's last write and its own
  // record of it: the trial 'running' under a process that is gone, no epochs in the store.
  const gone = spawnSync(process.execPath, ['-e', '']).pid!;
  const s = SweepStore.open(db);
  try {
    s.db.prepare("UPDATE trials SET status = 'running', worker_pid = ?, finished_at = NULL, test_accuracy = NULL WHERE id = ?").run(gone, victim.id);
    s.db.prepare('DELETE FROM epochs WHERE trial_id = ?').run(victim.id);
  } finally {
    s.close();
  }
  const again = runCli(['sweep', 'run', out, '--workers', '1']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /\[2\/2\] .* \(finished earlier; collected\)/);
  assert.equal(readFileSync(summary, 'utf8'), before, 'the finished run was not trained again');
  peekStore(db, (st) => {
    const t = st.trial(victim.id)!;
    assert.equal(t.status, 'done');
    assert.equal(t.test_accuracy, victim.test_accuracy);
    assert.equal(epochCount(st, victim.id), 2);
  });
});
