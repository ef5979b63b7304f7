// After evaluation: test accuracy beside the train accuracy measured after training (and the
// running mean Keras printed, labelled as such) with the gap named, the confusion matrix with
// per-class accuracy, and the misclassified test digits.
import type { EpochMetrics, Evaluation } from '../../shared/protocol';
import { mix, toCss } from '../common/color';
import { h } from '../common/dom';
import { formatCount, formatPercent } from '../../shared/format';
import type { Palette } from '../common/theme';
import { t } from '../common/strings';

/**
 * A gap smaller than this is chance: on 10,000 test digits at ≈ 98 % accuracy, the score's own
 * standard error is ≈ 0.14 percentage points.
 */
const NOISE_GAP = 0.002;
/** The book's gap is ≈ 1 point (0.989 train, 0.978 test); past this one the model clearly overfits. */
const WIDE_GAP = 0.03;
/**
 * Overfitting is judged from this many epochs on. Within the first, every training digit is new
 * to the model when it learns from it, so a train–test gap then is not the model having learned its
 * training digits better than new ones.
 */
export const MIN_EPOCHS_TO_JUDGE = 2;

/**
 * The book's reading of train vs test accuracy, worded by the size of the gap; the train accuracy
 * is the one measured after training. Nothing about overfitting without it or after a run too short.
 */
export function gapSentence(evaluation: Pick<Evaluation, 'testAccuracy' | 'train'>): string {
  const { train, testAccuracy } = evaluation;
  if (train === null) return t('dashboard.gapUnmeasured');
  if (train.epochs < MIN_EPOCHS_TO_JUDGE) return t('dashboard.gapTooShort', train.epochs, MIN_EPOCHS_TO_JUDGE);
  const gap = train.accuracy - testAccuracy;
  const points = (Math.abs(gap) * 100).toFixed(2);
  if (Math.abs(gap) < NOISE_GAP) return t('dashboard.gapChance', points);
  if (gap < 0) return t('dashboard.gapNone', points);
  if (gap < WIDE_GAP) return t('dashboard.gapOverfitting', points);
  return t('dashboard.gapWide', points);
}

/** Which train number is which: what was measured and on what, and the running mean Keras printed. */
export function trainAccuracyNote(evaluation: Pick<Evaluation, 'train'>, lastEpoch: EpochMetrics | undefined): string {
  const parts: string[] = [];
  if (evaluation.train !== null) parts.push(t('dashboard.trainMeasuredOn', formatCount(evaluation.train.samples)));
  if (lastEpoch !== undefined) parts.push(t('dashboard.trainRunningMean', formatPercent(lastEpoch.accuracy)));
  return parts.join(' ');
}

export interface ConfusionCell {
  actual: number;
  predicted: number;
  count: number;
  /** Share of the actual class's samples: the cell's heat. */
  fraction: number;
}

export function confusionCells(confusion: readonly (readonly number[])[]): ConfusionCell[][] {
  return confusion.map((row, actual) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, predicted) => ({ actual, predicted, count, fraction: total > 0 ? count / total : 0 }));
  });
}

export function renderAccuracies(
  target: HTMLElement,
  evaluation: Evaluation | null,
  epochs: readonly EpochMetrics[],
): void {
  const testEl = target.querySelector<HTMLElement>('#test-accuracy');
  const trainEl = target.querySelector<HTMLElement>('#train-accuracy');
  const noteEl = target.querySelector<HTMLElement>('#train-accuracy-note');
  const gapEl = target.querySelector<HTMLElement>('#accuracy-gap');
  if (!testEl || !trainEl || !noteEl || !gapEl) return;
  target.hidden = evaluation === null;
  if (!evaluation) return;
  testEl.textContent = formatPercent(evaluation.testAccuracy);
  trainEl.textContent = evaluation.train === null ? '—' : formatPercent(evaluation.train.accuracy);
  noteEl.textContent = trainAccuracyNote(evaluation, epochs.at(-1));
  gapEl.textContent = gapSentence(evaluation);
}

/** The 10×10 matrix as a table (rows actual, columns predicted) plus a per-class accuracy column. */
export function renderConfusion(table: HTMLTableElement, evaluation: Evaluation, palette: Palette): void {
  const digits = Array.from({ length: 10 }, (_, d) => h('th', { scope: 'col' }, String(d)));
  const head = h(
    'tr',
    {},
    h('th', {}, t('dashboard.confusionCorner')),
    ...digits,
    h('th', { scope: 'col' }, t('dashboard.accuracy')),
  );
  const rows = confusionCells(evaluation.confusion).map((row, actual) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, String(actual)),
      ...row.map((cell) => {
        const td = h(
          'td',
          {
            class: cell.actual === cell.predicted ? 'confusion-cell diagonal' : 'confusion-cell',
            'data-actual': String(cell.actual),
            'data-predicted': String(cell.predicted),
            'aria-label': t('dashboard.confusionCellAria', cell.actual, cell.predicted, cell.count),
          },
          String(cell.count),
        );
        // The square root keeps the few mistakes visible next to a diagonal near 100%. (Colours go
        // through the CSSOM, which the CSP allows; a style attribute would be blocked.)
        const heat = Math.sqrt(cell.fraction);
        td.style.backgroundColor = toCss(mix(palette.background, palette.series[0], heat));
        td.style.color = toCss(heat > 0.6 ? palette.background : palette.foreground);
        return td;
      }),
      h('td', { class: 'number per-class-accuracy' }, formatPercent(evaluation.perClassAccuracy[actual] ?? 0, 1)),
    ),
  );
  table.replaceChildren(
    h('caption', {}, t('dashboard.confusionCaption')),
    h('thead', {}, head),
    h('tbody', {}, ...rows),
  );
}
