import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { killStarted, processesMentioning, startCli } from '../helpers/bounded-cli.js';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-trial-failure-');
const data = writeTinyMnist(join(tmp, 'data'), 100, 40);
/** 32x32 inputs on 28x28 data: the sweep plans, and its trial fails as it starts. */
const badSpec = {
  name: 'bad',
  data,
  input: [32, 32, 1],
  recipe: { epochs: 1, trainLimit: 64, valSize: 16, testLimit: 32 },
  graphSeeds: 1,
  cells: [{ model: 'tinycnn' }],
};
const badConfig = planSweep(parseSweepSpec(badSpec, 'bad.json')).trials[0]!.config;
const WRONG_INPUT = 'data: the data is 28x28x1 but the model expects 32x32x1 (set --input)';

after(() => {
  killStarted();
  rmSync(tmp, { recursive: true, force: true });
});

test('a trial process that fails ends at once, although its coordinator keeps its stdin open', { timeout: 200_000 }, async () => {
  const cases: Array<[string, string, string]> = [
    ['fails while starting', JSON.stringify(badConfig), `randwire: ${WRONG_INPUT}`],
    [
      'impossible (10 million classes)',
      JSON.stringify({ ...badConfig, model: { ...badConfig.model, classes: 1e7 } }),
      'randwire: model: classes must be at most 100000, got 10000000',
    ],
    [
      'impossible (a 100000x100000x3 input)',
      JSON.stringify({ ...badConfig, model: { ...badConfig.model, inputShape: [100000, 100000, 3] } }),
      'randwire: model: input shape must be at most 1024x1024x4, got 100000x100000x3',
    ],
    [
      'not JSON',
      '{"epochs": 1',
      'randwire: sweep: the trial config on stdin is not JSON (this command is started by `randwire sweep run` and `randwire worker`)',
    ],
  ];
  for (const [what, line, error] of cases) {
    const dir = join(tmp, 'trial', what.replaceAll(/\W+/g, '-'));
    const trial = startCli(['sweep', 'trial', dir]);
    trial.child.stdin!.write(line + '\n');
    // stdin stays open, as a coordinator's does.
    const code = await trial.ended(`the trial process given a config that ${what} did not exit while its stdin was open`, 60_000);
    assert.equal(code, 1, trial.log());
    assert.equal(trial.log().trim().split('\n').at(-1), error, what);
    assert.ok(!/internal error|\n\s+at /.test(trial.log()), trial.log());
    assert.ok(!existsSync(join(dir, SWEEP_FILES.trialLock)), `${what}: the trial folder's lock was released`);
  }
});

test('a sweep whose only trial fails at start is retried, marked failed with its reason, and ends non-zero', { timeout: 200_000 }, async () => {
  const file = join(tmp, 'bad.json');
  writeFileSync(file, JSON.stringify(badSpec));
  const out = join(tmp, 'bad');
  const run = startCli(['sweep', 'run', file, '--out', out, '--retries', '1', '--workers', '1']);
  const code = await run.ended('`randwire sweep run` of a sweep whose only trial fails at start did not end', 150_000);
  const log = run.log();
  assert.equal(code, 1, log);
  const id = planSweep(parseSweepSpec(badSpec, 'bad.json')).trials[0]!.id;
  assert.ok(log.includes(`${id} (tinycnn) failed: ${WRONG_INPUT}; trying again (attempt 2 of 2)`), log);
  assert.ok(log.includes(`${id} (tinycnn) failed: ${WRONG_INPUT}\n`), log);
  assert.match(log, new RegExp(`randwire: sweep: 1 trial failed after its retries \\(${id}\\)`));
  const status = runCli(['sweep', 'status', out]);
  assert.equal(status.status, 0, status.stderr);
  assert.ok(status.stdout.includes(`failed ${id} (tinycnn) after 2 attempts: ${WRONG_INPUT}`), status.stdout);
  assert.match(status.stdout, /^all\s+0\s+0\s+0\s+1\s+0$/m);
  assert.deepEqual(processesMentioning(join(out, SWEEP_FILES.trials)), [], 'no trial process is left');
});
