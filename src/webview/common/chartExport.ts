// The PNG and CSV buttons every chart carries: the picture on the theme's background, and the data
// behind the chart (not what is drawn after decimation); the host saves them where the person picks.
import type { Chart } from 'chart.js';
import { type NamedSeries, seriesCsv } from '../../shared/csv';
import type { WebviewToHost } from '../../shared/webviewProtocol';
import { toCss } from './color';
import { button, h } from './dom';
import { t } from './strings';
import type { Palette } from './theme';

export interface ExportableChart {
  /** The Chart.js chart, once it is drawn. */
  chart(): Chart | null;
  /** x column name and the series behind the chart. */
  data(): { x: string; series: NamedSeries[] };
}

/** The chart's canvas on an opaque background: a transparent PNG is unreadable on the other theme. */
export function chartPng(canvas: HTMLCanvasElement, background: Palette['background']): string {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const ctx = copy.getContext('2d');
  if (!ctx) return canvas.toDataURL('image/png');
  ctx.fillStyle = toCss(background);
  ctx.fillRect(0, 0, copy.width, copy.height);
  ctx.drawImage(canvas, 0, 0);
  return copy.toDataURL('image/png');
}

/** Two small buttons (PNG, CSV) for one chart; `name` is the suggested file name, `what` the chart in words. */
export function exportButtons(
  name: string,
  what: string,
  source: ExportableChart,
  post: (message: WebviewToHost) => void,
  palette: () => Palette,
): HTMLElement {
  const png = button(t('export.png'), t('export.pngAria', what), { class: 'export-png' });
  const csv = button(t('export.csv'), t('export.csvAria', what), { class: 'export-csv' });
  png.addEventListener('click', () => {
    const chart = source.chart();
    if (chart) post({ type: 'exportChart', format: 'png', name, data: chartPng(chart.canvas, palette().background) });
  });
  csv.addEventListener('click', () => {
    const { x, series } = source.data();
    post({ type: 'exportChart', format: 'csv', name, data: seriesCsv(x, series) });
  });
  return h('div', { class: 'chart-export' }, png, csv);
}
