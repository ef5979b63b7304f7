// The "One training step" card: the batch a Step trained (its digits and labels), the loss of that
// batch before and after the update, and per weight the gradient and update sizes with buttons that
// open the full tensors in the inspector.
import type { StepReport, TensorStats } from '../../shared/protocol';
import type { WebviewToHost } from '../../shared/webviewProtocol';
import { formatCount, formatNumber, formatPercent } from '../../shared/format';
import { MNIST_SIDE } from '../../shared/mnist';
import { putPixels } from '../common/canvas';
import { button, h } from '../common/dom';
import { paint } from '../common/scales';
import type { Palette } from '../common/theme';
import { t } from '../common/strings';
import type { WebviewStringKey } from '../../shared/webviewStrings';

const COLUMNS: readonly WebviewStringKey[] = [
  'step.colWeight',
  'step.colGradient',
  'step.colUpdate',
  'step.colRelative',
  'step.colInspect',
];
/** Digits per row of the batch mosaic: 128 digits make 8 rows. */
export const MOSAIC_COLUMNS = 16;

/** `count` 28×28 digits laid out `columns` to a row, as one (rows·28)×(columns·28) image (row-major). */
export function digitMosaic(
  images: Uint8Array,
  count: number,
  columns: number,
): { width: number; height: number; pixels: Uint8Array } {
  const rows = Math.ceil(count / columns);
  const width = columns * MNIST_SIDE;
  const height = rows * MNIST_SIDE;
  const pixels = new Uint8Array(width * height);
  for (let d = 0; d < count; d++) {
    const left = (d % columns) * MNIST_SIDE;
    const top = Math.floor(d / columns) * MNIST_SIDE;
    for (let y = 0; y < MNIST_SIDE; y++) {
      const from = d * MNIST_SIDE * MNIST_SIDE + y * MNIST_SIDE;
      pixels.set(images.subarray(from, from + MNIST_SIDE), (top + y) * width + left);
    }
  }
  return { width, height, pixels };
}

/** The Frobenius (L2) norm of a tensor from its stats: √(n·(std² + mean²)). */
export function l2Norm(stats: Pick<TensorStats, 'count' | 'mean' | 'std'>): number {
  return Math.sqrt(stats.count * (stats.std * stats.std + stats.mean * stats.mean));
}

export class StepCard {
  private shown: StepReport | null = null;
  private readonly mosaic: HTMLCanvasElement;

  constructor(
    private readonly card: HTMLElement,
    private readonly post: (message: WebviewToHost) => void,
  ) {
    this.mosaic = card.querySelector<HTMLCanvasElement>('#step-digits') as HTMLCanvasElement;
  }

  /** Renders a new report (or hides the card); a repeated report is left as it is. */
  show(report: StepReport | null, palette: Palette): void {
    if (report === this.shown) return;
    this.shown = report;
    this.card.hidden = report === null;
    if (!report) return;
    const count = report.labels.length;
    text(this.card, '#step-where', stepWhereWords(report));
    text(this.card, '#step-loss', t('step.loss', formatNumber(report.lossBefore), formatNumber(report.lossAfter)));
    text(
      this.card,
      '#step-accuracy',
      t('step.accuracy', formatPercent(report.accuracyBefore, 1), formatPercent(report.accuracyAfter, 1)),
    );
    text(this.card, '#step-batch-caption', t('step.batchCaption', count));
    text(this.card, '#step-labels', chunk(Array.from(report.labels), MOSAIC_COLUMNS).join('\n'));
    this.mosaic.setAttribute('aria-label', t('step.digitsAria', count));
    this.card.dataset.step = String(report.step);
    this.redraw(palette);
    this.renderTable(report);
  }

  redraw(palette: Palette): void {
    const report = this.shown;
    if (!report) return;
    const { width, height, pixels } = digitMosaic(report.images, report.labels.length, MOSAIC_COLUMNS);
    putPixels(
      this.mosaic,
      width,
      height,
      paint(pixels, { kind: 'sequential', min: 0, max: 255, low: palette.background, high: palette.foreground }),
    );
  }

  private renderTable(report: StepReport): void {
    const table = this.card.querySelector('#step-tensors') as HTMLTableElement;
    const open = (name: string, label: string) => {
      const openButton = button(label, t('step.openAria', name), { 'data-tensor': name });
      openButton.addEventListener('click', () => this.post({ type: 'openTensor', name }));
      return openButton;
    };
    table.replaceChildren(
      h('caption', {}, t('step.tableCaption')),
      h('tr', {}, ...COLUMNS.map((c) => h('th', {}, t(c)))),
      ...report.tensors.map((tensor) =>
        h(
          'tr',
          { 'data-weight': tensor.weight },
          h('th', { scope: 'row' }, tensor.weight),
          h('td', { class: 'number' }, formatNumber(l2Norm(tensor.gradient.stats))),
          h('td', { class: 'number' }, formatNumber(l2Norm(tensor.update.stats))),
          h(
            'td',
            { class: 'number update-ratio' },
            tensor.updateRatio === null ? t('step.updateRatioUnknown') : formatNumber(tensor.updateRatio),
          ),
          h(
            'td',
            { class: 'open-buttons' },
            open(tensor.gradient.name, t('step.openGradient')),
            open(tensor.update.name, t('step.openUpdate')),
          ),
        ),
      ),
    );
  }
}

function text(root: HTMLElement, selector: string, value: string): void {
  const element = root.querySelector<HTMLElement>(selector);
  if (element) element.textContent = value;
}

function chunk<T>(items: T[], size: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += size) lines.push(items.slice(i, i + size).join(' '));
  return lines;
}

/** The card's static layout (ids the view and the UI tests use). */
export function stepCardLayout(): HTMLElement {
  return h(
    'section',
    { id: 'step-card', class: 'card', 'aria-labelledby': 'step-title', hidden: '' },
    h('h2', { id: 'step-title' }, t('step.title')),
    h('p', { class: 'muted' }, t('step.intro')),
    h(
      'p',
      { class: 'step-facts' },
      h('span', { id: 'step-where' }),
      h('strong', { id: 'step-loss' }),
      h('span', { class: 'muted' }, t('step.lossNote')),
      h('span', { id: 'step-accuracy' }),
    ),
    h(
      'div',
      { class: 'step-batch' },
      h(
        'figure',
        {},
        h('canvas', { id: 'step-digits', class: 'pixelated step-digits', role: 'img' }),
        h('figcaption', { id: 'step-batch-caption', class: 'muted' }),
      ),
      h('pre', { id: 'step-labels', class: 'step-labels', 'aria-label': t('step.labelsAria') }),
    ),
    h('table', { id: 'step-tensors', class: 'step-tensors' }),
  );
}

/** Where the step lies in the run, its counts written as the rest of the panels write counts. */
export function stepWhereWords(report: Pick<StepReport, 'epoch' | 'batch' | 'step'>): string {
  return t('step.where', formatCount(report.epoch), formatCount(report.batch + 1), formatCount(report.step));
}
