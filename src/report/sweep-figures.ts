import type { TopLevelSpec } from 'vega-lite';
import type { SweepResults } from '../sweep/collect.js';
import { GRAPH_STAT_LABELS, type GraphStatKey } from '../sweep/graph-stat-columns.js';
import type { CellRow } from './sweep-stats.js';

const BASE = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: { font: 'DejaVu Sans', background: 'white' } };
const pctAxis = { format: '.1%' };
/** Twenty distinct colours: the families (up to 11 generators and the baselines) never share one. */
const FAMILY_COLOR = { field: 'family', type: 'nominal' as const, title: 'family', scale: { scheme: 'tableau20' } };

/** A fixed jitter per trial (from its id), so the figure is the same every time it is drawn. */
const jitter = (id: string): number => (parseInt(id.slice(0, 6), 16) / 0xffffff - 0.5) * 0.6;

/** Xie et al. Fig. 3 style: every trial as a dot, per cell, with the mean and +/- one std. */
export function stripSpec(results: SweepResults, rows: CellRow[], title: string): TopLevelSpec {
  const order = rows.map((r) => r.cell);
  const dots = results.trials.map((t) => ({ cell: t.cell, family: t.family, accuracy: t.testAccuracy, jitter: jitter(t.id) }));
  const means = rows.map((r) => ({
    cell: r.cell,
    family: r.family,
    mean: r.accuracy.mean,
    low: r.accuracy.mean! - (r.accuracy.std ?? 0),
    high: r.accuracy.mean! + (r.accuracy.std ?? 0),
  }));
  const x = { field: 'cell', type: 'nominal' as const, sort: order, title: null, axis: { labelAngle: -50, labelLimit: 260 } };
  return {
    ...BASE,
    title: { text: title, fontSize: 15, subtitle: 'dots: trials (graph seed x training seed); bar: mean +/- std over graphs' },
    width: Math.max(420, 28 * order.length),
    height: 320,
    layer: [
      {
        data: { values: dots },
        mark: { type: 'point', filled: true, size: 30, opacity: 0.55 },
        encoding: {
          x,
          xOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-1, 1] } },
          y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false }, axis: pctAxis },
          color: FAMILY_COLOR,
        },
      },
      {
        data: { values: means },
        mark: { type: 'rule', strokeWidth: 2, color: 'black' },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
      },
      { data: { values: means }, mark: { type: 'tick', thickness: 3, size: 18, color: 'black' }, encoding: { x, y: { field: 'mean', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/**
 * Empirical CDF of test accuracy per random family: a family to the right is better over all its
 * graphs. Families whose graph never changes with the seed (chain, cycle, complete) and baselines
 * are left out: they have no graph distribution, and their spread would squeeze the axis.
 */
export function ecdfSpec(results: SweepResults, title: string): TopLevelSpec {
  const graphsOf = new Map<string, Set<string>>();
  for (const t of results.trials) graphsOf.set(t.family, (graphsOf.get(t.family) ?? new Set()).add(t.graphHashes));
  const random = results.trials.filter((t) => t.model === 'randwire' && graphsOf.get(t.family)!.size > 1);
  return {
    ...BASE,
    title: { text: title, fontSize: 15, subtitle: 'random-graph families; one step per trial' },
    width: 520,
    height: 320,
    data: { values: random.map((t) => ({ family: t.family, accuracy: t.testAccuracy })) },
    transform: [{ window: [{ op: 'cume_dist', as: 'fraction' }], sort: [{ field: 'accuracy' }], groupby: ['family'] }],
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
    encoding: {
      x: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false }, axis: pctAxis },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of trials with accuracy <= x' },
      color: FAMILY_COLOR,
    },
  } as TopLevelSpec;
}

/** Test accuracy against a graph statistic (mean over stages), one dot per RandWire trial. */
export function scatterSpec(results: SweepResults, statistic: GraphStatKey, title: string): TopLevelSpec {
  const label = `${GRAPH_STAT_LABELS[statistic]} (mean over stages)`;
  return {
    ...BASE,
    title: { text: title, fontSize: 15 },
    width: 480,
    height: 320,
    data: {
      values: results.trials
        .filter((t) => t.graph[statistic] !== null)
        .map((t) => ({ family: t.family, cell: t.cell, accuracy: t.testAccuracy, x: t.graph[statistic] })),
    },
    mark: { type: 'point', filled: true, size: 36, opacity: 0.7 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: label, scale: { zero: false } },
      y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false }, axis: pctAxis },
      color: FAMILY_COLOR,
      shape: { field: 'family', type: 'nominal', title: 'family' },
    },
  } as TopLevelSpec;
}

/** Test accuracy against multiply-adds per image, one dot per trial: is a family better only by being bigger? */
export function computeSpec(results: SweepResults, title: string): TopLevelSpec {
  return {
    ...BASE,
    title: { text: title, fontSize: 15 },
    width: 480,
    height: 320,
    data: { values: results.trials.map((t) => ({ family: t.family, accuracy: t.testAccuracy, madds: t.multiplyAdds / 1e6 })) },
    mark: { type: 'point', filled: true, size: 36, opacity: 0.7 },
    encoding: {
      x: { field: 'madds', type: 'quantitative', title: 'multiply-adds per image (millions)', scale: { zero: false } },
      y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false }, axis: pctAxis },
      color: FAMILY_COLOR,
      shape: { field: 'family', type: 'nominal', title: 'family' },
    },
  } as TopLevelSpec;
}

/** Validation accuracy per epoch, the mean over each cell's trials: one panel per family, a line per cell. */
export function learningCurvesSpec(results: SweepResults, title: string): TopLevelSpec {
  const values = results.trials.flatMap((t) =>
    t.history.filter((e) => e.val_accuracy !== null).map((e) => ({ cell: t.cell, family: t.family, epoch: e.epoch, accuracy: e.val_accuracy })),
  );
  return {
    ...BASE,
    title: { text: title, fontSize: 15, subtitle: "mean validation accuracy of each cell's trials, per family" },
    data: { values },
    facet: { field: 'family', type: 'nominal', title: null },
    columns: 4,
    spec: {
      width: 220,
      height: 150,
      mark: { type: 'line', point: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' } },
        y: { aggregate: 'mean', field: 'accuracy', type: 'quantitative', title: 'validation accuracy', scale: { zero: false }, axis: pctAxis },
        color: {
          field: 'cell',
          type: 'nominal',
          scale: { scheme: 'category10' },
          legend: { orient: 'bottom', direction: 'vertical', title: null, labelLimit: 260 },
        },
      },
    },
    resolve: { scale: { color: 'independent', y: 'independent' }, legend: { color: 'independent' } },
  } as TopLevelSpec;
}
