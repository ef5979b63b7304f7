// The gallery of misclassified test digits. Images are asked from the host one sample at a time
// (requestSamples), since the mistakes are scattered over the test set.
import type { Evaluation } from '../../shared/protocol';
import type { WebviewToHost } from '../../shared/webviewProtocol';
import { drawDigit } from '../common/canvas';
import type { Palette } from '../common/theme';
import { t } from '../common/strings';

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
      const figure = document.createElement('figure');
      figure.className = 'digit-tile';
      figure.tabIndex = 0;
      figure.dataset.index = String(index);
      const canvas = document.createElement('canvas');
      canvas.width = 28;
      canvas.height = 28;
      const caption = document.createElement('figcaption');
      const predicted = evaluation.predictedLabels[index];
      caption.textContent = t('dashboard.misclassifiedCaption', index, predicted);
      figure.setAttribute('aria-label', `test sample ${index}, predicted ${predicted}`);
      figure.append(canvas, caption);
      this.gallery.append(figure);
      this.tiles.set(index, { canvas, caption, pixels: null });
      this.post({ type: 'requestSamples', split: 'test', start: index, count: 1 });
    }
    const more = evaluation.misclassified.length - GALLERY_SIZE;
    if (more > 0) {
      const note = document.createElement('p');
      note.className = 'muted';
      note.textContent = t('dashboard.misclassifiedMore', more);
      this.gallery.append(note);
    }
    this.redraw(palette);
  }

  /** Draws test samples that arrived; pages covering several tiles fill all of them. */
  receive(start: number, count: number, images: Uint8Array, labels: Uint8Array | undefined, palette: Palette): void {
    for (const [index, tile] of this.tiles) {
      if (index < start || index >= start + count) continue;
      const offset = (index - start) * 784;
      tile.pixels = images.slice(offset, offset + 784);
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
