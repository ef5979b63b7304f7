// After evaluation: test accuracy beside train accuracy with the gap named, the confusion matrix
// with per-class accuracy, and the misclassified test digits.
import type { EpochMetrics, Evaluation } from '../../shared/protocol';
import { mix, toCss } from '../common/color';
import { formatPercent } from '../common/format';
import type { Palette } from '../common/theme';
import { t } from '../common/strings';

/** The book's reading of train vs test accuracy. */
export function gapSentence(trainAccuracy: number, testAccuracy: number): string {
  const gap = trainAccuracy - testAccuracy;
  if (gap > 0) {
    return t('dashboard.gapOverfitting', (gap * 100).toFixed(2));
  }
  return t('dashboard.gapNone', (-gap * 100).toFixed(2));
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
  table.replaceChildren();
  table.createCaption().textContent = t('dashboard.confusionCaption');
  const head = table.createTHead().insertRow();
  const corner = document.createElement('th');
  corner.textContent = t('dashboard.confusionCorner');
  head.append(corner);
  for (let d = 0; d < 10; d++) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = String(d);
    head.append(th);
  }
  const accuracyHead = document.createElement('th');
  accuracyHead.scope = 'col';
  accuracyHead.textContent = t('dashboard.accuracy');
  head.append(accuracyHead);
  const body = table.createTBody();
  confusionCells(evaluation.confusion).forEach((row, actual) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(actual);
    tr.append(th);
    for (const cell of row) {
      const td = tr.insertCell();
      td.textContent = String(cell.count);
      td.className = cell.actual === cell.predicted ? 'confusion-cell diagonal' : 'confusion-cell';
      td.dataset.actual = String(cell.actual);
      td.dataset.predicted = String(cell.predicted);
      td.setAttribute('aria-label', `true ${cell.actual}, predicted ${cell.predicted}: ${cell.count}`);
      // The square root keeps the few mistakes visible next to a diagonal near 100%.
      const heat = Math.sqrt(cell.fraction);
      td.style.backgroundColor = toCss(mix(palette.background, palette.series[0], heat));
      td.style.color = toCss(heat > 0.6 ? palette.background : palette.foreground);
    }
    const accuracy = tr.insertCell();
    accuracy.className = 'number per-class-accuracy';
    accuracy.textContent = formatPercent(evaluation.perClassAccuracy[actual] ?? 0, 1);
  });
}
