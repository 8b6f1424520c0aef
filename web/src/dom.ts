import { formatDuration } from '../../src/core/format.js';

export { plural } from '../../src/core/format.js';

/** A tiny element builder: h('div', { class: 'x' }, 'text', child). Strings become text nodes, never HTML. */
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

export const pct = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)} %`);
export const num = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined ? '–' : Number.isInteger(x) ? x.toLocaleString('en') : x.toFixed(digits);
export const si = (x: number): string =>
  x >= 1e9 ? `${(x / 1e9).toFixed(2)} G` : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : String(x);

export const duration = (seconds: number | null | undefined): string => (seconds === null || seconds === undefined ? '–' : formatDuration(seconds, { s: 1 }));

/** A titled section of a page. */
export function section(title: string, ...children: Array<Child | Child[]>): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

/** A definition list of key -> value pairs. */
export function facts(pairs: Array<[string, Child]>): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
}

export function errorBox(message: string): HTMLElement {
  return h('div', { class: 'error', role: 'alert' }, message);
}
