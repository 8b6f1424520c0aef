import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: Array<number | null>;
  color: string;
  /** Left axis (loss) or right axis (accuracy, shown in %). */
  axis: 'loss' | 'accuracy';
  dash?: number[];
}

/**
 * Learning curves (loss left, accuracy right) against epochs, drawn with uPlot: cheap to redraw
 * on every new epoch. Returns an update function for new data of the same series.
 */
export function curves(el: HTMLElement, epochs: number[], series: Series[], width = 720): (epochs: number[], series: Series[]) => void {
  const opts: uPlot.Options = {
    width,
    height: 300,
    scales: { x: { time: false }, loss: { auto: true }, accuracy: { auto: true } },
    axes: [
      { label: 'epoch', incrs: [1, 2, 5, 10, 20, 50] },
      { scale: 'loss', label: 'loss' },
      { scale: 'accuracy', side: 1, label: 'accuracy', size: 70, values: (_u, vals) => vals.map((v) => `${(v * 100).toFixed(1)} %`), grid: { show: false } },
    ],
    series: [
      { label: 'epoch' },
      ...series.map((s) => ({
        label: s.label,
        scale: s.axis,
        stroke: s.color,
        width: 2,
        dash: s.dash,
        points: { show: true, size: 5 },
        value: (_u: uPlot, v: number | null) => (v === null ? '–' : s.axis === 'accuracy' ? `${(v * 100).toFixed(2)} %` : v.toFixed(4)),
      })),
    ],
  };
  const data = (e: number[], ss: Series[]): uPlot.AlignedData => [e, ...ss.map((s) => s.values)] as uPlot.AlignedData;
  const plot = new uPlot(opts, data(epochs, series), el);
  el.dataset.points = String(epochs.length);
  return (e, ss) => {
    plot.setData(data(e, ss));
    el.dataset.points = String(e.length);
  };
}
