// The dashboard's card for a followed Keras run: its name, backend and state, then per metric Keras
// logs a batch chart — the epoch's running mean as Keras logs it, and the per-batch value derived
// from it as the raw line — and an epoch chart with the validation twin; then its weights over time
// (kerasWeights.ts). Charts are made once per metric and updated in place as the host sends the run again.
import type { KerasDashboardRun, KerasMetricCurves } from '../../shared/kerasDashboard';
import { formatCount } from '../../shared/format';
import { Chart, epochAxes, lineChartOptions, themedAxis } from '../common/charts';
import { toCss, withAlpha } from '../common/color';
import { h } from '../common/dom';
import { t } from '../common/strings';
import type { Palette } from '../common/theme';
import { KerasWeights } from './kerasWeights';

type Point = { x: number; y: number | null };

const points = (xs: readonly number[], ys: readonly (number | null)[]): Point[] => xs.map((x, i) => ({ x, y: ys[i] }));

interface MetricCharts {
  card: HTMLElement;
  batch: Chart<'line', Point[]>;
  epoch: Chart<'line', Point[]>;
}

export class KerasRunCard {
  readonly root = h('section', { id: 'keras-run', class: 'card', hidden: '' });
  private readonly title = h('h2', { id: 'keras-run-title' });
  private readonly status = h('p', { id: 'keras-run-status', class: 'muted' });
  private readonly grid = h('div', { id: 'keras-run-metrics' });
  private readonly charts = new Map<string, MetricCharts>();
  private readonly weights = new KerasWeights();

  constructor() {
    this.root.append(
      this.title,
      this.status,
      h('p', { class: 'muted' }, t('keras.meanNote')),
      this.grid,
      this.weights.root,
    );
  }

  render(run: KerasDashboardRun, palette: Palette): void {
    // Another run followed: the last one's metrics go with it.
    if (this.root.dataset.run !== run.id) this.clear();
    this.root.hidden = false;
    this.root.dataset.run = run.id;
    this.root.dataset.state = run.state;
    this.title.textContent = t('keras.title', run.name);
    const planned = run.epochsPlanned === null ? '' : `/${run.epochsPlanned}`;
    this.status.textContent = t(
      'keras.status',
      run.backend,
      t(`runs.keras.${run.state}` as const),
      `${run.epochs}${planned}`,
      formatCount(run.batches),
    );
    for (const metric of run.metrics) this.renderMetric(metric, palette);
    this.weights.render(run, palette);
  }

  /** Colours follow the theme: charts are made again with the new palette (and for another run). */
  clear(): void {
    for (const { card, batch, epoch } of this.charts.values()) {
      batch.destroy();
      epoch.destroy();
      card.remove();
    }
    this.charts.clear();
    this.weights.clear();
  }

  private renderMetric(metric: KerasMetricCurves, palette: Palette): void {
    const charts = this.charts.get(metric.name) ?? this.makeCharts(metric.name, palette);
    const [means, values] = charts.batch.data.datasets;
    means.data = points(metric.steps, metric.means);
    values.data = points(metric.steps, metric.values);
    const [train, validation] = charts.epoch.data.datasets;
    train.data = points(metric.epochs, metric.train);
    validation.data = metric.validation === null ? [] : points(metric.epochs, metric.validation);
    validation.hidden = metric.validation === null;
    charts.card.dataset.points = String(metric.steps.length);
    charts.batch.update('none');
    charts.epoch.update('none');
  }

  private makeCharts(name: string, palette: Palette): MetricCharts {
    const batchCanvas = h('canvas', { role: 'img', 'aria-label': t('keras.batchTitle', name) });
    const epochCanvas = h('canvas', { role: 'img', 'aria-label': t('keras.epochTitle', name) });
    const card = h(
      'div',
      { class: 'keras-metric', 'data-metric': name },
      h('h3', {}, name),
      h(
        'div',
        { class: 'chart-row' },
        h('div', { class: 'chart' }, batchCanvas),
        h('div', { class: 'chart' }, epochCanvas),
      ),
    );
    this.grid.append(card);
    const [first, second] = palette.series;
    const legend = {
      display: true,
      position: 'bottom' as const,
      labels: { color: toCss(palette.foreground), boxHeight: 2 },
    };
    const text = toCss(palette.foreground);
    const batch = new Chart<'line', Point[]>(batchCanvas, {
      type: 'line',
      data: {
        datasets: [
          {
            label: t('keras.runningMean'),
            data: [],
            borderColor: toCss(first),
            backgroundColor: toCss(first),
            borderWidth: 2,
            pointRadius: 0,
          },
          {
            label: t('keras.perBatch'),
            data: [],
            borderColor: withAlpha(second, 0.6),
            backgroundColor: withAlpha(second, 0.6),
            borderWidth: 1,
            pointRadius: 0,
          },
        ],
      },
      options: {
        ...lineChartOptions(palette, {
          x: { type: 'linear', title: { display: true, text: t('keras.step'), color: text }, ...themedAxis(palette) },
          y: { type: 'linear', title: { display: true, text: name, color: text }, ...themedAxis(palette) },
        }),
        plugins: { legend },
      },
    });
    const epoch = new Chart<'line', Point[]>(epochCanvas, {
      type: 'line',
      data: {
        datasets: [
          {
            label: t('runs.training'),
            data: [],
            borderColor: toCss(first),
            backgroundColor: toCss(first),
            borderWidth: 2,
            pointRadius: 3,
          },
          {
            label: t('runs.validation'),
            data: [],
            borderColor: toCss(first),
            backgroundColor: toCss(first),
            borderWidth: 2,
            pointRadius: 3,
            borderDash: [5, 3],
          },
        ],
      },
      options: { ...lineChartOptions(palette, epochAxes(palette, name)), plugins: { legend } },
    });
    const charts = { card, batch, epoch };
    this.charts.set(name, charts);
    return charts;
  }
}
