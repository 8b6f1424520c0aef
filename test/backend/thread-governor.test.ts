import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ThreadGovernor } from '../../src/backend/native/thread-governor.js';

/** Run a governor over steps whose time per image depends on the thread count and the step. */
function simulate(secondsPerImage: (threads: number, step: number) => number, steps: number): number[] {
  const chosen: number[] = [];
  const g = new ThreadGovernor(2, () => {});
  for (let i = 0; i < steps; i++) {
    chosen.push(g.current);
    g.observe(secondsPerImage(g.current, i) * 128, 128);
  }
  return chosen;
}

test('a quiet machine keeps both threads, trying one thread ever more rarely', () => {
  const chosen = simulate((t) => (t === 2 ? 0.0023 : 0.0031), 400);
  const tries = chosen.filter((t) => t === 1).length;
  assert.equal(chosen[0], 2);
  assert.ok(tries <= 14, `${tries} of 400 steps on one thread`);
  assert.ok(chosen.slice(-100).filter((t) => t === 1).length <= 2);
});

test('with a busy core it moves to one thread within a few steps and stays', () => {
  const chosen = simulate((t) => (t === 2 ? 0.02 : 0.0035), 200);
  const first = chosen.indexOf(1);
  assert.ok(first >= 0 && first <= 5, `first switch at step ${first}`);
  assert.ok(chosen.slice(10).filter((t) => t === 2).length <= 10, 'mostly one thread after the switch');
});

test('contention that starts mid-run is noticed at once; when it ends, both threads come back', () => {
  const busy = (s: number) => s >= 100 && s < 300;
  const chosen = simulate((t, s) => (busy(s) ? (t === 2 ? 0.02 : 0.0035) : t === 2 ? 0.0023 : 0.0031), 600);
  assert.equal(chosen.slice(100, 104).filter((t) => t === 1).length >= 2, true, 'noticed within the first steps');
  const oneWhileBusy = chosen.slice(100, 300).filter((t) => t === 1).length;
  assert.ok(oneWhileBusy >= 180, `${oneWhileBusy} of 200 busy steps on one thread`);
  assert.ok(chosen.slice(450).filter((t) => t === 2).length >= 140, 'two threads again after the contention');
});

test('a single thread is never changed', () => {
  const g = new ThreadGovernor(1, () => assert.fail('no change expected'));
  for (let i = 0; i < 50; i++) g.observe(1, 128);
  assert.equal(g.current, 1);
});
