import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import type { EpochMetrics } from '../train/state.js';

export interface Curve {
  label: string;
  metrics: EpochMetrics[];
}

/**
 * Training curves in the style of the study's Figures 8 and 9: accuracy and loss per epoch,
 * one colour per model, solid for training and dashed for validation.
 */
export function curvesSpec(curves: Curve[], title: string): TopLevelSpec {
  const values: Array<Record<string, unknown>> = [];
  for (const c of curves) {
    for (const m of c.metrics) {
      values.push({ model: c.label, epoch: m.epoch, split: 'train', metric: 'accuracy', value: m.trainAccuracy });
      values.push({ model: c.label, epoch: m.epoch, split: 'train', metric: 'loss', value: m.trainLoss });
      if (m.valAccuracy !== null) values.push({ model: c.label, epoch: m.epoch, split: 'validation', metric: 'accuracy', value: m.valAccuracy });
      if (m.valLoss !== null) values.push({ model: c.label, epoch: m.epoch, split: 'validation', metric: 'loss', value: m.valLoss });
    }
  }
  const panel = (metric: string) => ({
    title: metric === 'accuracy' ? 'Accuracy' : 'Loss (cross-entropy)',
    width: 360,
    height: 260,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    mark: { type: 'line' as const, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative' as const, title: metric, scale: metric === 'loss' ? { type: 'log' as const } : { zero: false } },
      color: { field: 'model', type: 'nominal' as const, title: 'model', legend: { labelLimit: 400 } },
      strokeDash: {
        field: 'split',
        type: 'nominal' as const,
        title: 'split',
        legend: { symbolType: 'stroke', symbolStrokeWidth: 2 },
        scale: {
          domain: ['train', 'validation'],
          range: [
            [1, 0],
            [6, 4],
          ],
        },
      },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, fontSize: 15 },
    data: { values },
    hconcat: [panel('accuracy'), panel('loss')],
    config: { font: 'DejaVu Sans', background: 'white' },
  } as TopLevelSpec;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export function svgToPng(svg: string, width = 1400): Uint8Array {
  const r = new Resvg(svg, { background: 'white', fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return r.render().asPng();
}
