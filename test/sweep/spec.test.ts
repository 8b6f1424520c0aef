import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { parseSweepSpec, planSweep } from '../../src/sweep/plan.js';
import { SWEEP_PRESETS, SWEEP_PRESET_NAMES } from '../../src/sweep/presets.js';
import { DATA_SOURCES } from '../../src/data/sources.js';
import { GENERATORS } from '../../src/graph/generators.js';
import { tempFolder } from '../helpers/folder.js';

const tmp = tempFolder('randwire-sweep-spec-');
const file = (name: string, spec: unknown): string => {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify(spec));
  return p;
};

test('a bad sweep file gives every problem at once, one line each, before anything trains', () => {
  const bad = file('bad.json', {
    name: 'bad',
    recipe: { epochs: 2, learningRate: 0.1 },
    graphSeeds: [1, -2],
    analysis: { damage: 'yes', damageWhat: 'stages' },
    cells: [{ generator: 'xx' }, { generator: 'er', grid: { p: [1.5] } }, { generator: 'ws', grid: { p: [] } }, { generator: 'ba', grid: { q: [1] } }],
  });
  const r = runCli(['sweep', 'run', bad, '--out', join(tmp, 'bad-run')]);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines[0]!, /^randwire: sweep: .*bad\.json has problems:$/);
  // zod's problems come first and all together (here the unknown recipe flag, the negative seed, the empty grid).
  assert.ok(
    lines.some((l) => /recipe: Unrecognized key: "learningRate"/.test(l)),
    r.stderr,
  );
  assert.ok(
    lines.some((l) => /graphSeeds.*>= 0/.test(l)),
    r.stderr,
  );
  assert.ok(
    lines.some((l) => /cells\.2\.grid\.p: an empty grid has no settings/.test(l)),
    r.stderr,
  );
  assert.ok(
    lines.some((l) => /analysis\.damage: .*boolean/.test(l)),
    r.stderr,
  );
  assert.ok(
    lines.some((l) => /analysis\.damageWhat: .*"nodes"\|"edges"\|"both"/.test(l)),
    r.stderr,
  );
  assert.equal(existsSync(join(tmp, 'bad-run')), false, 'nothing was created');
  // With the shape right, the cells are checked against their generators, again all at once.
  const cells = file('cells.json', {
    name: 'cells',
    graphSeeds: 1,
    cells: [{ generator: 'xx' }, { generator: 'er', grid: { p: [1.5] } }, { generator: 'ba', grid: { q: [1] } }],
  });
  const c = runCli(['sweep', 'plan', cells]);
  assert.equal(c.status, 1);
  assert.match(c.stderr, /cells\[0\]\.generator: unknown generator 'xx' \(choose one of er, /);
  assert.match(c.stderr, /cells\[1\] \(p=1\.5, N=32\): p must be a probability in \[0, 1\], got 1\.5/);
  assert.match(c.stderr, /cells\[2\] \(q=1, N=32\): generator 'ba' has no parameter 'q' \(it takes m\)/);
  assert.equal(c.stderr.trim().split('\n').length, 4, c.stderr);
});

test('sweep plan gives the same trial ids every time, and other ids for another recipe', () => {
  const spec = {
    name: 'ids',
    nodes: 8,
    channels: 4,
    graphSeeds: 2,
    trainSeeds: 2,
    recipe: { epochs: 1 },
    cells: [{ generator: 'ws', grid: { k: [2], p: [0, 0.5] } }, { model: 'tinycnn' }],
  };
  const a = runCli(['sweep', 'plan', file('ids.json', spec), '--json']);
  const b = runCli(['sweep', 'plan', file('ids.json', spec), '--json']);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const trials = a.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; cell: string; graphSeed: number; trainSeed: number; sameGraphsAs: string | null });
  assert.equal(trials.length, 3 * 2 * 2);
  assert.equal(new Set(trials.map((t) => t.id)).size, trials.length);
  // Balanced: every cell's k-th trial before any cell's (k+1)-th.
  assert.deepEqual(
    trials.slice(0, 3).map((t) => t.cell),
    ['ws(k=2, p=0)', 'ws(k=2, p=0.5)', 'tinycnn'],
  );
  // WS with p=0 is the ring lattice whatever the seed: flagged as the same graphs; p=0.5 is not.
  const ring = trials.filter((t) => t.cell === 'ws(k=2, p=0)');
  assert.deepEqual(
    ring.map((t) => t.sameGraphsAs !== null),
    [false, false, true, true],
  );
  assert.ok(trials.filter((t) => t.cell === 'ws(k=2, p=0.5)').every((t) => t.sameGraphsAs === null));
  const other = runCli(['sweep', 'plan', file('ids2.json', { ...spec, recipe: { epochs: 2 } }), '--json']);
  const otherIds = new Set(
    other.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id),
  );
  assert.ok(trials.every((t) => !otherIds.has(t.id)));
});

test('a complexity window drops or flags trials; random cells draw reproducibly within their ranges', () => {
  const base = { name: 'budget', nodes: 8, channels: [4, 16], graphSeeds: 1, cells: [{ generator: 'er', random: { count: 4, ranges: { p: [0.1, 0.5] } } }] };
  const all = planSweep(parseSweepSpec(base, 'test'));
  assert.equal(all.trials.length, 8);
  const ps = all.trials.map((t) => t.cell.params.p!);
  assert.ok(
    ps.every((p) => p >= 0.1 && p <= 0.5),
    String(ps),
  );
  assert.deepEqual(
    planSweep(parseSweepSpec(base, 'test')).trials.map((t) => t.id),
    all.trials.map((t) => t.id),
  );
  const limit = Math.min(...all.trials.filter((t) => t.cell.channels === 16).map((t) => t.params)) - 1;
  const dropped = planSweep(parseSweepSpec({ ...base, budget: { maxParams: limit } }, 'test'));
  assert.equal(dropped.trials.length, 4);
  assert.equal(dropped.dropped, 4);
  const flagged = planSweep(parseSweepSpec({ ...base, budget: { maxParams: limit, action: 'flag' } }, 'test'));
  assert.equal(flagged.trials.filter((t) => t.outOfBudget).length, 4);
});

test('every preset is a valid sweep; every generator and every baseline can be a cell', (t) => {
  for (const name of SWEEP_PRESET_NAMES) {
    const spec = SWEEP_PRESETS[name].spec;
    const dir = DATA_SOURCES[spec.data as keyof typeof DATA_SOURCES]?.dir;
    if (dir !== undefined && !existsSync(dir)) {
      // CI installs it and says so: then a missing data set is a failure, not a skip.
      assert.ok(!process.env.RANDWIRE_REQUIRE_FASHION_MNIST, `${dir} is missing although CI installed dataset-fashion-mnist`);
      t.diagnostic(`skipped preset ${name}: ${dir} is missing (apt-get install dataset-fashion-mnist)`);
      continue;
    }
    const plan = planSweep(parseSweepSpec(spec, name));
    assert.ok(plan.trials.length > 0);
    if (name === 'wiring') {
      assert.ok(plan.trials.length >= 250, `${plan.trials.length} trials`);
      assert.deepEqual(new Set(plan.cells.filter((c) => c.model === 'randwire').map((c) => c.family)), new Set(Object.keys(GENERATORS)));
    }
  }
});

/** A sweep folder whose store is not a database. */
function damagedSweep(): string {
  const dir = join(tmp, 'damaged');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ name: 'damaged', graphSeeds: 1, cells: [{ model: 'tinycnn' }] }));
  writeFileSync(join(dir, 'sweep.db'), 'not a database at all');
  return dir;
}

test('sweep and worker mistakes are one-line errors', () => {
  // A damaged store is the disk's fault, not the user's: exit code 74 (EX_IOERR).
  const cases: Array<[string[], RegExp, number?]> = [
    [['sweep', 'status', join(tmp, 'nope')], /is not a sweep folder \(no sweep\.db\); start one with randwire sweep run FILE/],
    [['sweep', 'plan'], /give a sweep file \(JSON\), a sweep folder or --preset NAME/],
    [['sweep', 'status', damagedSweep()], /sweep\.db is damaged \(file is not a database\); move it aside/, 74],
    [['worker', '--queue', 'http://localhost'], /the queue URL must start with redis:\/\/ or rediss:\/\/ \(TLS\)/],
    [
      ['sweep', 'run', file('q.json', { name: 'q', graphSeeds: 1, cells: [{ model: 'tinycnn' }] }), '--queue', join(tmp, 'folder')],
      /is not a queue URL; put the sweep file or folder before --queue/,
    ],
  ];
  for (const [args, message, status = 1] of cases) {
    const r = runCli(args, { env: { RANDWIRE_REDIS_URL: '' } });
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
