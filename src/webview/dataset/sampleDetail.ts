// The dataset inspector's detail pane: one sample large, its 28×28 values as a table, and what the
// model read (after an evaluation).
import type { Split } from '../../shared/webviewProtocol';
import { drawDigit } from '../common/canvas';
import { h } from '../common/dom';
import type { Palette } from '../common/theme';
import { MNIST_PIXELS, MNIST_SIDE } from '../../shared/mnist';
import { t } from '../common/strings';

/** What the pane says before a sample is chosen. */
export function detailHint(): string {
  return t('dataset.clickHint', MNIST_PIXELS);
}

export interface SampleDetail {
  split: Split;
  index: number;
  label: number;
  /** The model's reading of a test sample after an evaluation, else undefined. */
  predicted: number | undefined;
  /** null while the sample's page is on its way. */
  pixels: Uint8Array | null;
}

/** The pane's children for one sample; `explain` (test mistakes) opens the mistake explained. */
export function sampleDetailNodes(sample: SampleDetail, palette: Palette, explain?: (index: number) => void): Node[] {
  const { split, index, label, predicted, pixels } = sample;
  const heading = h('h2', {}, `${split} #${index}: label `, h('strong', { id: 'sample-label' }, String(label)));
  const verdict =
    predicted === undefined
      ? []
      : [
          h(
            'p',
            { class: predicted === label ? 'muted' : 'error' },
            predicted === label ? t('dataset.alsoReads', predicted) : `${t('dataset.mistake', predicted)} `,
            ...(predicted !== label && explain ? [explainButton(index, explain)] : []),
          ),
        ];
  if (!pixels) return [heading, ...verdict, h('p', { class: 'muted' }, t('dataset.loading'))];
  const big = h('canvas', { class: 'detail-image', role: 'img', 'aria-label': t('dataset.sampleAria', index, label) });
  drawDigit(big, pixels, palette);
  return [heading, ...verdict, big, pixelTable(pixels)];
}

function pixelTable(pixels: Uint8Array): HTMLTableElement {
  const rows = [];
  for (let r = 0; r < MNIST_SIDE; r++) {
    const cells = [];
    for (let c = 0; c < MNIST_SIDE; c++) {
      const v = pixels[r * MNIST_SIDE + c];
      cells.push(h('td', v > 0 ? { class: v > 127 ? 'ink strong' : 'ink' } : {}, String(v)));
    }
    rows.push(h('tr', {}, ...cells));
  }
  return h(
    'table',
    { class: 'pixel-table', 'aria-label': t('dataset.pixelTableAria', MNIST_SIDE) },
    h('tbody', {}, ...rows),
  );
}

function explainButton(index: number, explain: (index: number) => void): HTMLElement {
  const button = h(
    'button',
    { id: 'explain-mistake', type: 'button', class: 'explain-mistake', 'aria-label': t('dataset.explainAria') },
    t('dataset.explain'),
  );
  button.addEventListener('click', () => explain(index));
  return button;
}
