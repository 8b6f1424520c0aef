/**
 * The order in which CPython's `set.pop()` hands out small non-negative integers added in the
 * given order (each once): the slot order of CPython's hash table (hash(i) = i; table of 8 that
 * grows to the next power of two above 4 x used when 3/5 full; up to 9 linear probes while they
 * fit, then perturbed probing). NetworkX's powerlaw_cluster_graph pops its targets from such a
 * set, and which target comes first changes the graphs' statistics.
 */
export function pythonSetPopOrder(values: readonly number[]): number[] {
  const PROBES = 9;
  const place = (table: Array<number | undefined>, v: number): void => {
    const mask = table.length - 1;
    let i = v & mask;
    let perturb = v;
    for (;;) {
      const last = i + PROBES <= mask ? i + PROBES : i;
      for (let j = i; j <= last; j++) {
        if (table[j] === undefined) {
          table[j] = v;
          return;
        }
      }
      perturb = Math.floor(perturb / 32);
      i = (i * 5 + 1 + perturb) & mask;
    }
  };
  let table: Array<number | undefined> = new Array(8).fill(undefined);
  let used = 0;
  for (const v of values) {
    place(table, v);
    used++;
    if (used * 5 >= (table.length - 1) * 3) {
      let size = 8;
      while (size <= used * 4) size *= 2;
      const old = table;
      table = new Array(size).fill(undefined);
      for (const x of old) if (x !== undefined) place(table, x);
    }
  }
  return table.filter((x): x is number => x !== undefined);
}
