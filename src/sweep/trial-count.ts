import { RandwireError } from '../core/errors.js';
import { LIMITS, formatCount } from '../core/limits.js';
import { listOf, type CellSpec, type SweepSpec } from './spec.js';

const seedCount = (s: number | number[]): number => (Array.isArray(s) ? s.length : s);

/** Settings of one cell entry, multiplied out as numbers (a grid's product can pass 2^53: a float is enough to compare). */
function settingCount(cell: CellSpec): number {
  if (cell.grid) return Object.values(cell.grid).reduce((n, values) => n * values.length, 1);
  if (cell.list) return cell.list.length;
  if (cell.random) return cell.random.count;
  return 1;
}

/**
 * The trials a sweep plans at most (before budgets drop any), from its counts alone: graph seeds x
 * train seeds x (settings x N x C of each RandWire cell, one per baseline). Nothing is expanded.
 */
export function plannedTrialCount(spec: SweepSpec): number {
  const sizes = listOf(spec.nodes).length * listOf(spec.channels).length;
  const cells = spec.cells.reduce((n, cell) => n + (cell.model === 'randwire' ? settingCount(cell) * sizes : 1), 0);
  return seedCount(spec.graphSeeds) * seedCount(spec.trainSeeds) * cells;
}

/** Refuse a sweep above the trial limit before its cells or seeds are expanded (a million trials took 290 s and 769 MB to plan). */
export function checkTrialCount(spec: SweepSpec, source: string): void {
  const n = plannedTrialCount(spec);
  if (n > LIMITS.sweepTrials) {
    throw new RandwireError(
      'sweep',
      `${source}: ${formatCount(n)} trials (graph seeds x train seeds x cells), more than the ${formatCount(LIMITS.sweepTrials)} a sweep may have; split it into several sweeps`,
    );
  }
}
