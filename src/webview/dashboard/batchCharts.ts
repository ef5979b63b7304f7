// The live batch charts (loss, accuracy): one raw and one smoothed series each, one point per
// BatchPoint. New points are appended to the existing data and drawn with update('none'); the
// series are rebuilt only when a new run starts or the smoothing changes.
import type { BatchPoint } from '../../shared/protocol';
import { Chart, applyThemeToChart, themedAxis } from '../common/charts';
import { withAlpha, toCss } from '../common/color';
import type { Palette } from '../common/theme';
import { EmaSmoother } from './smoothing';

export interface XY {
  x: number;
  y: number;
}

type Metric = 'loss' | 'accuracy';

/** Raw and smoothed points of one metric, kept in step with the state's batch list. */
export class MetricSeries {
  readonly raw: XY[] = [];
  readonly smoothed: XY[] = [];
  private ema: EmaSmoother;

  constructor(
    readonly metric: Metric,
    smoothing: number,
  ) {
    this.ema = new EmaSmoother(smoothing);
  }

  /** Appends the points not yet in the series; false when the batches no longer extend it (new run). */
  sync(batches: readonly BatchPoint[]): boolean {
    if (batches.length < this.raw.length) return false;
    for (let i = this.raw.length; i < batches.length; i++) {
      const p = batches[i];
      const y = p[this.metric];
      this.raw.push({ x: p.step, y });
      this.smoothed.push({ x: p.step, y: this.ema.push(y) });
    }
    return true;
  }
}

export class BatchChart {
  private series: MetricSeries;
  private chart: Chart<'line', XY[]>;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly container: HTMLElement,
    private readonly metric: Metric,
    private smoothing: number,
    palette: Palette,
  ) {
    this.series = new MetricSeries(metric, smoothing);
    const color = palette.series[metric === 'loss' ? 0 : 1];
    const scale = themedAxis(palette);
    const text = toCss(palette.foreground);
    this.chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: `${metric} (raw)`, data: this.series.raw, borderColor: withAlpha(color, 0.3), borderWidth: 1, pointRadius: 0, spanGaps: true },
          { label: `${metric} (smoothed)`, data: this.series.smoothed, borderColor: toCss(color), borderWidth: 2, pointRadius: 0, spanGaps: true },
        ],
      },
      options: {
        parsing: false,
        normalized: true,
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        color: text,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'batch', color: text }, ...scale },
          y: { type: 'linear', title: { display: true, text: metric, color: text }, ...scale, ...(metric === 'accuracy' ? { min: 0, max: 1 } : { min: 0 }) },
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'min-max' },
          legend: { labels: { color: text, boxHeight: 2 } },
        },
      },
    });
  }

  /** Brings the chart up to date with the state's batches; cheap when only appending. */
  update(batches: readonly BatchPoint[]): void {
    const drawn = this.series.raw.length;
    if (batches.length === drawn && drawn > 0) return; // other events: nothing new to draw
    if (!this.series.sync(batches)) this.rebuild(batches);
    this.container.dataset.points = String(this.series.raw.length);
    this.chart.update('none');
  }

  setSmoothing(weight: number, batches: readonly BatchPoint[]): void {
    this.smoothing = weight;
    this.rebuild(batches);
    this.chart.update('none');
  }

  setPalette(palette: Palette): void {
    const color = palette.series[this.metric === 'loss' ? 0 : 1];
    this.chart.data.datasets[0].borderColor = withAlpha(color, 0.3);
    this.chart.data.datasets[1].borderColor = toCss(color);
    applyThemeToChart(this.chart as unknown as Chart, palette);
    this.chart.update('none');
  }

  private rebuild(batches: readonly BatchPoint[]): void {
    this.series = new MetricSeries(this.metric, this.smoothing);
    this.series.sync(batches);
    this.chart.data.datasets[0].data = this.series.raw;
    this.chart.data.datasets[1].data = this.series.smoothed;
    this.container.dataset.points = String(this.series.raw.length);
  }
}
