// The gallery of misclassified test digits. Images are asked from the host one sample at a time
// (requestSamples), since the mistakes are scattered over the test set.
import type { Evaluation } from '../../shared/protocol';
import type { WebviewToHost } from '../../shared/webviewProtocol';
import { drawDigit } from '../common/canvas';
import { h } from '../common/dom';
import type { Palette } from '../common/theme';
import { t } from '../common/strings';
import { MNIST_PIXELS, MNIST_SIDE } from '../../shared/mnist';

export const GALLERY_SIZE = 48;

export class MisclassifiedGallery {
  private readonly tiles = new Map<
    number,
    { canvas: HTMLCanvasElement; caption: HTMLElement; pixels: Uint8Array | null }
  >();
  private evaluation: Evaluation | null = null;

  constructor(
    private readonly gallery: HTMLElement,
    private readonly post: (message: WebviewToHost) => void,
  ) {}

  show(evaluation: Evaluation | null, palette: Palette): void {
    if (evaluation === this.evaluation) return;
    this.evaluation = evaluation;
    this.tiles.clear();
    this.gallery.replaceChildren();
    if (!evaluation) return;
    for (const index of evaluation.misclassified.slice(0, GALLERY_SIZE)) {
      const predicted = evaluation.predictedLabels[index];
      const canvas = h('canvas', { width: String(MNIST_SIDE), height: String(MNIST_SIDE) });
      const caption = h('figcaption', {}, t('dashboard.misclassifiedCaption', index, predicted));
      this.gallery.append(
        h(
          'figure',
          {
            class: 'digit-tile',
            tabindex: '0',
            'data-index': String(index),
            'aria-label': t('dashboard.misclassifiedAria', index, predicted),
          },
          canvas,
          caption,
        ),
      );
      this.tiles.set(index, { canvas, caption, pixels: null });
      const tile = canvas.parentElement as HTMLElement;
      // Shown on hover: a tile opens its mistake explained.
      tile.title = t('dashboard.mistakeHint');
      tile.addEventListener('click', () => this.post({ type: 'explainMistake', index }));
      tile.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') this.post({ type: 'explainMistake', index });
      });
      this.post({ type: 'requestSamples', split: 'test', start: index, count: 1 });
    }
    const more = evaluation.misclassified.length - GALLERY_SIZE;
    if (more > 0) {
      this.gallery.append(h('p', { class: 'muted' }, t('dashboard.misclassifiedMore', more)));
    }
    this.redraw(palette);
  }

  /** Draws test samples that arrived; pages covering several tiles fill all of them. */
  receive(start: number, count: number, images: Uint8Array, labels: Uint8Array | undefined, palette: Palette): void {
    for (const [index, tile] of this.tiles) {
      if (index < start || index >= start + count) continue;
      const offset = (index - start) * MNIST_PIXELS;
      tile.pixels = images.slice(offset, offset + MNIST_PIXELS);
      drawDigit(tile.canvas, tile.pixels, palette);
      const label = labels?.[index - start];
      if (label !== undefined && this.evaluation) {
        const predicted = this.evaluation.predictedLabels[index];
        tile.caption.textContent = `${label} → ${predicted}`;
        tile.canvas.parentElement?.setAttribute('aria-label', `test sample ${index}: a ${label} read as ${predicted}`);
      }
    }
  }

  redraw(palette: Palette): void {
    for (const tile of this.tiles.values()) if (tile.pixels) drawDigit(tile.canvas, tile.pixels, palette);
  }
}
