// Per-epoch curves: train and validation loss, train and validation accuracy (the book's
// figures 2.x). At most a handful of points, so the data is simply rebuilt on change.
import type { EpochMetrics } from '../../shared/protocol';
import { Chart, applyThemeToChart, themedAxis } from '../common/charts';
import { toCss } from '../common/color';
import type { Palette } from '../common/theme';
import type { XY } from './batchCharts';

export interface EpochSeries {
  train: XY[];
  validation: XY[];
}

/** Train and validation points of one metric, x = epoch number from 1; epochs without validation are skipped. */
export function epochSeries(epochs: readonly EpochMetrics[], metric: 'loss' | 'accuracy'): EpochSeries {
  const validation: XY[] = [];
  for (const e of epochs) {
    const v = metric === 'loss' ? e.valLoss : e.valAccuracy;
    if (v !== null) validation.push({ x: e.epoch, y: v });
  }
  return { train: epochs.map((e) => ({ x: e.epoch, y: e[metric] })), validation };
}

export class EpochChart {
  private chart: Chart<'line', XY[]>;
  private drawn = -1;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly metric: 'loss' | 'accuracy',
    palette: Palette,
  ) {
    const scale = themedAxis(palette);
    const text = toCss(palette.foreground);
    this.chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: `training ${metric}`, data: [], borderWidth: 2, pointRadius: 3 },
          { label: `validation ${metric}`, data: [], borderWidth: 2, pointRadius: 3, borderDash: [5, 3] },
        ],
      },
      options: {
        parsing: false,
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        color: text,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'epoch', color: text }, ...scale, ticks: { ...scale.ticks, stepSize: 1, precision: 0 } },
          y: { type: 'linear', title: { display: true, text: metric, color: text }, ...scale },
        },
        plugins: { legend: { labels: { color: text, boxHeight: 2 } } },
      },
    });
    this.setPalette(palette);
  }

  update(epochs: readonly EpochMetrics[]): void {
    if (epochs.length === this.drawn) return;
    this.drawn = epochs.length;
    const series = epochSeries(epochs, this.metric);
    this.chart.data.datasets[0].data = series.train;
    this.chart.data.datasets[1].data = series.validation;
    this.chart.update('none');
  }

  setPalette(palette: Palette): void {
    const [train, validation] = [palette.series[this.metric === 'loss' ? 0 : 1], palette.series[2]];
    for (const [i, c] of [train, validation].entries()) {
      this.chart.data.datasets[i].borderColor = toCss(c);
      this.chart.data.datasets[i].backgroundColor = toCss(c);
    }
    applyThemeToChart(this.chart as unknown as Chart, palette);
    this.chart.update('none');
  }
}
