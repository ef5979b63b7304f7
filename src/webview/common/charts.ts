// Chart.js, tree-shaken to what the panels draw (lines and bars on linear/category/log axes), with
// the theme's colours and no animation: live updates push points and call update('none').
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartOptions,
  Decimation,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { toCss, withAlpha } from './color';
import { t } from './strings';
import type { Palette } from './theme';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  CategoryScale,
  BarController,
  BarElement,
  Decimation,
  Legend,
  Tooltip,
);

export { Chart };

/** Grid and tick colours of the current theme, spread into each axis of a chart. */
export function themedAxis(palette: Palette): { grid: { color: string }; ticks: { color: string } } {
  return { grid: { color: withAlpha(palette.grid, 0.35) }, ticks: { color: toCss(palette.muted) } };
}

/** The axes of a per-epoch line chart: whole epochs along x, `yTitle` up y, in the theme's colours. */
export function epochAxes(palette: Palette, yTitle: string) {
  const scale = themedAxis(palette);
  const text = toCss(palette.foreground);
  return {
    x: {
      type: 'linear' as const,
      title: { display: true, text: t('chart.epoch'), color: text },
      ...scale,
      ticks: { ...scale.ticks, stepSize: 1, precision: 0 },
    },
    y: { type: 'linear' as const, title: { display: true, text: yTitle, color: text }, ...scale },
  };
}

/** What every line chart of the panels shares: {x, y} points as given (no parsing), no animation,
 *  the container's size, and the theme's text colour; `scales` are the chart's own. */
export function lineChartOptions(palette: Palette, scales: ChartOptions<'line'>['scales']) {
  return {
    parsing: false,
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    color: toCss(palette.foreground),
    scales,
  } as const satisfies ChartOptions<'line'>;
}

/** A legend's click handler: hides or shows series `index` of the chart, once there is one (until
 *  then the legend's own `hidden` flags are what the chart is made with). */
export function toggleSeries<Data>(chart: () => Chart<'line', Data> | null): (index: number, hidden: boolean) => void {
  return (index, hidden) => {
    const made = chart();
    if (!made) return;
    made.setDatasetVisibility(index, !hidden);
    made.update('none');
  };
}

/** Re-colours axes and legend of an existing chart for a new palette (datasets are the caller's). */
export function applyThemeToChart(chart: Chart, palette: Palette): void {
  const options = chart.options as ChartOptions;
  for (const scale of Object.values(options.scales ?? {})) {
    if (!scale) continue;
    const themed = themedAxis(palette);
    // Assigned key by key: spreading Chart.js' resolved options (proxies) copies its symbol keys,
    // which its scriptable resolver then fails on (`startsWith is not a function`).
    const axis = scale as { grid?: Record<string, unknown>; ticks?: Record<string, unknown> };
    if (axis.grid) axis.grid.color = themed.grid.color;
    else axis.grid = { ...themed.grid };
    if (axis.ticks) axis.ticks.color = themed.ticks.color;
    else axis.ticks = { ...themed.ticks };
    const title = (scale as { title?: { color?: string } }).title;
    if (title) title.color = toCss(palette.foreground);
  }
  const labels = options.plugins?.legend?.labels;
  if (labels) labels.color = toCss(palette.foreground);
  chart.options.color = toCss(palette.foreground);
}
