import { api, watchFolder, type SweepView } from '../api.js';
import { drawVega } from '../charts/vega.js';
import { duration, errorBox, h, num, pct, plural, section, si } from '../dom.js';
import { computeSpec, ecdfSpec, scatterSpec, stripSpec } from '../../../src/report/sweep-figures.js';
import { GRAPH_STAT_KEYS, GRAPH_STAT_LABELS, type GraphStatKey } from '../../../src/sweep/graph-stat-columns.js';
import { TRIAL_STATUS_ORDER, progressBar } from './progress.js';
import { trialTable } from './trial-table.js';
import { searchPanel } from './search.js';

/** Redraws come at most this often while a sweep runs, however fast its files change. */
const REDRAW_MS = 2000;

function header(v: SweepView): HTMLElement {
  const t = v.progress.total;
  const all = TRIAL_STATUS_ORDER.reduce((a, s) => a + t[s], 0);
  return h(
    'div',
    {},
    h('p', { class: 'muted' }, v.spec.description ?? ''),
    progressBar(t, all, true),
    h(
      'p',
      { id: 'sweep-counts' },
      `${t.done} of ${plural(all, 'trial')} done`,
      t.running ? `, ${t.running} running` : '',
      t.failed ? `, ${t.failed} failed` : '',
      t.stopped ? `, ${t.stopped} stopped by halving` : '',
      v.progress.trialsPerHour ? ` · ${num(v.progress.trialsPerHour, 1)} trials/h` : '',
      v.progress.etaSeconds ? ` · about ${duration(v.progress.etaSeconds)} left` : '',
    ),
  );
}

function cellTable(v: SweepView): HTMLElement {
  const progress = new Map(v.progress.cells.map((c) => [c.cell, c.counts]));
  const rows = new Map(v.cells.map((r) => [r.cell, r]));
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'grid', id: 'cells' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            'cell',
            'progress',
            'graphs',
            'accuracy (mean ± std over graphs)',
            '95 % CI',
            'min / median / max',
            'training-seed std',
            'parameters',
            'multiply-adds',
          ].map((c) => h('th', {}, c)),
        ),
      ),
      h(
        'tbody',
        {},
        v.results.cells.map((cell) => {
          const r = rows.get(cell);
          const counts = progress.get(cell) ?? { queued: 0, running: 0, done: 0, failed: 0, stopped: 0 };
          const a = r?.accuracy;
          return h(
            'tr',
            { class: r?.reference ? 'reference' : '' },
            h('td', {}, cell),
            h(
              'td',
              {},
              progressBar(
                counts,
                TRIAL_STATUS_ORDER.reduce((x, s) => x + counts[s], 0),
                false,
              ),
            ),
            h('td', { class: 'n' }, a ? a.n : 0),
            h('td', { class: 'n' }, a?.mean != null ? `${pct(a.mean)} ± ${a.std != null ? (a.std * 100).toFixed(2) : '–'}` : '–'),
            h('td', { class: 'n' }, a?.ci95 ? `${pct(a.ci95[0])} – ${pct(a.ci95[1])}` : '–'),
            h('td', { class: 'n' }, a?.mean != null ? `${pct(a.min)} / ${pct(a.median)} / ${pct(a.max)}` : '–'),
            h('td', { class: 'n' }, r?.trainSeedStd != null ? `${(r.trainSeedStd * 100).toFixed(2)}` : '–'),
            h('td', { class: 'n' }, r ? si(r.params) : '–'),
            h('td', { class: 'n' }, r ? si(r.multiplyAdds) : '–'),
          );
        }),
      ),
    ),
  );
}

/** A sweep: progress, the cells' statistics, the report's figures and every trial, kept current while it runs. */
export async function sweepView(root: HTMLElement, params: URLSearchParams): Promise<() => void> {
  const path = params.get('path') ?? '';
  let v = await api.sweep(path);
  let statistic: GraphStatKey = 'averageShortestPath';
  const top = h('div');
  const cells = h('div');
  const strip = h('div', { class: 'chart', id: 'strip' });
  const ecdf = h('div', { class: 'chart', id: 'ecdf' });
  const scatter = h('div', { class: 'chart', id: 'scatter' });
  const compute = h('div', { class: 'chart', id: 'compute' });
  const table = trialTable();
  const search = searchPanel();
  const picker = h(
    'select',
    {
      'aria-label': 'graph statistic',
      id: 'statistic',
      onchange: (e: Event) => {
        statistic = (e.target as HTMLSelectElement).value as GraphStatKey;
        void drawVega(scatter, scatterSpec(v.results, statistic, `Test accuracy against ${GRAPH_STAT_LABELS[statistic]}`));
      },
    },
    GRAPH_STAT_KEYS.map((k) => h('option', { value: k, selected: k === statistic }, GRAPH_STAT_LABELS[k])),
  );

  // The figures show finished trials only: a heartbeat or a new epoch of a running trial
  // (which also wake the page) must not redraw four Vega views.
  let drawnFinished = -1;
  const draw = async (): Promise<void> => {
    top.replaceChildren(header(v));
    cells.replaceChildren(cellTable(v));
    table.update(v.trials);
    // Rung results move the search's figures before any trial finishes.
    await search.update(v.search, v.spec.name);
    const none = v.results.trials.length === 0;
    root.querySelector('#no-results')?.toggleAttribute('hidden', !none);
    if (none || v.results.trials.length === drawnFinished) return;
    drawnFinished = v.results.trials.length;
    await Promise.all([
      drawVega(strip, stripSpec(v.results, v.cells, 'Test accuracy per cell')),
      drawVega(ecdf, ecdfSpec(v.results, 'Empirical CDF per random family')),
      drawVega(scatter, scatterSpec(v.results, statistic, `Test accuracy against ${GRAPH_STAT_LABELS[statistic]}`)),
      drawVega(compute, computeSpec(v.results, 'Test accuracy against compute')),
    ]);
  };
  root.append(
    h('h1', {}, `Sweep ${v.spec.name}`),
    top,
    section('Cells', cells),
    h('p', { id: 'no-results', class: 'muted', hidden: true }, 'No trial has finished yet; the figures appear as they do.'),
    h('div', { class: 'two' }, section('Distributions', strip), section('Families', ecdf)),
    h(
      'div',
      { class: 'two' },
      section('Accuracy and graph statistics', h('div', { class: 'toolbar' }, h('label', {}, 'statistic ', picker)), scatter),
      section('Accuracy and compute', compute),
    ),
    search.el,
    section('Trials', table.el),
  );
  await draw();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  const refresh = (): void => {
    timer = undefined;
    last = Date.now();
    api.sweep(path).then(
      async (next) => {
        v = next;
        await draw();
      },
      (e: Error) => root.prepend(errorBox(e.message)),
    );
  };
  const stop = watchFolder(path, () => {
    if (timer === undefined) timer = setTimeout(refresh, Math.max(0, last + REDRAW_MS - Date.now()));
  });
  return () => {
    stop();
    if (timer !== undefined) clearTimeout(timer);
  };
}
