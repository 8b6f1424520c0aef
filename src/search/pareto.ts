/** An objective of a Pareto search: which value of a point, and whether more is better. */
export interface Objective<T> {
  name: string;
  value: (point: T) => number;
  maximize: boolean;
}

/** True when a is at least as good as b in every objective and better in one. */
export function dominates<T>(a: T, b: T, objectives: readonly Objective<T>[]): boolean {
  let better = false;
  for (const o of objectives) {
    const av = signed(o, a);
    const bv = signed(o, b);
    if (av < bv) return false;
    if (av > bv) better = true;
  }
  return better;
}

/** An objective's value turned so that larger is better; NaN (a diverged trial) is worst. */
function signed<T>(o: Objective<T>, p: T): number {
  const v = o.value(p);
  if (Number.isNaN(v)) return -Infinity;
  return o.maximize ? v : -v;
}

/**
 * Non-dominated sorting (Deb et al. 2002, NSGA-II): the rank of every point, 0 for the Pareto
 * front, 1 for the front of what is left, and so on. O(objectives * n^2), which is plenty for
 * the hundreds of trials a sweep holds.
 */
export function paretoRanks<T>(points: readonly T[], objectives: readonly Objective<T>[]): number[] {
  const n = points.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominatesList = Array.from({ length: n }, () => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i]!, points[j]!, objectives)) {
        dominatesList[i]!.push(j);
        dominatedBy[j]!++;
      } else if (dominates(points[j]!, points[i]!, objectives)) {
        dominatesList[j]!.push(i);
        dominatedBy[i]!++;
      }
    }
  }
  const rank = new Array<number>(n).fill(-1);
  let front = dominatedBy.flatMap((d, i) => (d === 0 ? [i] : []));
  for (let r = 0; front.length > 0; r++) {
    const next: number[] = [];
    for (const i of front) {
      rank[i] = r;
      for (const j of dominatesList[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    }
    front = next;
  }
  return rank;
}

/**
 * NSGA-II's crowding distance of each point within its own front: the sum over objectives of
 * the gap between its neighbours, normalised by the front's range; the extremes get Infinity,
 * so they are always kept.
 */
export function crowdingDistances<T>(points: readonly T[], objectives: readonly Objective<T>[], ranks: readonly number[]): number[] {
  const distance = new Array<number>(points.length).fill(0);
  const fronts = new Map<number, number[]>();
  ranks.forEach((r, i) => fronts.set(r, [...(fronts.get(r) ?? []), i]));
  for (const members of fronts.values()) {
    for (const o of objectives) {
      const sorted = [...members].sort((a, b) => signed(o, points[a]!) - signed(o, points[b]!) || a - b);
      const lo = signed(o, points[sorted[0]!]!);
      const hi = signed(o, points[sorted[sorted.length - 1]!]!);
      distance[sorted[0]!] = Infinity;
      distance[sorted[sorted.length - 1]!] = Infinity;
      const range = hi - lo;
      if (!(range > 0) || !Number.isFinite(range)) continue;
      for (let k = 1; k < sorted.length - 1; k++) {
        const gap = signed(o, points[sorted[k + 1]!]!) - signed(o, points[sorted[k - 1]!]!);
        distance[sorted[k]!]! += gap / range;
      }
    }
  }
  return distance;
}

/**
 * Points ordered best first for selection: by Pareto rank, then by crowding distance (more
 * isolated first), then by `tieBreak` (a trial id), so the order never depends on arrival order.
 */
export function paretoOrder<T>(points: readonly T[], objectives: readonly Objective<T>[], tieBreak: (p: T) => string): number[] {
  const ranks = paretoRanks(points, objectives);
  const crowd = crowdingDistances(points, objectives, ranks);
  return points
    .map((_, i) => i)
    .sort((a, b) => {
      if (ranks[a] !== ranks[b]) return ranks[a]! - ranks[b]!;
      if (crowd[a] !== crowd[b]) return crowd[b]! > crowd[a]! ? 1 : -1;
      const ta = tieBreak(points[a]!);
      const tb = tieBreak(points[b]!);
      return ta < tb ? -1 : ta > tb ? 1 : 0;
    });
}
