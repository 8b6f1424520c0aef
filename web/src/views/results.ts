import { api, fileUrl } from '../api.js';
import { h, num, pct, section, si } from '../dom.js';
import { link } from './home.js';

interface TableRow {
  id: string;
  label: string;
  testAccuracy: number | null;
  validationAccuracy?: number | null;
  params?: number;
  flops?: number;
  epochs?: number;
  studyAccuracy?: number | null;
}

/** A `reproduce` results folder: the table against the study's numbers, and a link to each run. */
export async function resultsView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const path = params.get('path') ?? '';
  const v = await api.results(path);
  const table = v.table as { title?: string; rows?: TableRow[] } | null;
  const runs = new Map(v.runs.map((r) => [r.id, r]));
  const rows: TableRow[] =
    table?.rows ??
    v.runs.map((r) => ({
      id: r.id,
      label: r.id,
      testAccuracy: r.summary?.testAccuracy ?? null,
      params: r.summary?.params,
      epochs: r.summary?.epochs ?? r.epochs,
    }));
  root.append(
    h('h1', {}, table?.title ?? `Results ${path}`),
    section(
      'Models',
      h(
        'table',
        { class: 'grid', id: 'results-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['model', 'test accuracy', 'study', 'validation', 'parameters', 'multiply-adds', 'epochs', ''].map((c) => h('th', {}, c)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) => {
            const run = runs.get(r.id);
            return h(
              'tr',
              {},
              h('td', {}, run ? h('a', { href: link('run', run.path) }, r.label) : r.label),
              h('td', { class: 'n' }, pct(r.testAccuracy)),
              h('td', { class: 'n' }, pct(r.studyAccuracy)),
              h('td', { class: 'n' }, pct(r.validationAccuracy)),
              h('td', { class: 'n' }, r.params ? si(r.params) : '–'),
              h('td', { class: 'n' }, r.flops ? si(r.flops) : '–'),
              h('td', { class: 'n' }, num(r.epochs)),
              h('td', {}, run?.hasModel ? h('a', { href: link('play', run.path) }, 'try it') : ''),
            );
          }),
        ),
      ),
      h('p', { class: 'muted' }, '"study": the accuracy the original study reported for the same model.'),
    ),
    section(
      'Curves',
      h(
        'div',
        { class: 'figures' },
        ['curves-randwire.svg', 'curves-classic.svg'].map((f) =>
          h('img', { src: fileUrl(`${path ? `${path}/` : ''}${f}`), alt: f, onerror: (e: Event) => (e.target as HTMLElement).remove() }),
        ),
      ),
    ),
  );
}
