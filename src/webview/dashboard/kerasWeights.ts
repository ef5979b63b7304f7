// The Keras card's weights: each weight's histogram at each snapshot the writer took, on the same
// scrubber Tensor Lens' own runs have (weightHistograms.ts), narrowed by a picker (kernels first);
// one line per weight of its update size ‖Δw‖/‖w‖ since the snapshot before, saying plainly which
// weights have no figure; and one line per weight of its gradient norm on the probe batch (§2.5), or
// why the run has none. Both charts are one WeightLineChart.
import type { KerasDashboardRun, KerasSnapshotFrame } from '../../shared/kerasDashboard';
import { Chart, lineChartOptions, themedAxis } from '../common/charts';
import { formatCount, formatNumber } from '../../shared/format';
import { toCss } from '../common/color';
import { h } from '../common/dom';
import { t } from '../common/strings';
import type { Palette } from '../common/theme';
import { type HistogramFrame, type HistogramTensor, WeightHistograms } from './weightHistograms';

/** Histograms drawn at most at once: a model of hundreds of weights is looked at a few at a time. */
export const MAX_HISTOGRAM_CARDS = 24;

/** `kernels`: every weight of rank ≥ 2 (kernels, embeddings, conv filters); `all`; or one weight's name. */
export type WeightPick = 'kernels' | 'all' | { name: string };

const isKernel = (shape: readonly number[]) => shape.length >= 2;

/** The weights a pick shows, in the model's order; kernels when there are none of rank ≥ 2 is every weight. */
export function pickedWeights<W extends { name: string; shape: readonly number[] }>(
  weights: readonly W[],
  pick: WeightPick,
): W[] {
  if (pick === 'all') return [...weights];
  if (pick === 'kernels') {
    const kernels = weights.filter((w) => isKernel(w.shape));
    return kernels.length > 0 ? kernels : [...weights];
  }
  return weights.filter((w) => w.name === pick.name);
}

/** One scrubber frame per snapshot sent: the weights it has, as the histogram cards draw them. */
export function histogramFrame(run: KerasDashboardRun, snapshot: KerasSnapshotFrame): HistogramFrame {
  const tensors: HistogramTensor[] = [];
  snapshot.weights.forEach((frame, i) => {
    if (frame !== null)
      tensors.push({
        name: run.weights[i].name,
        shape: run.weights[i].shape,
        stats: frame.stats,
        histogram: frame.histogram,
      });
  });
  return { tensors };
}

/** The scrubber's words for the frame shown. */
export function snapshotWords(run: KerasDashboardRun, frame: number | null): string {
  const snapshot = frame === null ? undefined : run.snapshots[frame];
  if (snapshot === undefined) return t('keras.noSnapshots');
  const reason =
    snapshot.reason === 'begin' || snapshot.reason === 'budget' || snapshot.reason === 'epoch'
      ? t(`keras.reason.${snapshot.reason}`)
      : snapshot.reason;
  return t(
    'keras.snapshotWords',
    snapshot.index,
    run.snapshotsRecorded,
    snapshot.epoch + 1,
    formatCount(snapshot.step),
    reason,
  );
}

/**
 * x: step; y: ‖Δw‖/‖w‖ over the whole span, null where there is no figure (or 0, which a log scale
 * cannot draw); span: the steps since the snapshot before (null: unknown). Not per step: see KerasUpdateSizes.
 */
export interface UpdatePoint {
  x: number;
  y: number | null;
  span: number | null;
}

export interface UpdateLine {
  name: string;
  /** Drawn at first (kernels); the others are a legend click away. */
  shown: boolean;
  points: UpdatePoint[];
}

/** One line per weight with a positive figure somewhere (a log scale draws nothing else), kernels shown. */
function weightLines(
  run: KerasDashboardRun,
  steps: readonly number[],
  byWeight: readonly (readonly (number | null)[])[],
  spans: readonly (number | null)[] | null,
): UpdateLine[] {
  const kernels = new Set(pickedWeights(run.weights, 'kernels').map((w) => w.name));
  return run.weights.flatMap((weight, w) => {
    const figures = byWeight[w] ?? [];
    if (!figures.some((y) => y !== null && y > 0)) return [];
    return [
      {
        name: weight.name,
        shown: kernels.has(weight.name),
        points: steps.map((x, i) => ({
          x,
          y: figures[i] !== null && figures[i] > 0 ? figures[i] : null,
          span: spans?.[i] ?? null,
        })),
      },
    ];
  });
}

/** One line per weight that has an update size somewhere. */
export const updateLines = (run: KerasDashboardRun): UpdateLine[] =>
  weightLines(run, run.updates.steps, run.updates.byWeight, run.updates.spans);

/** One line per weight that has a gradient norm somewhere (span: null, a norm is measured at its step). */
export const gradientLines = (run: KerasDashboardRun): UpdateLine[] =>
  weightLines(run, run.gradients.steps, run.gradients.byWeight, null);

/** A gradient point's tooltip: the weight, its norm and the step it was measured at. */
export const gradientPointWords = (name: string, point: UpdatePoint): string =>
  t('keras.gradientPoint', name, point.y === null ? '—' : formatNumber(point.y), formatCount(point.x));

/** Why the gradient chart is empty, in words: the run has none (the writer's reason), or none yet. */
export function gradientNotes(run: KerasDashboardRun): string[] {
  const gradients = run.gradients;
  if (!gradients.available) return [t('keras.noGradients', gradients.reason ?? t('keras.noGradientsUnsaid'))];
  if (gradients.steps.length > 0) return [];
  return gradients.after === null
    ? [t('keras.gradientsWaiting')]
    : [t('keras.gradientsWaitingFor', formatNumber(gradients.after))];
}

/** A point's tooltip: the weight, its update size and the steps that size covers. */
export function updatePointWords(name: string, point: UpdatePoint): string {
  const size = point.y === null ? '—' : formatNumber(point.y);
  if (point.span === null) return `${name}: ${size}`;
  const [span, from, to] = [point.span, point.x - point.span, point.x].map(formatCount);
  return point.span === 1
    ? t('keras.updatePointOne', name, size, span, from, to)
    : t('keras.updatePoint', name, size, span, from, to);
}

/** What the chart cannot show, in words: too few snapshots, weights with no figure, weights that did not move. */
export function updateNotes(run: KerasDashboardRun): string[] {
  const read = run.updates.steps.length;
  if (read < 2) return [t('keras.updatesWaiting', read)];
  const none: string[] = [];
  const still: string[] = [];
  run.weights.forEach((weight, w) => {
    const sizes = (run.updates.byWeight[w] ?? []).filter((size): size is number => size !== null);
    if (sizes.length === 0) none.push(weight.name);
    else if (sizes.every((size) => size === 0)) still.push(weight.name);
  });
  const notes: string[] = [];
  if (none.length > 0) notes.push(t('keras.updatesMissing', none.join(', ')));
  if (still.length > 0) notes.push(t('keras.updatesStill', still.join(', ')));
  return notes;
}

/** A log-scale chart of one line per weight over steps: the update sizes' and the gradient norms'. */
class WeightLineChart {
  readonly box: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private chart: Chart<'line', UpdatePoint[]> | null = null;

  constructor(
    id: string,
    aria: string,
    private readonly yTitle: string,
    private readonly words: (name: string, point: UpdatePoint) => string,
  ) {
    this.canvas = h('canvas', { id: `${id}-chart`, role: 'img', 'aria-label': aria });
    this.box = h('div', { id, class: 'chart' }, this.canvas);
  }

  render(lines: UpdateLine[], palette: Palette): void {
    this.box.dataset.lines = String(lines.length);
    this.box.hidden = lines.length === 0;
    if (lines.length === 0) return;
    const chart = this.chart ?? this.make(palette);
    const series = palette.series;
    const byName = new Map(chart.data.datasets.map((d) => [d.label, d]));
    chart.data.datasets = lines.map((line, i) => {
      const color = toCss(series[i % series.length]);
      const existing = byName.get(line.name);
      // A line the person showed or hid in the legend stays so.
      const hidden = existing ? chart.isDatasetVisible(chart.data.datasets.indexOf(existing)) === false : !line.shown;
      return {
        label: line.name,
        data: line.points,
        borderColor: color,
        backgroundColor: color,
        borderWidth: 2,
        pointRadius: 2,
        hidden,
      };
    });
    chart.update('none');
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  private make(palette: Palette): Chart<'line', UpdatePoint[]> {
    const text = toCss(palette.foreground);
    this.chart = new Chart<'line', UpdatePoint[]>(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...lineChartOptions(palette, {
          x: { type: 'linear', title: { display: true, text: t('keras.step'), color: text }, ...themedAxis(palette) },
          y: { type: 'logarithmic', title: { display: true, text: this.yTitle, color: text }, ...themedAxis(palette) },
        }),
        // The points are small: the tooltip names the nearest step's points without hitting one exactly.
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: { display: true, position: 'bottom', labels: { color: text, boxHeight: 2 } },
          tooltip: {
            callbacks: { label: (item) => this.words(item.dataset.label ?? '', item.raw as UpdatePoint) },
          },
        },
      },
    });
    return this.chart;
  }
}

export class KerasWeights {
  readonly root: HTMLElement;
  private readonly picker = h('select', { id: 'keras-weight-pick' });
  private readonly scrubber = h('input', {
    id: 'keras-snapshot-scrubber',
    type: 'range',
    min: '0',
    max: '0',
    step: '1',
    value: '0',
    'aria-label': t('keras.snapshotScrubberAria'),
  });
  private readonly label = h('output', { id: 'keras-snapshot-label' });
  private readonly grid = h('div', { id: 'keras-histogram-grid', class: 'histogram-grid' });
  private readonly more = h('p', { id: 'keras-more-weights', class: 'muted', hidden: '' });
  private readonly updates = new WeightLineChart('keras-updates', t('keras.updatesAria'), '‖Δw‖/‖w‖', updatePointWords);
  private readonly notes = h('div', { id: 'keras-update-notes' });
  private readonly gradients = new WeightLineChart(
    'keras-gradients',
    t('keras.gradientsAria'),
    '‖∂loss/∂w‖',
    gradientPointWords,
  );
  private readonly gradientIntro = h('p', { class: 'muted' });
  private readonly gradientNotes = h('div', { id: 'keras-gradient-notes' });
  private readonly histograms: WeightHistograms;
  private pick: WeightPick = 'kernels';
  private run: KerasDashboardRun | null = null;
  private palette: Palette | null = null;
  /** Frames by snapshot index: a message that repeats a snapshot does not redraw its histograms. */
  private frames = new Map<number, HistogramFrame>();
  private pickerFor = '';

  constructor() {
    this.histograms = new WeightHistograms(
      this.scrubber,
      this.label,
      this.grid,
      null,
      () => this.redraw(false),
      (frame) => (this.run === null ? t('keras.noSnapshots') : snapshotWords(this.run, frame)),
    );
    this.histograms.pick = (tensors) => {
      const picked = pickedWeights(tensors, this.pick);
      this.more.hidden = picked.length <= MAX_HISTOGRAM_CARDS;
      this.more.textContent = t('keras.moreWeights', Math.min(picked.length, MAX_HISTOGRAM_CARDS), picked.length);
      return picked.slice(0, MAX_HISTOGRAM_CARDS);
    };
    this.picker.addEventListener('change', () => {
      const value = this.picker.value;
      this.pick = value === 'kernels' || value === 'all' ? value : { name: value.slice('weight:'.length) };
      this.redraw(true);
    });
    this.root = h(
      'div',
      { id: 'keras-weights' },
      h('h3', {}, t('keras.weightsTitle')),
      h('label', { class: 'scrubber' }, `${t('keras.weightsPick')} `, this.picker),
      h('label', { class: 'scrubber' }, `${t('keras.snapshot')} `, this.scrubber, this.label),
      this.grid,
      this.more,
      h('h3', {}, t('keras.updatesTitle')),
      h('p', { class: 'muted' }, t('keras.updatesNote')),
      this.updates.box,
      this.notes,
      h('h3', {}, t('keras.gradientsTitle')),
      this.gradientIntro,
      this.gradients.box,
      this.gradientNotes,
    );
  }

  render(run: KerasDashboardRun, palette: Palette): void {
    if (this.run !== null && this.run.id !== run.id) {
      this.clear();
      this.histograms.chosen = null;
    }
    this.run = run;
    this.palette = palette;
    this.fillPicker(run);
    this.redraw(false);
    this.notes.replaceChildren(...updateNotes(run).map((note) => h('p', { class: 'muted' }, note)));
    this.updates.render(updateLines(run), palette);
    this.gradientIntro.hidden = !run.gradients.available;
    this.gradientIntro.textContent = t('keras.gradientsNote', run.gradients.probe ?? '?');
    this.gradientNotes.replaceChildren(...gradientNotes(run).map((note) => h('p', { class: 'muted' }, note)));
    this.gradients.render(gradientLines(run), palette);
  }

  /** Another run or another theme: the chart is made again, the histograms redrawn. */
  clear(): void {
    this.updates.destroy();
    this.gradients.destroy();
    this.frames = new Map();
    this.histograms.reset();
  }

  private redraw(force: boolean): void {
    const run = this.run;
    if (run === null || this.palette === null) return;
    const frames = run.snapshots.map((snapshot) => {
      let frame = this.frames.get(snapshot.index);
      if (frame === undefined) {
        frame = histogramFrame(run, snapshot);
        this.frames.set(snapshot.index, frame);
      }
      return frame;
    });
    this.grid.dataset.snapshots = String(frames.length);
    this.histograms.render(frames, this.palette, true, force);
  }

  private fillPicker(run: KerasDashboardRun): void {
    const key = `${run.id}\n${run.weights.map((w) => w.name).join('\n')}`;
    if (key === this.pickerFor) return;
    this.pickerFor = key;
    const chosen = this.picker.value;
    const option = (value: string, text: string) => h('option', { value }, text);
    this.picker.replaceChildren(
      option('kernels', t('keras.pickKernels')),
      option('all', t('keras.pickAll')),
      // Kernels first, then the rest, each in the model's order.
      ...[...pickedWeights(run.weights, 'kernels'), ...run.weights.filter((w) => !isKernel(w.shape))]
        .filter((w, i, all) => all.indexOf(w) === i)
        .map((w) => option(`weight:${w.name}`, w.name)),
    );
    if ([...this.picker.options].some((o) => o.value === chosen)) this.picker.value = chosen;
    else this.pick = 'kernels';
  }
}
