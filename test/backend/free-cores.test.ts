import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpus, type CpuInfo } from 'node:os';
import { busyCores, cpuTimes, measureBusyCores, threadsForFreeCores } from '../../src/backend/native/free-cores.js';
import { ThreadGovernor } from '../../src/backend/native/thread-governor.js';
import { withContention } from '../../bench/contention.js';

const core = (user: number, idle: number): CpuInfo => ({ model: 'x', speed: 1, times: { user, nice: 0, sys: 0, idle, irq: 0 } });

test("busy cores from two samples of the cores' times (by hand: 150 of 200 ms on two cores = 1.5 cores)", () => {
  const before = cpuTimes([core(1000, 5000), core(2000, 4000)]);
  // Core 0 busy all 100 ms, core 1 busy 50 of 100 ms.
  const after = cpuTimes([core(1100, 5000), core(2050, 4050)]);
  assert.equal(busyCores(before, after), 1.5);
  assert.equal(busyCores(before, before), 0, 'no time passed: nothing is known to be busy');
});

test('threads for the free cores: all when idle, one fewer per busy core, never below one or above the most', () => {
  assert.equal(threadsForFreeCores(2, 2, 0.1), 2);
  assert.equal(threadsForFreeCores(2, 2, 0.6), 1);
  assert.equal(threadsForFreeCores(2, 2, 1.0), 1);
  assert.equal(threadsForFreeCores(2, 2, 2.0), 1);
  assert.equal(threadsForFreeCores(8, 8, 2.2), 6);
  assert.equal(threadsForFreeCores(4, 16, 1), 4, 'RANDWIRE-like caps hold');
  assert.equal(threadsForFreeCores(2, 0, 0), 2, 'no cores listed: nothing known, all kept');
});

test('a governor started on one thread uses it, and its trials still find two threads when they are faster', () => {
  const applied: number[] = [];
  const g = new ThreadGovernor(2, (n) => applied.push(n));
  g.start(1);
  assert.equal(g.current, 1);
  assert.deepEqual(applied, [1]);
  g.start(5);
  assert.equal(g.current, 2, 'clamped to the most');
  g.start(1);
  for (let i = 0; i < 60; i++) g.observe((g.current === 2 ? 0.002 : 0.004) * 128, 128);
  assert.equal(g.current, 2);
});

test('a process that spins on a core is seen as a busy core', { skip: cpus().length < 2 && 'needs two cores' }, async () => {
  // The bench's spinners (--contention): one takes a core; the test runner and other tenants may add to it.
  const busy = await withContention(1, () => measureBusyCores(300));
  assert.ok(busy >= 0.7, `${busy.toFixed(2)} cores busy while a process spins`);
  assert.ok(threadsForFreeCores(cpus().length, cpus().length, busy) <= cpus().length - 1);
});
