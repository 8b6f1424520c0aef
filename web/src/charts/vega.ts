import type { TopLevelSpec } from 'vega-lite';

/** Draw a Vega-Lite spec (the report's own figure specs) into `el`, as SVG, without the action menu. */
export async function drawVega(el: HTMLElement, spec: TopLevelSpec): Promise<void> {
  const { default: embed } = await import('vega-embed');
  const result = await embed(el, spec, { renderer: 'svg', actions: false });
  // Each redraw replaces the last; its listeners and timers go with it.
  (el as HTMLElement & { vegaFinalize?: () => void }).vegaFinalize?.();
  (el as HTMLElement & { vegaFinalize?: () => void }).vegaFinalize = () => result.finalize();
}
