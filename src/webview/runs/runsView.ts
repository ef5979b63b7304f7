// Runs panel: the kept runs' epoch curves (loss, accuracy; training solid, validation dashed) on
// shared axes with a legend by what differs, their settings side by side, and each chart's PNG/CSV.
// Keras runs selected with them draw on the same axes (their loss/accuracy logs, val_* dashed).
import type { NamedSeries } from '../../shared/csv';
import { formatNumber, formatPercent } from '../../shared/format';
import type { ComparedKerasRun, KerasEpochPoint } from '../../shared/kerasCompare';
import type { RunRecord } from '../../shared/runRecord';
import type { SavedPanelState, ShownContent } from '../../shared/panelState';
import type { HostToWebview } from '../../shared/webviewProtocol';
import { Chart, epochAxes, lineChartOptions } from '../common/charts';
import { exportButtons } from '../common/chartExport';
import { toCss } from '../common/color';
import { h } from '../common/dom';
import { type PanelHost, connectToHost } from '../common/host';
import { type Palette, onThemeChange, readPalette } from '../common/theme';
import { t } from '../common/strings';

type Shown = { runs: { label: string; record: RunRecord }[]; keras: { label: string; run: ComparedKerasRun }[] };
type Metric = 'loss' | 'accuracy';

const COLUMNS = [
  'runs.column.run',
  'runs.column.optimizer',
  'runs.column.learningRate',
  'runs.column.batch',
  'runs.column.hiddenUnits',
  'runs.column.epochs',
  'runs.column.outcome',
  'runs.column.testAccuracy',
] as const;

const metricWord = (metric: Metric) => (metric === 'loss' ? t('chart.loss') : t('chart.accuracy'));

type EpochPoint = Pick<KerasEpochPoint, 'epoch' | 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy'>;

/** One line per run and split: training when the run has the metric, validation when it had some. */
export function runSeries(shown: Shown, metric: Metric): (NamedSeries & { run: number; validation: boolean })[] {
  const runs: { label: string; epochs: EpochPoint[] }[] = [
    ...shown.runs.map(({ label, record }) => ({ label, epochs: record.epochs })),
    ...shown.keras.map(({ label, run }) => ({ label, epochs: run.epochs })),
  ];
  return runs.flatMap(({ label, epochs }, run) => {
    const train = epochs.map((e) => ({ x: e.epoch, y: e[metric] })).filter((p) => p.y !== null);
    const validation = epochs
      .map((e) => ({ x: e.epoch, y: metric === 'loss' ? e.valLoss : e.valAccuracy }))
      .filter((p) => p.y !== null);
    const lines: (NamedSeries & { run: number; validation: boolean })[] = [];
    if (train.length > 0 || epochs.length === 0)
      lines.push({ name: `${label} — ${t('runs.training')}`, points: train, run, validation: false });
    if (validation.length > 0)
      lines.push({ name: `${label} — ${t('runs.validation')}`, points: validation, run, validation: true });
    return lines;
  });
}

/** What a reload brings back: the kept runs and the Keras runs shown (the host reads both again: they may have gone on). */
export function shownRuns(message: Extract<HostToWebview, { type: 'runs' }>): ShownContent['runs'] {
  return { ids: message.runs.map((run) => run.record.id), keras: message.keras.map(({ run }) => run.id) };
}

export class RunsView {
  private readonly host: PanelHost<SavedPanelState<'runs'>>;
  private palette: Palette = readPalette();
  private runs: Shown = { runs: [], keras: [] };
  private readonly charts: Record<Metric, Chart<'line'> | null> = { loss: null, accuracy: null };
  private readonly el = runsLayout();

  constructor(root: HTMLElement) {
    root.replaceChildren(this.el.waiting, this.el.content);
    this.host = connectToHost<SavedPanelState<'runs'>>((message) => this.receive(message));
    for (const metric of ['loss', 'accuracy'] as const) {
      this.el[metric].exportSlot.replaceWith(
        exportButtons(
          `mnist-runs-${metric}`,
          metricWord(metric),
          {
            chart: () => this.charts[metric],
            data: () => ({ x: 'epoch', series: runSeries(this.runs, metric) }),
          },
          this.host.post,
          () => this.palette,
        ),
      );
    }
    onThemeChange(() => {
      this.palette = readPalette();
      this.render();
    });
  }

  private receive(message: HostToWebview): void {
    if (message.type !== 'runs') return;
    this.runs = { runs: message.runs, keras: message.keras };
    this.host.saveViewState({ shows: shownRuns(message) });
    this.render();
  }

  private render(): void {
    const count = this.runs.runs.length + this.runs.keras.length;
    this.el.waiting.hidden = count > 0;
    this.el.content.hidden = count === 0;
    this.el.title.textContent = count === 1 ? t('runs.titleOne') : t('runs.title', count);
    document.body.dataset.runs = String(count);
    for (const metric of ['loss', 'accuracy'] as const) this.drawChart(metric);
    this.renderTable();
  }

  private color(run: number): string {
    const series = this.palette.series;
    return toCss(series[run % series.length]);
  }

  private drawChart(metric: Metric): void {
    this.charts[metric]?.destroy();
    const text = toCss(this.palette.foreground);
    const lines = runSeries(this.runs, metric);
    const { canvas, container } = this.el[metric];
    this.charts[metric] = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: lines.map((line) => ({
          label: line.name,
          data: line.points as { x: number; y: number }[],
          borderColor: this.color(line.run),
          backgroundColor: this.color(line.run),
          borderWidth: 2,
          pointRadius: 3,
          // Runs past the palette's four colours are told apart by their dash too.
          borderDash: line.validation ? [5, 3] : line.run >= this.palette.series.length ? [2, 2] : [],
        })),
      },
      options: {
        ...lineChartOptions(this.palette, epochAxes(this.palette, metricWord(metric))),
        plugins: { legend: { display: true, position: 'bottom', labels: { color: text, boxHeight: 2 } } },
      },
    });
    container.dataset.lines = String(lines.length);
  }

  private renderTable(): void {
    this.el.table.replaceChildren(
      h('tr', {}, ...COLUMNS.map((c) => h('th', {}, t(c)))),
      ...this.runs.runs.map(({ label, record }, run) => {
        const c = record.config;
        const swatch = h('span', { class: 'swatch' });
        swatch.style.background = this.color(run);
        return h(
          'tr',
          { 'data-run': record.id },
          h('th', { scope: 'row' }, swatch, label),
          h('td', {}, c.optimizer),
          h('td', { class: 'number' }, String(c.learningRate)),
          h('td', { class: 'number' }, String(c.batchSize)),
          h('td', { class: 'number' }, String(c.hiddenUnits)),
          h('td', { class: 'number' }, `${record.epochs.length}/${c.epochs}`),
          h('td', {}, t(`status.${record.outcome}` as const)),
          h('td', { class: 'number' }, record.evaluation ? formatPercent(record.evaluation.testAccuracy) : '—'),
        );
      }),
      ...this.runs.keras.map(({ label, run }, i) => this.kerasRow(label, run, this.runs.runs.length + i)),
    );
  }

  /** A Keras run has no Tensor Lens settings: its backend, its epochs, its state and every metric it logged. */
  private kerasRow(label: string, run: ComparedKerasRun, index: number): HTMLElement {
    const swatch = h('span', { class: 'swatch' });
    swatch.style.background = this.color(index);
    const metrics = Object.entries(run.lastMetrics)
      .map(([name, value]) => `${name} ${value === null ? '—' : formatNumber(value)}`)
      .join(' · ');
    const planned = run.epochsPlanned === null ? '' : `/${run.epochsPlanned}`;
    return h(
      'tr',
      { 'data-run': run.id, 'data-keras': run.backend },
      h('th', { scope: 'row' }, swatch, label),
      h('td', { colspan: '4' }, metrics),
      h('td', { class: 'number' }, `${run.epochs.length}${planned}`),
      h('td', {}, t(`runs.keras.${run.state}` as const)),
      h('td', { class: 'number' }, '—'),
    );
  }
}

/** One metric's card: its title, a place for the export buttons, and the chart's box and canvas. */
function chartCard(metric: Metric, title: string) {
  const exportSlot = h('span', { id: `${metric}-export` });
  const canvas = h('canvas', { id: `${metric}-chart`, role: 'img', 'aria-label': title });
  const container = h('div', { id: `${metric}-container`, class: 'chart runs-chart' }, canvas);
  const card = h(
    'section',
    { class: 'card', 'aria-labelledby': `${metric}-title` },
    h('div', { class: 'card-head' }, h('h2', { id: `${metric}-title` }, title), exportSlot),
    container,
  );
  return { card, exportSlot, container, canvas };
}

/** The waiting line and the content, and the elements the view writes to (ids for the UI tests). */
export function runsLayout() {
  const loss = chartCard('loss', t('runs.lossTitle'));
  const accuracy = chartCard('accuracy', t('runs.accuracyTitle'));
  const title = h('h1', { id: 'runs-title' });
  const table = h('table', { id: 'runs-table', class: 'runs-table' });
  const content = h(
    'div',
    { id: 'runs-content', hidden: '' },
    title,
    h('p', { class: 'muted' }, t('runs.intro')),
    loss.card,
    accuracy.card,
    h('section', { class: 'card' }, table),
  );
  return {
    waiting: h('p', { id: 'runs-waiting', class: 'muted' }, t('runs.waiting')),
    content,
    title,
    table,
    loss,
    accuracy,
  };
}
