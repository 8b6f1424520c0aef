import './style.css';
import { errorBox, h } from './dom.js';

/** A view draws itself into `root` and returns a function that stops its timers and streams. */
export type View = (root: HTMLElement, params: URLSearchParams) => Promise<(() => void) | void>;

/** The pages, by the first part of the hash (#/sweep?path=...); each is loaded when first opened. */
const ROUTES: Record<string, () => Promise<View>> = {
  '': async () => (await import('./views/home.js')).homeView,
  sweep: async () => (await import('./views/sweep.js')).sweepView,
  run: async () => (await import('./views/run.js')).runView,
  results: async () => (await import('./views/results.js')).resultsView,
  graphs: async () => (await import('./views/explorer.js')).explorerView,
  play: async () => (await import('./views/playground.js')).playgroundView,
};

let stop: (() => void) | void;
let generation = 0;

async function route(): Promise<void> {
  const [name = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const app = document.getElementById('app')!;
  stop?.();
  stop = undefined;
  const mine = ++generation;
  app.replaceChildren(h('p', { class: 'muted' }, 'loading…'));
  document.body.dataset.view = name || 'home';
  document.body.dataset.ready = 'false';
  const load = ROUTES[name];
  if (!load) {
    app.replaceChildren(errorBox(`no page '${name}'`), h('a', { href: '#/' }, 'back to the folders'));
    return;
  }
  try {
    const view = await load();
    const root = h('div', { class: 'view' });
    const cleanup = await view(root, new URLSearchParams(query));
    if (mine !== generation) {
      cleanup?.();
      return;
    }
    stop = cleanup;
    app.replaceChildren(root);
  } catch (e) {
    if (mine === generation) app.replaceChildren(errorBox((e as Error).message), h('a', { href: '#/' }, 'back to the folders'));
  }
  // Tests and screenshots wait for this.
  if (mine === generation) document.body.dataset.ready = 'true';
}

window.addEventListener('hashchange', () => void route());
void route();
