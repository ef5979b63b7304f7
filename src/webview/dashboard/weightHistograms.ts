// Per-tensor histograms with a scrubber over frames: Tensor Lens' own runs have one frame per epoch
// (0 = the initial weights), a Keras run one per snapshot its writer took. The scrubber follows the
// newest frame until the user moves it back; which of a frame's tensors are drawn may be narrowed.
import { formatNumber, formatShape } from '../../shared/format';
import type { Histogram } from '../../shared/protocol';
import { h } from '../common/dom';
import { canvasSize, drawHistogram } from '../common/histogram';
import type { Palette } from '../common/theme';
import { t } from '../common/strings';

/** A tensor as a histogram card draws it (a TensorSummary is one); a null statistic: no finite value. */
export interface HistogramTensor {
  name: string;
  shape: readonly number[];
  stats: { min: number | null; max: number | null; mean: number | null; std: number | null };
  histogram: Histogram;
}

/** One position of the scrubber; a hole (null, undefined) is a frame not there (yet). */
export interface HistogramFrame {
  tensors: readonly HistogramTensor[];
}

export type HistogramFrames = readonly (HistogramFrame | null | undefined)[];

/** The frame to show: the chosen one if it exists, else the newest (null when none yet). */
export function shownFrame(frames: HistogramFrames, chosen: number | null): number | null {
  let newest: number | null = null;
  frames.forEach((frame, i) => {
    if (frame) newest = i;
  });
  return chosen !== null && frames[chosen] ? chosen : newest;
}

const figure = (value: number | null) => (value === null ? '—' : formatNumber(value));

export function statsLine(t: HistogramTensor): string {
  const s = t.stats;
  return `mean ${figure(s.mean)} · std ${figure(s.std)} · min ${figure(s.min)} · max ${figure(s.max)}`;
}

export class WeightHistograms {
  /** Chosen frame, or null to follow the newest. */
  chosen: number | null;
  /** Which of a frame's tensors are drawn (all unless narrowed); the others' cards are hidden. */
  pick: (tensors: readonly HistogramTensor[]) => readonly HistogramTensor[] = (tensors) => tensors;
  private readonly cards = new Map<string, { figure: HTMLElement; canvas: HTMLCanvasElement; stats: HTMLElement }>();
  /** The frame whose histograms are drawn, and the tensors drawn of it. */
  private drawn: { frame: HistogramFrame; tensors: readonly HistogramTensor[] } | null = null;

  /** `describe`: the scrubber's words for a frame (null: there is none yet). */
  constructor(
    private readonly scrubber: HTMLInputElement,
    private readonly label: HTMLElement,
    private readonly grid: HTMLElement,
    chosen: number | null,
    private readonly onChoose: (frame: number | null) => void,
    private readonly describe: (frame: number | null) => string,
  ) {
    this.chosen = chosen;
    scrubber.addEventListener('input', () => {
      const value = Number(scrubber.value);
      this.chosen = value === Number(scrubber.max) ? null : value;
      this.onChoose(this.chosen);
    });
  }

  /** Scrubber and label always; the histograms of the shown frame only when `draw` (the section is
   *  on screen) and they changed (or `force`, a new theme or another pick). */
  render(frames: HistogramFrames, palette: Palette, draw: boolean, force = false): void {
    const index = shownFrame(frames, this.chosen);
    this.scrubber.max = String(Math.max(0, frames.length - 1));
    this.scrubber.disabled = index === null;
    this.scrubber.value = String(index ?? 0);
    const label = this.describe(index);
    if (this.label.textContent !== label) {
      this.label.textContent = label;
      this.scrubber.setAttribute('aria-valuetext', label);
    }
    if (force) this.drawn = null;
    const frame = index === null ? null : frames[index];
    if (!frame || !draw || frame === this.drawn?.frame) return;
    const tensors = this.pick(frame.tensors);
    this.drawn = { frame, tensors };
    const shown = new Set(tensors.map((tensor) => tensor.name));
    for (const [name, card] of this.cards) card.figure.hidden = !shown.has(name);
    const cards = tensors.map((tensor) => this.card(tensor));
    // All sizes first, then all drawing: one layout, not one per canvas.
    const sizes = cards.map((card) => canvasSize(card.canvas));
    tensors.forEach((tensor, i) => {
      cards[i].stats.textContent = statsLine(tensor);
      // Weights are bell-shaped: linear heights show their spread as it is.
      drawHistogram(cards[i].canvas, tensor.histogram, palette, { size: sizes[i], scale: 'linear' });
    });
  }

  /** Every card gone (another run): the next render makes the ones it needs. */
  reset(): void {
    for (const card of this.cards.values()) card.figure.remove();
    this.cards.clear();
    this.drawn = null;
  }

  private card(tensor: HistogramTensor): { figure: HTMLElement; canvas: HTMLCanvasElement; stats: HTMLElement } {
    let card = this.cards.get(tensor.name);
    if (!card) {
      const canvas = h('canvas', {
        class: 'histogram',
        role: 'img',
        'aria-label': t('dashboard.histogramAria', tensor.name),
      });
      const stats = h('div', { class: 'stats' });
      const figure = h(
        'figure',
        { class: 'histogram-card', 'data-tensor': tensor.name },
        h('figcaption', {}, `${tensor.name} ${formatShape(tensor.shape)}`),
        canvas,
        stats,
      );
      this.grid.append(figure);
      card = { figure, canvas, stats };
      this.cards.set(tensor.name, card);
    }
    card.figure.hidden = false;
    return card;
  }
}
