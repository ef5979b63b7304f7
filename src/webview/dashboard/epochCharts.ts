// Per-epoch curves: train and validation loss, train and validation accuracy (the book's
// figures 2.x). At most a handful of points, so the data is simply rebuilt on change.
import type { EpochMetrics } from '../../shared/protocol';
import { Chart, applyThemeToChart, epochAxes, lineChartOptions, toggleSeries } from '../common/charts';
import type { ExportableChart } from '../common/chartExport';
import { toCss } from '../common/color';
import type { Palette } from '../common/theme';
import type { XY } from './batchCharts';
import { ChartLegend, LEGEND_HEIGHT, PLUGIN_OFF } from './legend';
import { t } from '../common/strings';

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

/** One metric's per-epoch chart, made on the first update that may draw (its section on screen). */
export class EpochChart {
  private chart: Chart<'line', XY[]> | null = null;
  private source: readonly EpochMetrics[] | null = null;
  private drawn = -1;
  private stale = true;
  private readonly legend: ChartLegend;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    container: HTMLElement,
    private readonly metric: 'loss' | 'accuracy',
    private palette: Palette,
  ) {
    this.legend = new ChartLegend(
      container,
      [
        { label: t('chart.training', t(`chart.${metric}`)) },
        { label: t('chart.validation', t(`chart.${metric}`)), dashed: true },
      ],
      toggleSeries(() => this.chart),
    );
    this.legend.setColors(this.colors());
  }

  update(epochs: readonly EpochMetrics[], draw: boolean): void {
    if (epochs !== this.source || epochs.length !== this.drawn) {
      this.source = epochs;
      this.drawn = epochs.length;
      this.stale = true;
    }
    if (!draw || !this.stale) return;
    this.stale = false;
    const series = epochSeries(epochs, this.metric);
    if (!this.chart) {
      this.chart = this.create(series);
      return;
    }
    this.chart.data.datasets[0].data = series.train;
    this.chart.data.datasets[1].data = series.validation;
    this.chart.update('none');
  }

  /** The chart and the epochs' points behind it, for the PNG and CSV buttons. */
  exportable(): ExportableChart {
    return {
      chart: () => this.chart as unknown as Chart | null,
      data: () => {
        const series = epochSeries(this.source ?? [], this.metric);
        return {
          x: 'epoch',
          series: [
            { name: `training ${this.metric}`, points: series.train },
            { name: `validation ${this.metric}`, points: series.validation },
          ],
        };
      },
    };
  }

  /** New theme colours: the chart follows on the next update. */
  setPalette(palette: Palette): void {
    this.palette = palette;
    this.stale = true;
    const colors = this.colors();
    this.legend.setColors(colors);
    if (!this.chart) return;
    for (const [i, c] of colors.entries()) {
      this.chart.data.datasets[i].borderColor = c;
      this.chart.data.datasets[i].backgroundColor = c;
    }
    applyThemeToChart(this.chart as unknown as Chart, palette);
  }

  /** Training, validation. */
  private colors(): [string, string] {
    return [toCss(this.palette.series[this.metric === 'loss' ? 0 : 1]), toCss(this.palette.series[2])];
  }

  private create(series: EpochSeries): Chart<'line', XY[]> {
    const { metric, palette } = this;
    const [train, validation] = this.colors();
    return new Chart(this.canvas, {
      type: 'line',
      data: {
        datasets: [
          {
            label: t('chart.training', t(`chart.${metric}`)),
            data: series.train,
            borderWidth: 2,
            pointRadius: 3,
            borderColor: train,
            backgroundColor: train,
            hidden: this.legend.hidden[0],
          },
          {
            label: t('chart.validation', t(`chart.${metric}`)),
            data: series.validation,
            borderWidth: 2,
            pointRadius: 3,
            borderDash: [5, 3],
            borderColor: validation,
            backgroundColor: validation,
            hidden: this.legend.hidden[1],
          },
        ],
      },
      options: {
        ...lineChartOptions(palette, epochAxes(palette, t(`chart.${metric}`))),
        layout: { padding: { top: LEGEND_HEIGHT } },
        plugins: { legend: PLUGIN_OFF },
      },
    });
  }
}
