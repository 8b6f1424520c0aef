import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { runCli } from '../helpers/cli.js';
import { writeTinyMnist } from '../helpers/tiny-data.js';
import { peekStore } from '../helpers/sweep.js';
import { SWEEP_FILES } from '../../src/io/run-layout.js';
import { dashboardServer } from '../../src/server/serve.js';
import { redisMissing, TestRedis } from '../helpers/redis.js';
import { tempFolder } from '../helpers/folder.js';

// Real processes on real file systems: a tmpfs too small for the sweep, read-only bind mounts.
// Mounts are made in a private mount namespace (unshare -m), so nothing outside the test sees them;
// as root, chmod a-w stops no write, so a read-only mount is the honest way to refuse one.
const BIN = fileURLToPath(new URL('../../bin/randwire.js', import.meta.url));
const tmp = tempFolder('randwire-storage-');
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const data = writeTinyMnist(join(tmp, 'data'), 300, 80);
const EPOCHS = 2;
const specFile = join(tmp, 'storage.json');
writeFileSync(
  specFile,
  JSON.stringify({
    name: 'storage',
    data,
    recipe: { epochs: EPOCHS, batchSize: 32, lr: 0.004, trainLimit: 128, valSize: 32, testLimit: 64 },
    nodes: 6,
    channels: 4,
    graphSeeds: 2,
    trainSeeds: 1,
    cells: [{ generator: 'er', grid: { p: [0.3] } }, { model: 'tinycnn' }],
  }),
);
const TRIALS = 4;

const mountProbe = spawnSync(
  'unshare',
  ['-m', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs ${tmp} && mount -o remount,ro ${tmp}`],
  { encoding: 'utf8' },
);
const noMounts =
  mountProbe.status !== 0 && `mounts are not permitted here (unshare -m; mount): ${(mountProbe.stderr || mountProbe.error?.message || '').trim()}`;

/** Run a shell script in its own mount namespace; `cli NAME ARGS...` runs randwire, keeping NAME.err and NAME.rc. */
function inMountNamespace(script: string, out: string, env: NodeJS.ProcessEnv = {}): (name: string) => { rc: number; stderr: string } {
  mkdirSync(out, { recursive: true });
  const prelude = `set -eu\ncli() { n=$1; shift; rc=0; "${process.execPath}" "${BIN}" "$@" >"${out}/$n.out" 2>"${out}/$n.err" || rc=$?; echo $rc >"${out}/$n.rc"; }\n`;
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', prelude + script], {
    encoding: 'utf8',
    timeout: 280_000,
    env: { ...process.env, ...env },
  });
  assert.equal(r.status, 0, `the mount script failed or timed out: ${r.stderr}${r.error?.message ?? ''}`);
  return (name) => ({ rc: Number(readFileSync(join(out, `${name}.rc`), 'utf8')), stderr: readFileSync(join(out, `${name}.err`), 'utf8') });
}

/** One line for the user, naming the cause: no stack, no "internal error". */
function assertOneLine(r: { rc: number; stderr: string }, pattern: RegExp, rc = 74): void {
  assert.equal(r.rc, rc, r.stderr);
  const lines = r.stderr
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('randwire:'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
}

const finished = join(tmp, 'finished');

test('a finished sweep to damage and mount read-only', { timeout: 200_000 }, () => {
  const r = runCli(['sweep', 'run', specFile, '--out', finished, '--workers', '2'], { timeoutMs: 180_000 });
  assert.equal(r.status, 0, r.stderr);
});

test(
  'junk in the middle of sweep.db: run, report, status and serve say so in one line, write nothing, and the sweep goes on once it is moved aside',
  { timeout: 200_000 },
  async () => {
    const dir = join(tmp, 'damaged');
    cpSync(finished, dir, { recursive: true });
    rmSync(join(dir, SWEEP_FILES.report), { recursive: true });
    const db = join(dir, SWEEP_FILES.db);
    const bytes = readFileSync(db);
    bytes.fill(0xa5, bytes.length / 2, bytes.length / 2 + 2000);
    writeFileSync(db, bytes);
    const damaged = new RegExp(
      `^randwire: sweep: ${db.replace(/[/.]/g, '\\$&')} is damaged \\(.*\\); move it aside .*randwire sweep run ${dir.replace(/[/.]/g, '\\$&')} again`,
    );
    for (const args of [
      ['sweep', 'run', dir],
      ['sweep', 'report', dir],
      ['sweep', 'status', dir],
    ]) {
      const r = runCli(args);
      assertOneLine({ rc: r.status, stderr: r.stderr }, damaged);
    }
    assert.deepEqual(readFileSync(db), bytes, 'nothing was written into the damaged file');
    assert.ok(!existsSync(join(dir, SWEEP_FILES.report)), 'no report from a damaged store');

    const server = dashboardServer(tmp).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/sweep?path=damaged`);
      const body = await res.text();
      assert.equal(res.status, 400, body);
      assert.match(body, /^sweep: damaged\/sweep\.db is damaged \([^\n]*\); move it aside [^\n]*$/);
      assert.ok(!body.includes(tmp), `no absolute path in the answer: ${body}`);
    } finally {
      server.close();
    }

    renameSync(db, `${db}.damaged`);
    const again = runCli(['sweep', 'run', dir, '--workers', '2'], { timeoutMs: 180_000 });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stderr.split('\n').filter((l) => l.includes('(finished earlier; collected)')).length, TRIALS, again.stderr);
    peekStore(db, (s) =>
      assert.deepEqual(
        s.trials().map((t) => t.status),
        Array(TRIALS).fill('done'),
      ),
    );
  },
);

test('a full disk stops the sweep in one line with its trials intact; it finishes once there is room', { timeout: 300_000, skip: noMounts }, () => {
  const mnt = join(tmp, 'small-disk');
  const out = join(tmp, 'full-out');
  mkdirSync(mnt);
  const result = inMountNamespace(
    `
mount -t tmpfs -o size=300k tmpfs "${mnt}"
cli full sweep run "${specFile}" --out "${mnt}/sw" --workers 2
mount -o remount,size=50m "${mnt}"
cli again sweep run "${mnt}/sw" --workers 2
cp -r "${mnt}/sw" "${out}/sw"
`,
    out,
  );
  assertOneLine(result('full'), /the disk is full/);
  const again = result('again');
  assert.equal(again.rc, 0, again.stderr);
  peekStore(join(out, 'sw', SWEEP_FILES.db), (s) => {
    const trials = s.trials();
    assert.deepEqual(
      trials.map((t) => t.status),
      Array(TRIALS).fill('done'),
    );
    for (const t of trials) assert.equal((s.db.prepare('SELECT COUNT(*) AS n FROM epochs WHERE trial_id = ?').get(t.id) as { n: number }).n, EPOCHS, t.id);
  });
});

test(
  'read-only folders: run, report and train say "read-only file system" in one line; the report is written once the folder is writable',
  { timeout: 300_000, skip: noMounts },
  () => {
    const ro = join(tmp, 'read-only');
    const out = join(tmp, 'ro-out');
    cpSync(finished, join(ro, 'sweep'), { recursive: true });
    cpSync(finished, join(ro, 'writable-db'), { recursive: true });
    rmSync(join(ro, 'writable-db', SWEEP_FILES.report), { recursive: true });
    mkdirSync(join(ro, 'writable-db', SWEEP_FILES.report));
    const reportDir = join(ro, 'writable-db', SWEEP_FILES.report);
    const result = inMountNamespace(
      `
mount --bind "${ro}/sweep" "${ro}/sweep" && mount -o remount,ro,bind "${ro}/sweep"
mount --bind "${reportDir}" "${reportDir}" && mount -o remount,ro,bind "${reportDir}"
cli run sweep run "${ro}/sweep"
cli runNew sweep run "${specFile}" --out "${ro}/sweep/new"
cli report sweep report "${ro}/writable-db"
cli train train --model tinycnn --epochs 1 --data "${data}" --train-limit 64 --val-size 32 --test-limit 32 --out "${ro}/sweep/run"
umount "${reportDir}"
cli reportAgain sweep report "${ro}/writable-db"
`,
      out,
    );
    assertOneLine(
      result('run'),
      new RegExp(
        `^randwire: sweep: cannot open ${ro}/sweep/sweep\\.db: read-only file system \\(SQLite writes sweep\\.db-shm beside it even to read it; copy the folder somewhere writable\\)$`,
      ),
    );
    assertOneLine(result('runNew'), new RegExp(`^randwire: io: cannot create ${ro}/sweep/new: read-only file system$`));
    assertOneLine(result('report'), new RegExp(`^randwire: io: cannot write ${reportDir}/table\\.md: read-only file system$`));
    assertOneLine(result('train'), new RegExp(`^randwire: io: cannot write ${ro}/sweep/run/config\\.json: read-only file system$`));
    const again = result('reportAgain');
    assert.equal(again.rc, 0, again.stderr);
    assert.ok(existsSync(join(reportDir, 'table.md')));
  },
);

test(
  'a full disk under a queue coordinator: one line, and run again it collects what the workers trained',
  { timeout: 300_000, skip: noMounts || redisMissing() },
  async () => {
    const redis = await TestRedis.start('pw-storage');
    const env = { RANDWIRE_REDIS_URL: redis.url() };
    const log = openSync(join(tmp, 'worker.log'), 'w');
    // Its output goes to a file: this test's event loop waits in spawnSync meanwhile, and would not drain a pipe.
    const worker = spawn(process.execPath, [BIN, 'worker', '--concurrency', '1', '--work', join(tmp, 'work'), '--data', data], {
      env: { ...process.env, ...env },
      stdio: ['ignore', log, log],
    });
    const mnt = join(tmp, 'queue-disk');
    const out = join(tmp, 'queue-out');
    mkdirSync(mnt);
    try {
      const result = inMountNamespace(
        `
mount -t tmpfs -o size=20m tmpfs "${mnt}"
"${process.execPath}" "${BIN}" sweep run "${specFile}" --out "${mnt}/sw" --queue >"${out}/full.out" 2>"${out}/full.err" & pid=$!
i=0; until grep -q "the rest go to" "${out}/full.err"; do sleep 0.2; i=$((i+1)); [ $i -lt 900 ] || { echo "timed out waiting for the coordinator to enqueue" >&2; exit 3; }; done
dd if=/dev/zero of="${mnt}/filler" bs=64k 2>/dev/null || true
rc=0; wait $pid || rc=$?; echo $rc >"${out}/full.rc"
rm "${mnt}/filler"
cli again sweep run "${mnt}/sw" --queue
cp -r "${mnt}/sw" "${out}/sw"
`,
        out,
        env,
      );
      assertOneLine(result('full'), /sweep\.db: the disk is full/);
      const again = result('again');
      assert.equal(again.rc, 0, again.stderr);
      peekStore(join(out, 'sw', SWEEP_FILES.db), (s) => {
        assert.deepEqual(
          s.trials().map((t) => t.status),
          Array(TRIALS).fill('done'),
        );
        for (const t of s.trials())
          assert.equal((s.db.prepare('SELECT COUNT(*) AS n FROM epochs WHERE trial_id = ?').get(t.id) as { n: number }).n, EPOCHS, t.id);
      });
    } finally {
      worker.kill('SIGKILL');
      closeSync(log);
      await redis.stop();
    }
  },
);
