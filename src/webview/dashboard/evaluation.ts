// After evaluation: test accuracy beside train accuracy with the gap named, the confusion matrix
// with per-class accuracy, and the misclassified test digits.
import type { EpochMetrics, Evaluation } from '../../shared/protocol';
import { mix, toCss } from '../common/color';
import { h } from '../common/dom';
import { formatPercent } from '../../shared/format';
import type { Palette } from '../common/theme';
import { t } from '../common/strings';

/**
 * A gap smaller than this is chance: on 10,000 test digits at ≈ 98 % accuracy, the score's own
 * standard error is ≈ 0.14 percentage points.
 */
const NOISE_GAP = 0.002;
/** The book's gap is ≈ 1 point (0.989 train, 0.978 test); past this one the model clearly overfits. */
const WIDE_GAP = 0.03;

/** The book's reading of train vs test accuracy, worded by the size of the gap. */
export function gapSentence(trainAccuracy: number, testAccuracy: number): string {
  const gap = trainAccuracy - testAccuracy;
  const points = (Math.abs(gap) * 100).toFixed(2);
  if (Math.abs(gap) < NOISE_GAP) return t('dashboard.gapChance', points);
  if (gap < 0) return t('dashboard.gapNone', points);
  if (gap < WIDE_GAP) return t('dashboard.gapOverfitting', points);
  return t('dashboard.gapWide', points);
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
  const gapEl = target.querySelector<HTMLElement>('#accuracy-gap');
  if (!testEl || !trainEl || !gapEl) return;
  target.hidden = evaluation === null;
  if (!evaluation) return;
  const train = epochs.at(-1)?.accuracy ?? null;
  testEl.textContent = formatPercent(evaluation.testAccuracy);
  trainEl.textContent = train === null ? '—' : formatPercent(train);
  gapEl.textContent = train === null ? '' : gapSentence(train, evaluation.testAccuracy);
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
            'aria-label': `true ${cell.actual}, predicted ${cell.predicted}: ${cell.count}`,
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
