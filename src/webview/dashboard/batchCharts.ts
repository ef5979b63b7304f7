// The live batch charts (loss, accuracy): one raw and one smoothed series each, one point per
// BatchPoint. New points are appended to the existing data (one push per update) and drawn with
// update('none'); the series are rebuilt only when a new run starts or the smoothing changes.
import type { BatchPoint } from '../../shared/protocol';
import { Chart, applyThemeToChart, lineChartOptions, themedAxis, toggleSeries } from '../common/charts';
import type { ExportableChart } from '../common/chartExport';
import { withAlpha, toCss } from '../common/color';
import type { Palette } from '../common/theme';
import { ChartLegend, LEGEND_HEIGHT, PLUGIN_OFF } from './legend';
import { EmaSmoother } from './smoothing';
import { t } from '../common/strings';

export interface XY {
  x: number;
  y: number;
}

type Metric = 'loss' | 'accuracy';

/** Appends in as few push calls as possible: Chart.js hooks `push` on the arrays it draws, and each
 *  call (not each point) costs it a pass over the whole dataset — one call per point made loading
 *  a 2,345-point history quadratic. */
function append<T>(target: T[], items: T[]): void {
  for (let i = 0; i < items.length; i += 8192) target.push(...items.slice(i, i + 8192));
}

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
    if (batches.length === this.raw.length) return true;
    const raw: XY[] = [];
    const smoothed: XY[] = [];
    for (let i = this.raw.length; i < batches.length; i++) {
      const p = batches[i];
      const y = p[this.metric];
      raw.push({ x: p.step, y });
      smoothed.push({ x: p.step, y: this.ema.push(y) });
    }
    append(this.raw, raw);
    append(this.smoothed, smoothed);
    return true;
  }
}

/** One metric's batch chart. The series follows every update; the Chart.js chart is made on the
 *  first update that may draw (its section on screen) and redrawn only then, once per frame. */
export class BatchChart {
  private series: MetricSeries;
  private source: readonly BatchPoint[] | null = null;
  private chart: Chart<'line', XY[]> | null = null;
  /** The chart is behind the series (or not made yet). */
  private stale = true;
  private readonly legend: ChartLegend;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly container: HTMLElement,
    private readonly metric: Metric,
    private smoothing: number,
    private palette: Palette,
  ) {
    this.series = new MetricSeries(metric, smoothing);
    this.legend = new ChartLegend(
      container,
      [{ label: t('chart.raw', t(`chart.${metric}`)) }, { label: t('chart.smoothed', t(`chart.${metric}`)) }],
      toggleSeries(() => this.chart),
    );
    this.legend.setColors(this.colors());
  }

  /** Raw, smoothed. */
  private colors(): [string, string] {
    const color = this.palette.series[this.metric === 'loss' ? 0 : 1];
    return [withAlpha(color, 0.3), toCss(color)];
  }

  /** Brings the series up to date with the state's batches (cheap when only appending) and, when
   *  `draw`, the chart too. */
  update(batches: readonly BatchPoint[], draw: boolean): void {
    const before = this.series.raw.length;
    if (batches !== this.source || !this.series.sync(batches)) {
      // Another run or a fresh snapshot: the series starts again from its batches.
      this.source = batches;
      this.rebuild(batches);
    }
    if (this.series.raw.length !== before) {
      this.stale = true;
      this.container.dataset.points = String(this.series.raw.length);
    }
    if (!draw || !this.stale) return;
    this.stale = false;
    if (this.chart) this.chart.update('none');
    else this.chart = this.create();
  }

  /** New smoothing: the smoothed series is recomputed; the chart follows on the next update. */
  setSmoothing(weight: number): void {
    this.smoothing = weight;
    if (this.source) this.rebuild(this.source);
  }

  /** The chart and every batch's point behind it (raw and smoothed), for the PNG and CSV buttons. */
  exportable(): ExportableChart {
    return {
      chart: () => this.chart as unknown as Chart | null,
      data: () => ({
        x: 'step',
        series: [
          { name: this.metric, points: this.series.raw },
          { name: `${this.metric} (smoothed)`, points: this.series.smoothed },
        ],
      }),
    };
  }

  /** New theme colours: the chart follows on the next update. */
  setPalette(palette: Palette): void {
    this.palette = palette;
    this.stale = true;
    const [raw, smoothed] = this.colors();
    this.legend.setColors([raw, smoothed]);
    if (!this.chart) return;
    this.chart.data.datasets[0].borderColor = raw;
    this.chart.data.datasets[1].borderColor = smoothed;
    applyThemeToChart(this.chart as unknown as Chart, palette);
  }

  private rebuild(batches: readonly BatchPoint[]): void {
    this.series = new MetricSeries(this.metric, this.smoothing);
    this.series.sync(batches);
    this.stale = true;
    this.container.dataset.points = String(this.series.raw.length);
    if (!this.chart) return;
    this.chart.data.datasets[0].data = this.series.raw;
    this.chart.data.datasets[1].data = this.series.smoothed;
  }

  private create(): Chart<'line', XY[]> {
    const { metric, palette } = this;
    const [raw, smoothed] = this.colors();
    const scale = themedAxis(palette);
    const text = toCss(palette.foreground);
    const hidden = this.legend.hidden;
    return new Chart(this.canvas, {
      type: 'line',
      data: {
        datasets: [
          {
            label: t('chart.raw', t(`chart.${metric}`)),
            data: this.series.raw,
            borderColor: raw,
            borderWidth: 1,
            pointRadius: 0,
            spanGaps: true,
            hidden: hidden[0],
          },
          {
            label: t('chart.smoothed', t(`chart.${metric}`)),
            data: this.series.smoothed,
            borderColor: smoothed,
            borderWidth: 2,
            pointRadius: 0,
            spanGaps: true,
            hidden: hidden[1],
          },
        ],
      },
      options: {
        ...lineChartOptions(palette, {
          x: { type: 'linear', title: { display: true, text: t('chart.batch'), color: text }, ...scale },
          y: {
            type: 'linear',
            title: { display: true, text: t(`chart.${metric}`), color: text },
            ...scale,
            ...(metric === 'accuracy' ? { min: 0, max: 1 } : { min: 0 }),
          },
        }),
        normalized: true,
        layout: { padding: { top: LEGEND_HEIGHT } },
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          // Above 4 points per pixel, LTTB keeps one point per pixel column (the curve's shape and
          // spikes); min-max kept up to 4 per column, so 2,345 points stayed ~2,300 to update and draw.
          decimation: { enabled: true, algorithm: 'lttb' },
          legend: PLUGIN_OFF,
        },
      },
    });
  }
}
