/**
 * Non-dominated ranks for two objectives (maximise `value`, minimise `cost`) in O(n log n): the
 * same ranks as search/pareto.ts's `paretoRanks` (tested against it), whose O(n^2) pairwise
 * sort took seconds for the 2,000 trials a dashboard refresh may hold. Jensen (2003): points in
 * order of cost (then value, best first) go to the first front none of whose members dominates
 * them; the fronts that dominate a point are always a prefix, so that front is found by bisection.
 */
export function twoObjectiveRanks(points: ReadonlyArray<{ value: number; cost: number }>): number[] {
  // As pareto.ts: NaN is the worst value; a NaN cost is the worst cost.
  const v = points.map((p) => (Number.isNaN(p.value) ? -Infinity : p.value));
  const c = points.map((p) => (Number.isNaN(p.cost) ? Infinity : p.cost));
  const order = points.map((_, i) => i).sort((a, b) => c[a]! - c[b]! || v[b]! - v[a]! || a - b);
  // Per front, its member of the highest value so far (later members have no lower cost, so a
  // member that joins has a higher value, or repeats the last one exactly).
  const bestValue: number[] = [];
  const bestCost: number[] = [];
  const rank = new Array<number>(points.length).fill(0);
  const dominatedBy = (front: number, i: number): boolean => bestValue[front]! > v[i]! || (bestValue[front] === v[i] && bestCost[front]! < c[i]!);
  for (const i of order) {
    let lo = 0;
    let hi = bestValue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dominatedBy(mid, i)) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
    bestValue[lo] = v[i]!;
    bestCost[lo] = c[i]!;
  }
  return rank;
}
