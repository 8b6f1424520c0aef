import type { ResultsView, RunView, SweepView } from '../../src/server/api.js';
import type { FolderItem } from '../../src/server/folders.js';

export type { ResultsView, RunView, SweepView, FolderItem };

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

const q = (path: string): string => `?path=${encodeURIComponent(path)}`;

export const api = {
  index: () => getJson<{ root: string; items: FolderItem[] }>('/api/index'),
  run: (path: string) => getJson<RunView>(`/api/run${q(path)}`),
  results: (path: string) => getJson<ResultsView>(`/api/results${q(path)}`),
  sweep: (path: string) => getJson<SweepView>(`/api/sweep${q(path)}`),
};

/** The URL of a file under the served folder. */
export const fileUrl = (path: string): string => `/files/${path.split('/').map(encodeURIComponent).join('/')}`;

const live = (): HTMLElement | null => document.getElementById('live');

/**
 * Call `onChange` whenever the folder's files change (server-sent events); returns a function that
 * stops listening. The header's dot says whether updates are arriving.
 */
export function watchFolder(path: string, onChange: () => void): () => void {
  const source = new EventSource(`/api/events${q(path)}`);
  source.addEventListener('ready', () => live()?.classList.add('on'));
  source.addEventListener('change', onChange);
  source.onerror = () => live()?.classList.remove('on');
  return () => {
    source.close();
    live()?.classList.remove('on');
  };
}
