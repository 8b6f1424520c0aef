import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crowdingDistances, dominates, paretoOrder, paretoRanks, type Objective } from '../../src/search/pareto.js';

interface P {
  id: string;
  acc: number;
  madds: number;
}
const objectives: Objective<P>[] = [
  { name: 'accuracy', value: (p) => p.acc, maximize: true },
  { name: 'multiply-adds', value: (p) => p.madds, maximize: false },
];

// Worked by hand: a, b, c trade accuracy for cost (front 0); d is dominated by b only (front 1);
// e by d (and b, c) (front 2); f equals b exactly (neither dominates: front 0 too); g is NaN (last).
const points: P[] = [
  { id: 'a', acc: 0.9, madds: 10 },
  { id: 'b', acc: 0.85, madds: 5 },
  { id: 'c', acc: 0.8, madds: 2 },
  { id: 'd', acc: 0.84, madds: 6 },
  { id: 'e', acc: 0.7, madds: 7 },
  { id: 'f', acc: 0.85, madds: 5 },
  { id: 'g', acc: Number.NaN, madds: 1 },
];

test('dominance: better in one, no worse in any; equal points do not dominate each other', () => {
  assert.ok(dominates(points[1]!, points[3]!, objectives));
  assert.ok(!dominates(points[3]!, points[1]!, objectives));
  assert.ok(!dominates(points[0]!, points[2]!, objectives));
  assert.ok(!dominates(points[1]!, points[5]!, objectives));
});

test('non-dominated ranks equal the hand-computed fronts', () => {
  // g: NaN accuracy counts as worst accuracy but it is the cheapest, so nothing dominates it.
  assert.deepEqual(paretoRanks(points, objectives), [0, 0, 0, 1, 2, 0, 0]);
  assert.deepEqual(paretoRanks(points.slice(0, 5), objectives), [0, 0, 0, 1, 2]);
});

test('crowding distance within a front, by hand', () => {
  const front = points.slice(0, 3); // a, b, c all rank 0
  const d = crowdingDistances(front, objectives, [0, 0, 0]);
  // b: accuracy gap (0.90 - 0.80) / 0.10 = 1; cost gap (10 - 2) / 8 = 1; extremes infinite.
  assert.equal(d[0], Infinity);
  assert.equal(d[2], Infinity);
  assert.ok(Math.abs(d[1]! - 2) < 1e-12, `b's distance ${d[1]}`);
});

test('selection order: rank, then crowding, then id; independent of input order', () => {
  const five = points.slice(0, 5);
  const order = paretoOrder(five, objectives, (p) => p.id).map((i) => five[i]!.id);
  assert.deepEqual(order, ['a', 'c', 'b', 'd', 'e']);
  const reversed = [...five].reverse();
  assert.deepEqual(
    paretoOrder(reversed, objectives, (p) => p.id).map((i) => reversed[i]!.id),
    order,
  );
});
