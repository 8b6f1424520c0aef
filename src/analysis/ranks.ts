/** Average ranks (1-based, ties share the mean of their positions) and the size of each tie group. */
export interface Ranking {
  ranks: number[];
  /** One entry per distinct value, in ascending value order; entries > 1 are ties. */
  tieCounts: number[];
}

/** scipy.stats.rankdata(values, method='average'), plus the tie groups Mann-Whitney corrects for. */
export function ranks(values: number[]): Ranking {
  const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const result = new Array<number>(values.length);
  const tieCounts: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    // Positions start+1 .. end share their mean, (start + 1 + end) / 2, which is exact in halves.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) result[order[k]!] = rank;
    tieCounts.push(end - start);
    start = end;
  }
  return { ranks: result, tieCounts };
}
