import { api, fileUrl, watchFolder, type RunView } from '../api.js';
import { curves, type Series } from '../charts/curves.js';
import { duration, errorBox, facts, h, num, pct, section, si } from '../dom.js';
import { stageGraphs } from '../graph-view.js';
import type { RandomGraph } from '../../../src/browser.js';
import { link } from './home.js';

type Metrics = RunView['metrics'];

function seriesOf(m: Metrics): { epochs: number[]; series: Series[] } {
  return {
    epochs: m.map((e) => e.epoch),
    series: [
      { label: 'train loss', values: m.map((e) => e.trainLoss), color: '#4c78d8', axis: 'loss' },
      { label: 'validation loss', values: m.map((e) => e.valLoss), color: '#4c78d8', axis: 'loss', dash: [6, 4] },
      { label: 'train accuracy', values: m.map((e) => e.trainAccuracy), color: '#e0453a', axis: 'accuracy' },
      { label: 'validation accuracy', values: m.map((e) => e.valAccuracy), color: '#e0453a', axis: 'accuracy', dash: [6, 4] },
    ],
  };
}

function status(v: RunView): HTMLElement {
  const epochs = (v.config as { epochs: number }).epochs;
  if (v.summary) return h('span', { class: 'badge done' }, `finished: test accuracy ${pct(v.summary.testAccuracy)}`);
  return h('span', { class: 'badge running' }, `training: epoch ${v.metrics.length} of ${epochs} done`);
}

function summaryFacts(v: RunView): HTMLElement {
  const s = v.summary;
  if (!s) return h('p', { class: 'muted' }, 'No summary yet: the run is training or was stopped.');
  return facts([
    ['test accuracy', pct(s.testAccuracy)],
    ['test loss', num(s.testLoss, 4)],
    ['test images', num(s.testImages)],
    ['validation accuracy', pct(s.validationAccuracy)],
    ['parameters', si(s.params)],
    ['multiply-adds / image', si(s.flops)],
    ['epochs', s.epochs],
    ['training time', duration(s.seconds)],
    ['images / s', num(s.trainImagesPerSec, 0)],
    ['backend', s.backend],
    ['input normalisation', `mean ${num(s.normalization.mean, 4)}, std ${num(s.normalization.std, 4)}`],
    ['finished', s.finishedAt],
  ]);
}

/** A run: live learning curves, config, summary and the stage graphs. */
export async function runView(root: HTMLElement, params: URLSearchParams): Promise<() => void> {
  const path = params.get('path') ?? '';
  let v = await api.run(path);
  const title = h('h1', {}, `Run ${path || '(served folder)'}`);
  const badge = h('span', {}, status(v));
  const chart = h('div', { class: 'chart', id: 'curves' });
  const summary = h('div', {}, summaryFacts(v));
  const { epochs, series } = seriesOf(v.metrics);
  root.append(
    ...[
      title,
      h('p', {}, badge, v.model ? [' ', h('a', { href: link('play', path), class: 'button' }, 'try the model')] : null),
      section(
        'Learning curves',
        v.metrics.length ? null : h('p', { class: 'muted', id: 'no-epochs' }, 'No epoch finished yet; the curves appear as they do.'),
        chart,
      ),
      section('Summary', summary),
      v.graphs.length ? section('Stage graphs', stageGraphs(v.graphs as RandomGraph[])) : null,
      v.damage.length
        ? section(
            'Graph damage (randwire damage)',
            h('p', { class: 'muted' }, 'Accuracy lost when each node or edge is removed from the trained model: grey nothing, red the most.'),
            h(
              'div',
              { class: 'figures' },
              v.damage.map((f) => h('img', { src: fileUrl(f), alt: f })),
            ),
          )
        : null,
      section(
        'Config',
        h(
          'pre',
          { class: 'config' },
          JSON.stringify({ ...(v.config as object), model: { ...(v.config as { model: object }).model, graphs: undefined } }, null, 2),
        ),
      ),
    ].filter((x): x is HTMLElement => x !== null),
  );
  const update = curves(chart, epochs, series, Math.min(900, Math.max(480, window.innerWidth - 120)));
  const stop = watchFolder(path, () => {
    api.run(path).then(
      (next) => {
        v = next;
        const s = seriesOf(v.metrics);
        update(s.epochs, s.series);
        root.querySelector('#no-epochs')?.remove();
        badge.replaceChildren(status(v));
        summary.replaceChildren(summaryFacts(v));
      },
      (e: Error) => root.prepend(errorBox(e.message)),
    );
  });
  return stop;
}
