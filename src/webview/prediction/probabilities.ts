// The ten class probabilities as a bar chart, the model's answer highlighted.
import type { Prediction } from '../../shared/protocol';
import { Chart, applyThemeToChart, themedAxis } from '../common/charts';
import { toCss, withAlpha } from '../common/color';
import type { Palette } from '../common/theme';
import { t } from '../common/strings';
import type { ExportableChart } from '../common/chartExport';
import type { NamedSeries } from '../../shared/csv';

export const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Bar colours: the predicted digit in full colour, the others faint. */
export function barColors(prediction: Pick<Prediction, 'digit'>, palette: Palette): string[] {
  return DIGITS.map((_, d) => (d === prediction.digit ? toCss(palette.series[1]) : withAlpha(palette.series[0], 0.6)));
}

/** The data behind the chart, for its CSV: one row per digit. */
export function probabilitySeries(prediction: Pick<Prediction, 'probabilities'>): NamedSeries[] {
  return [{ name: t('chart.probability'), points: DIGITS.map((_, d) => ({ x: d, y: prediction.probabilities[d] })) }];
}

export class ProbabilityChart {
  private readonly chart: Chart<'bar', number[], string>;
  private prediction: Prediction | null = null;

  constructor(canvas: HTMLCanvasElement, palette: Palette) {
    const axis = themedAxis(palette);
    this.chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: DIGITS, datasets: [{ label: t('chart.probability'), data: new Array<number>(10).fill(0) }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        // Room above the bars for the PNG/CSV buttons in the chart's corner.
        layout: { padding: { top: 32 } },
        scales: {
          x: {
            type: 'category',
            title: { display: true, text: t('chart.digit'), color: toCss(palette.foreground) },
            ...axis,
          },
          y: {
            type: 'linear',
            min: 0,
            max: 1,
            title: { display: true, text: t('chart.probability'), color: toCss(palette.foreground) },
            ...axis,
          },
        },
        plugins: { legend: { display: false } },
      },
    });
  }

  show(prediction: Prediction, palette: Palette): void {
    this.prediction = prediction;
    this.chart.data.datasets[0].data = prediction.probabilities.slice(0, 10);
    this.chart.data.datasets[0].backgroundColor = barColors(prediction, palette);
    applyThemeToChart(this.chart as unknown as Chart, palette);
    this.chart.update('none');
  }

  setPalette(palette: Palette): void {
    if (this.prediction) this.show(this.prediction, palette);
  }

  exportable(): ExportableChart {
    return {
      chart: () => (this.prediction ? (this.chart as unknown as Chart) : null),
      data: () => ({ x: t('chart.digit'), series: this.prediction ? probabilitySeries(this.prediction) : [] }),
    };
  }
}
