import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { runCliWatching } from '../helpers/cli-process.js';
import { tempFolder } from '../helpers/folder.js';

// The helpers that run the CLI are what stand between a hung or killed command and a test that
// passes by mistake: a command cut off at a timeout may still exit 0 once its pipes close.
const tmp = tempFolder('randwire-test-helpers-');
const root = fileURLToPath(new URL('../..', import.meta.url));

test('a command that outlives its timeout fails the test, naming the command, in all three helpers', async () => {
  assert.throws(() => runCli(['info'], { timeoutMs: 1 }), /^Error: randwire info timed out: still running after 0.001 s and killed/);
  await assert.rejects(runCliAsync(['info'], { timeoutMs: 1 }), /^Error: randwire info timed out/);
  await assert.rejects(
    runCliWatching(['info'], () => {}, {}, 1),
    /^Error: randwire info timed out/,
  );
});

test('a command killed by a signal it did not ask for is a failure, not an exit status', () => {
  const suicide = join(tmp, 'kill-self.cjs');
  writeFileSync(suicide, "process.kill(process.pid, 'SIGKILL');\n");
  assert.throws(() => runCli(['info'], { env: { NODE_OPTIONS: `--require ${suicide}` } }), /^Error: randwire info was killed by SIGKILL/);
});

test('a signal the test sends itself is reported to the test; a command that ends by itself is not a failure', async () => {
  const hold = join(tmp, 'hold.cjs');
  writeFileSync(hold, "process.stderr.write('holding\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600000);\n");
  const exit = await runCliWatching(
    ['info'],
    (line, child) => {
      if (line === 'holding') child.kill('SIGKILL');
    },
    { NODE_OPTIONS: `--require ${hold}` },
  );
  assert.equal(exit.signal, 'SIGKILL');
  const failed = runCli(['graph', 'nope']);
  assert.equal(failed.status, 2, failed.stderr);
  assert.match(failed.stderr, /unknown command 'nope'/);
});

test('tempFolder removes its folders when the test process exits', () => {
  const script = `import { tempFolder } from ${JSON.stringify(join(root, 'test/helpers/folder.ts'))}; const d = tempFolder('randwire-helper-check-'); console.log(d);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: root, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const made = r.stdout.trim();
  assert.match(made, /randwire-helper-check-/);
  assert.equal(existsSync(made), false, `${made} was left behind`);
});

test('no test makes a temporary folder except through tempFolder', () => {
  const makesTempFolder = new RegExp(['mkd', 'temp'].join(''));
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
  const offenders = files(join(root, 'test')).filter((f) => !f.endsWith(join('helpers', 'folder.ts')) && makesTempFolder.test(readFileSync(f, 'utf8')));
  assert.deepEqual(
    offenders.map((f) => relative(root, f)),
    [],
  );
});
