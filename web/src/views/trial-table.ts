import type { SweepView } from '../api.js';
import { GRAPH_STAT_LABELS, type GraphStatKey } from '../../../src/sweep/graph-stat-columns.js';
import { duration, h, num, pct, plural, si } from '../dom.js';
import { link } from './home.js';

type Trial = SweepView['trials'][number];

interface Column {
  title: string;
  value: (t: Trial) => string | number | null;
  show: (t: Trial) => Node | string;
  numeric?: boolean;
}

const stat = (k: GraphStatKey): Column => ({
  title: GRAPH_STAT_LABELS[k],
  value: (t) => t.graph?.[k] ?? null,
  show: (t) => num(t.graph?.[k] ?? null),
  numeric: true,
});

/** The table's columns, declared once: header, sort key and cell. */
const COLUMNS: Column[] = [
  { title: 'cell', value: (t) => t.cell, show: (t) => t.cell },
  { title: 'graph seed', value: (t) => t.graphSeed, show: (t) => String(t.graphSeed), numeric: true },
  { title: 'training seed', value: (t) => t.trainSeed, show: (t) => String(t.trainSeed), numeric: true },
  { title: 'status', value: (t) => t.status, show: (t) => h('span', { class: `badge ${t.status}`, title: t.error ?? '' }, t.status) },
  { title: 'test accuracy', value: (t) => t.testAccuracy, show: (t) => pct(t.testAccuracy), numeric: true },
  { title: 'validation', value: (t) => t.valAccuracy, show: (t) => pct(t.valAccuracy), numeric: true },
  { title: 'parameters', value: (t) => t.params, show: (t) => si(t.params), numeric: true },
  { title: 'multiply-adds', value: (t) => t.multiplyAdds, show: (t) => si(t.multiplyAdds), numeric: true },
  stat('clustering'),
  stat('averageShortestPath'),
  { title: 'time', value: (t) => t.seconds, show: (t) => duration(t.seconds), numeric: true },
];

const PAGE = 100;

/**
 * Every trial of the sweep: click a header to sort (again to reverse), type to filter by cell,
 * family or status, 100 rows a page so that thousands of trials stay quick.
 */
export function trialTable(): { el: HTMLElement; update: (trials: Trial[]) => void } {
  let trials: Trial[] = [];
  let sortBy = 4;
  let descending = true;
  let filter = '';
  let page = 0;
  const body = h('tbody');
  const info = h('span', { class: 'muted' });
  const pager = h('span', { class: 'pager' });
  const head = h('tr');
  const render = (): void => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = trials.filter((t) => words.every((w) => `${t.cell} ${t.family} ${t.status}`.toLowerCase().includes(w)));
    const col = COLUMNS[sortBy]!;
    shown.sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      // Missing values go last whichever the direction.
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return descending ? -c : c;
    });
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    body.replaceChildren(
      ...shown.slice(page * PAGE, (page + 1) * PAGE).map((t) =>
        h(
          'tr',
          { 'data-id': t.id },
          COLUMNS.map((c, i) => h('td', { class: c.numeric ? 'n' : '' }, i === 0 ? h('a', { href: link('run', t.path) }, c.show(t)) : c.show(t))),
        ),
      ),
    );
    head.replaceChildren(
      ...COLUMNS.map((c, i) =>
        h(
          'th',
          {
            class: i === sortBy ? (descending ? 'sorted down' : 'sorted up') : '',
            'aria-sort': i === sortBy ? (descending ? 'descending' : 'ascending') : undefined,
            onclick: () => {
              descending = i === sortBy ? !descending : !!c.numeric;
              sortBy = i;
              render();
            },
          },
          c.title,
        ),
      ),
    );
    info.textContent = `${shown.length} of ${plural(trials.length, 'trial')}`;
    pager.replaceChildren(
      h('button', { disabled: page === 0, onclick: () => ((page -= 1), render()) }, '‹'),
      ` page ${page + 1} of ${pages} `,
      h('button', { disabled: page >= pages - 1, onclick: () => ((page += 1), render()) }, '›'),
    );
  };
  const input = h('input', {
    type: 'search',
    placeholder: 'filter: cell, family or status',
    'aria-label': 'filter trials',
    oninput: (e: Event) => {
      filter = (e.target as HTMLInputElement).value;
      page = 0;
      render();
    },
  });
  const el = h(
    'div',
    {},
    h('div', { class: 'toolbar' }, input, info, pager),
    h('div', { class: 'scroll' }, h('table', { class: 'grid', id: 'trials' }, h('thead', {}, head), body)),
  );
  return { el, update: (t) => ((trials = t), render()) };
}
