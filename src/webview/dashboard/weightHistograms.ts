// Per-layer weight histograms with an epoch scrubber (epoch 0 = the initial weights). The
// scrubber follows the newest epoch until the user moves it back.
import type { TensorSummary } from '../../shared/protocol';
import type { RunState } from '../../shared/runState';
import { formatNumber, formatShape } from '../../shared/format';
import { h } from '../common/dom';
import { canvasSize, drawHistogram } from '../common/histogram';
import type { Palette } from '../common/theme';
import { t } from '../common/strings';

/** The epoch to show: the chosen one if it exists, else the newest (null when none yet). */
export function shownEpoch(weights: RunState['weights'], chosen: number | null): number | null {
  const available = weights.filter(Boolean).map((w) => w.epoch);
  if (available.length === 0) return null;
  return chosen !== null && available.includes(chosen) ? chosen : Math.max(...available);
}

export function statsLine(t: TensorSummary): string {
  const s = t.stats;
  return `mean ${formatNumber(s.mean)} · std ${formatNumber(s.std)} · min ${formatNumber(s.min)} · max ${formatNumber(s.max)}`;
}

export class WeightHistograms {
  /** Chosen epoch, or null to follow the newest. */
  chosen: number | null;
  private readonly cards = new Map<string, { canvas: HTMLCanvasElement; stats: HTMLElement }>();
  /** The weights entry whose histograms are drawn. */
  private drawn: RunState['weights'][number] | null = null;

  constructor(
    private readonly scrubber: HTMLInputElement,
    private readonly label: HTMLElement,
    private readonly grid: HTMLElement,
    chosen: number | null,
    private readonly onChoose: (epoch: number | null) => void,
  ) {
    this.chosen = chosen;
    scrubber.addEventListener('input', () => {
      const value = Number(scrubber.value);
      this.chosen = value === Number(scrubber.max) ? null : value;
      this.onChoose(this.chosen);
    });
  }

  /** Scrubber and label always; the histograms of the shown epoch only when `draw` (the section is
   *  on screen) and they changed (or `force`, a new theme). */
  render(weights: RunState['weights'], palette: Palette, draw: boolean, force = false): void {
    const epoch = shownEpoch(weights, this.chosen);
    const newest = weights.length - 1;
    this.scrubber.max = String(Math.max(0, newest));
    this.scrubber.disabled = epoch === null;
    this.scrubber.value = String(epoch ?? 0);
    const label =
      epoch === null
        ? t('dashboard.noWeights')
        : epoch === 0
          ? t('dashboard.initialWeights')
          : t('dashboard.afterEpoch', epoch);
    if (this.label.textContent !== label) {
      this.label.textContent = label;
      this.scrubber.setAttribute('aria-valuetext', label);
    }
    if (force) this.drawn = null;
    if (epoch === null || !draw || weights[epoch] === this.drawn) return;
    const shown = weights[epoch];
    this.drawn = shown;
    const cards = shown.tensors.map((tensor) => this.card(tensor));
    // All sizes first, then all drawing: one layout, not one per canvas.
    const sizes = cards.map((card) => canvasSize(card.canvas));
    shown.tensors.forEach((tensor, i) => {
      cards[i].stats.textContent = statsLine(tensor);
      // Weights are bell-shaped: linear heights show their spread as it is.
      drawHistogram(cards[i].canvas, tensor.histogram, palette, { size: sizes[i], scale: 'linear' });
    });
  }

  private card(tensor: TensorSummary): { canvas: HTMLCanvasElement; stats: HTMLElement } {
    let card = this.cards.get(tensor.name);
    if (!card) {
      const canvas = h('canvas', {
        class: 'histogram',
        role: 'img',
        'aria-label': t('dashboard.histogramAria', tensor.name),
      });
      const stats = h('div', { class: 'stats' });
      this.grid.append(
        h(
          'figure',
          { class: 'histogram-card' },
          h('figcaption', {}, `${tensor.name} ${formatShape(tensor.shape)}`),
          canvas,
          stats,
        ),
      );
      card = { canvas, stats };
      this.cards.set(tensor.name, card);
    }
    return card;
  }
}
