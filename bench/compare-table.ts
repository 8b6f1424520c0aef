/** One case of bench:compare, both sides, medians over its rounds. */
export interface CompareLine {
  case: string;
  batch: number;
  busyProcesses: number;
  rounds: number;
  train: { randwire: number; pytorch: number; ratio: number };
  infer: { randwire: number; pytorch: number; ratio: number };
  gflops: { randwire: number; pytorch: number; sgemm: number };
}

/**
 * Two decimals at most: a median of two rounds is their mean, and binary floats print that as
 * 202.04000000000002. Measured speeds carry no more precision than this anyway.
 */
export const round2 = (v: number): number => Math.round(v * 100) / 100;

export const COMPARE_TABLE_HEAD = [
  '| case | batch | train img/s randwire | PyTorch | ratio | infer img/s randwire | PyTorch | ratio | training GFLOP/s randwire / PyTorch / sgemm |',
  '|---|---|---|---|---|---|---|---|---|',
];

export function compareTableRow(l: CompareLine): string {
  const r = round2;
  return `| ${l.case} | ${l.batch} | ${r(l.train.randwire)} | ${r(l.train.pytorch)} | ${r(l.train.ratio)} | ${r(l.infer.randwire)} | ${r(l.infer.pytorch)} | ${r(l.infer.ratio)} | ${r(l.gflops.randwire)} / ${r(l.gflops.pytorch)} / ${r(l.gflops.sgemm)} |`;
}
