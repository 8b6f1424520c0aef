import { api } from '../api.js';
import { h, section } from '../dom.js';

const KIND_TEXT = { sweep: 'sweep', results: 'reproduce results', run: 'training run' } as const;

export const link = (kind: 'sweep' | 'results' | 'run' | 'play', path: string): string => `#/${kind}?path=${encodeURIComponent(path)}`;

/** The folders this server shows: sweeps, `reproduce` results and runs. */
export async function homeView(root: HTMLElement): Promise<void> {
  const { root: name, items } = await api.index();
  if (items.length === 1) {
    // One folder served: go straight to it.
    location.replace(link(items[0]!.kind, items[0]!.path));
    return;
  }
  root.append(
    h('h1', {}, name),
    section(
      'Folders',
      h(
        'ul',
        { class: 'items' },
        items.map((it) => h('li', {}, h('span', { class: `badge ${it.kind}` }, KIND_TEXT[it.kind]), ' ', h('a', { href: link(it.kind, it.path) }, it.name))),
      ),
    ),
    section(
      'Graphs',
      h('p', {}, h('a', { href: '#/graphs' }, 'Open the graph explorer'), ': every generator, its parameters and a seed, drawn and measured in the page.'),
    ),
  );
}
