import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { checkAging, parentPool, tournament, type Member } from '../../src/search/aging-evolution.js';

const members = (n: number): Member[] => Array.from({ length: n }, (_, i) => ({ birth: i, trialId: `t${String(i).padStart(2, '0')}` }));

test('the parent pool is the P most recent members born before the window (aging), by hand', () => {
  const all = members(12);
  const s = { population: 4, sample: 2, window: 1 };
  // Child 8 with W = 1 sees members 0..7; the 4 youngest are 4..7.
  assert.deepEqual(
    parentPool(all, 8, s, () => true)!.map((m) => m.birth),
    [4, 5, 6, 7],
  );
  // With W = 3, child 8 sees members born before 6: 2..5.
  assert.deepEqual(
    parentPool(all, 8, { ...s, window: 3 }, () => true)!.map((m) => m.birth),
    [2, 3, 4, 5],
  );
  // Not decidable while one of them is untrained; other members' training state does not matter.
  assert.equal(
    parentPool(all, 8, s, (m) => m.birth !== 6),
    undefined,
  );
  assert.ok(parentPool(all, 8, { ...s, window: 3 }, (m) => m.birth !== 6));
  // Not decidable while members before the horizon are missing.
  assert.equal(
    parentPool(members(5), 8, s, () => true),
    undefined,
  );
});

test('a tournament samples S distinct members and the best wins; same seed, same winner', () => {
  const pool = members(10);
  const acc = (m: Member): number => m.birth / 10;
  const better = (a: Member, b: Member): number => acc(b) - acc(a);
  const winner = tournament(pool, 3, Rng.fromSeed(5, 2), better);
  assert.equal(tournament(pool, 3, Rng.fromSeed(5, 2), better), winner);
  // With S = P the best member always wins.
  for (let s = 0; s < 20; s++) assert.equal(tournament(pool, 10, Rng.fromSeed(s, 2), better).birth, 9);
  // With S = 1 every member can win, roughly uniformly.
  const wins = new Map<number, number>();
  for (let s = 0; s < 2000; s++) {
    const w = tournament(pool, 1, Rng.fromSeed(1000 + s, 2), better).birth;
    wins.set(w, (wins.get(w) ?? 0) + 1);
  }
  assert.equal(wins.size, 10);
  for (const c of wins.values()) assert.ok(c > 120 && c < 290, `win count ${c} of 2000 (expected 200, 5 sd ~ 67)`);
  // Ties break by trial id.
  assert.equal(tournament(pool, 10, Rng.fromSeed(1, 2), () => 0).trialId, 't00');
});

test('bad settings, all at once', () => {
  assert.deepEqual(checkAging({ population: 4, sample: 5, window: 0 }), ['sample (5) must not exceed population (4)', 'window must be an integer >= 1, got 0']);
  assert.deepEqual(checkAging({ population: 1, sample: 0, window: 1 }), ['population must be an integer >= 2, got 1', 'sample must be an integer >= 1, got 0']);
});
