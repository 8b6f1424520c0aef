import type { TopLevelSpec } from 'vega-lite';
import type { AnytimePoint } from './anytime.js';
import type { LineageRow, ParetoRow } from './search-tables.js';

/** The search's figures as Vega-Lite specs, in the style of sweep-figures.ts; pure, so the dashboard draws the same ones. */

const BASE = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: { font: 'DejaVu Sans', background: 'white' } };
const pctAxis = { format: '.1%' };

export interface AnytimeCurve {
  label: string;
  points: AnytimePoint[];
}

/** Best validation accuracy found so far, against epochs trained and against training time: one line per sweep. */
export function anytimeSpec(curves: AnytimeCurve[], title: string): TopLevelSpec {
  const values = curves.flatMap((c) =>
    c.points
      .filter((p) => p.bestValAccuracy !== null)
      .map((p) => ({ sweep: c.label, epochs: p.cumulativeEpochs, minutes: p.cumulativeSeconds / 60, best: p.bestValAccuracy })),
  );
  const panel = (field: 'epochs' | 'minutes', axisTitle: string) => ({
    width: 380,
    height: 260,
    mark: { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 2, point: { size: 14 } },
    encoding: {
      x: { field, type: 'quantitative' as const, title: axisTitle },
      y: { field: 'best', type: 'quantitative' as const, title: 'best validation accuracy so far', scale: { zero: false }, axis: pctAxis },
      color: { field: 'sweep', type: 'nominal' as const, title: 'sweep (strategy)', scale: { scheme: 'category10' }, legend: { labelLimit: 400 } },
    },
  });
  return {
    ...BASE,
    title: { text: title, fontSize: 15, subtitle: 'every trained epoch counts, those of trials stopped early too; time is summed over workers' },
    data: { values },
    hconcat: [panel('epochs', 'epochs trained (cumulative)'), panel('minutes', 'training time (minutes, cumulative)')],
  } as TopLevelSpec;
}

/** Validation accuracy against multiply-adds and against parameters: every finished trial, the non-dominated ones marked and joined. */
export function paretoSpec(rows: ParetoRow[], title: string): TopLevelSpec {
  const panel = (cost: 'multiplyAdds' | 'params', rank: 'rankFlops' | 'rankParams', axisTitle: string) => {
    const values = rows.map((r) => ({
      trial: r.trialId,
      cell: r.cell,
      accuracy: r.valAccuracy,
      cost: r[cost] / 1e6,
      front: r[rank] === 0 ? 'non-dominated' : 'dominated',
    }));
    const x = { field: 'cost', type: 'quantitative' as const, title: axisTitle, scale: { zero: false } };
    const y = { field: 'accuracy', type: 'quantitative' as const, title: 'validation accuracy', scale: { zero: false }, axis: pctAxis };
    return {
      width: 380,
      height: 280,
      data: { values },
      layer: [
        {
          transform: [{ filter: "datum.front === 'non-dominated'" }],
          mark: { type: 'line', interpolate: 'step-before', color: '#d62728', strokeWidth: 1.5 },
          encoding: { x, y, order: { field: 'cost', type: 'quantitative' } },
        },
        {
          mark: { type: 'point', filled: true, size: 40 },
          encoding: {
            x,
            y,
            color: { field: 'front', type: 'nominal', title: null, scale: { domain: ['non-dominated', 'dominated'], range: ['#d62728', '#9aa5b8'] } },
            opacity: { condition: { test: "datum.front === 'non-dominated'", value: 1 }, value: 0.55 },
            tooltip: [{ field: 'trial' }, { field: 'cell' }, { field: 'accuracy', format: '.2%' }, { field: 'cost', title: axisTitle, format: '.3f' }],
          },
        },
      ],
    };
  };
  return {
    ...BASE,
    title: { text: title, fontSize: 15, subtitle: 'every finished trial; red: the Pareto front (no other trial is as accurate for less)' },
    hconcat: [panel('multiplyAdds', 'rankFlops', 'multiply-adds per image (millions)'), panel('params', 'rankParams', 'parameters (millions)')],
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

/**
 * Evolution's lineage: each child at its birth and validation accuracy, joined to its parent
 * (the initial population at birth 0), coloured by generation.
 */
export function lineageSpec(rows: LineageRow[], title: string): TopLevelSpec {
  const birthOf = new Map(rows.map((r) => [r.trialId, r.birth]));
  const shown = rows.filter((r) => r.valAccuracy !== null);
  const children = shown.map((r) => ({ trial: r.trialId, birth: r.birth, generation: r.generation, accuracy: r.valAccuracy, mutations: r.mutations }));
  const links = shown
    .filter((r) => r.parentValAccuracy !== null)
    .map((r) => ({
      birth: r.birth,
      accuracy: r.valAccuracy,
      parentBirth: r.parentId ? (birthOf.get(r.parentId) ?? 0) : 0,
      parentAccuracy: r.parentValAccuracy,
    }));
  const founders = links.filter((l) => l.parentBirth === 0).map((l) => ({ birth: 0, accuracy: l.parentAccuracy }));
  const x = { field: 'birth', type: 'quantitative' as const, title: 'birth (children bred so far)', axis: { tickMinStep: 1, format: 'd' } };
  const y = { field: 'accuracy', type: 'quantitative' as const, title: 'validation accuracy', scale: { zero: false }, axis: pctAxis };
  return {
    ...BASE,
    title: { text: title, fontSize: 15, subtitle: 'a line from each child to its parent; birth 0: the initial population' },
    width: 620,
    height: 300,
    layer: [
      {
        data: { values: links },
        mark: { type: 'rule', color: '#b8c0cc', strokeWidth: 1 },
        encoding: {
          x: { field: 'parentBirth', type: 'quantitative', title: x.title },
          y: { field: 'parentAccuracy', type: 'quantitative', title: y.title, scale: y.scale, axis: y.axis },
          x2: { field: 'birth' },
          y2: { field: 'accuracy' },
        },
      },
      { data: { values: founders }, mark: { type: 'point', filled: true, size: 44, color: '#9aa5b8' }, encoding: { x, y } },
      {
        data: { values: children },
        mark: { type: 'point', filled: true, size: 44 },
        encoding: {
          x,
          y,
          color: { field: 'generation', type: 'ordinal', scale: { scheme: 'viridis' } },
          tooltip: [{ field: 'trial' }, { field: 'generation' }, { field: 'mutations' }, { field: 'accuracy', format: '.2%' }],
        },
      },
    ],
  } as TopLevelSpec;
}
