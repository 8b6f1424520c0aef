import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bracketEpochs, checkHyperband, hyperbandBrackets } from '../../src/search/hyperband.js';
import { decideRung } from '../../src/search/promotion.js';

test("Hyperband with R = 81, eta = 3 is Li et al.'s Table 1 (values from the paper, by hand)", () => {
  const b = hyperbandBrackets({ eta: 3, minEpochs: 1, maxEpochs: 81 });
  const table = b.map((x) => [x.s, x.rungs.map((r) => [r.trials, r.epochs])]);
  assert.deepEqual(table, [
    [
      4,
      [
        [81, 1],
        [27, 3],
        [9, 9],
        [3, 27],
        [1, 81],
      ],
    ],
    [
      3,
      [
        [34, 3],
        [11, 9],
        [3, 27],
        [1, 81],
      ],
    ],
    [
      2,
      [
        [15, 9],
        [5, 27],
        [1, 81],
      ],
    ],
    [
      1,
      [
        [8, 27],
        [2, 81],
      ],
    ],
    [0, [[5, 81]]],
  ]);
});

test('brackets: 1 is successive halving alone; epochs spent are counted once per epoch trained', () => {
  const [sh] = hyperbandBrackets({ eta: 3, minEpochs: 1, maxEpochs: 9, brackets: 1 });
  assert.deepEqual(sh!.rungs, [
    { trials: 9, epochs: 1 },
    { trials: 3, epochs: 3 },
    { trials: 1, epochs: 9 },
  ]);
  // 9 trials x 1 epoch, 3 continue 2 more, 1 continues 6 more: 9 + 6 + 6.
  assert.equal(bracketEpochs(sh!), 21);
});

test('epochs that are not powers of eta round to whole epochs, top rung always maxEpochs, rungs strictly longer', () => {
  for (const [min, max, eta] of [
    [1, 10, 3],
    [2, 20, 2],
    [3, 7, 2],
    [1, 1, 3],
    [5, 5, 2],
    [1, 100, 4],
  ] as const) {
    for (const b of hyperbandBrackets({ eta, minEpochs: min, maxEpochs: max })) {
      const epochs = b.rungs.map((r) => r.epochs);
      assert.equal(epochs[epochs.length - 1], max, `top rung of ${min}..${max} eta ${eta}`);
      for (let i = 1; i < epochs.length; i++) assert.ok(epochs[i]! > epochs[i - 1]!, `rungs ${epochs.join(',')}`);
      assert.ok(epochs[0]! >= min);
      const trials = b.rungs.map((r) => r.trials);
      for (let i = 1; i < trials.length; i++) assert.ok(trials[i]! <= trials[i - 1]!);
      assert.ok(trials[trials.length - 1]! >= 1);
    }
  }
});

test('bad settings are named all at once', () => {
  assert.deepEqual(checkHyperband({ eta: 1, minEpochs: 0, maxEpochs: 3 }), ['eta must be an integer >= 2, got 1', 'minEpochs must be an integer >= 1, got 0']);
  assert.deepEqual(checkHyperband({ eta: 3, minEpochs: 9, maxEpochs: 3 }), ['minEpochs (9) must not exceed maxEpochs (3)']);
  assert.deepEqual(checkHyperband({ eta: 3, minEpochs: 1, maxEpochs: 9, brackets: 4 }), [
    'brackets must be an integer from 1 to 3 for epochs 1..9 and eta 3, got 4',
  ]);
  assert.throws(() => hyperbandBrackets({ eta: 2.5, minEpochs: 1, maxEpochs: 9 }), /^RandwireError: search: eta must be an integer >= 2, got 2.5$/m);
});

test('a rung keeps the best by validation accuracy; ties by trial id; NaN last; arrival order irrelevant', () => {
  const results = [
    { trialId: 'c', valAccuracy: 0.8 },
    { trialId: 'a', valAccuracy: 0.9 },
    { trialId: 'd', valAccuracy: Number.NaN },
    { trialId: 'b', valAccuracy: 0.8 },
  ];
  const d = decideRung(results, 2);
  assert.deepEqual(d, { promoted: ['a', 'b'], stopped: ['c', 'd'] });
  assert.deepEqual(decideRung([...results].reverse(), 2), d);
  assert.deepEqual(decideRung(results, 0).promoted, []);
  assert.equal(decideRung(results, 9).promoted.length, 4);
});
