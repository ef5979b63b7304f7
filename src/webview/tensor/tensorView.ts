// Tensor inspector: a tensor of any rank as a heatmap (a vector one row, a matrix as it is, one slice
// of a rank-3 tensor, one input channel of a conv kernel: src/shared/tensorSlice.ts) with the value
// under the pointer or keyboard cursor named by its full index, its histogram, and as images every
// hidden unit's 784 weights of a first-layer kernel (28×28) or every filter of a conv kernel (kh×kw).
// A Keras run's weight says which snapshot its values came from, or why none did.
import type { SavedPanelState } from '../../shared/panelState';
import type { HostToWebview, TensorPayload } from '../../shared/webviewProtocol';
import { formatCount, formatNumber } from '../../shared/format';
import { cellAt, putPixels, putUnitWeights } from '../common/canvas';
import { h } from '../common/dom';
import { drawHistogram } from '../common/histogram';
import { type PanelHost, connectToHost } from '../common/host';
import { RunStateStore } from '../common/runStateStore';
import { paint } from '../common/scales';
import { type Palette, onThemeChange, readPalette } from '../common/theme';
import { matrixDims, sliceCount, sliceLabel, tensorIndex } from '../../shared/tensorSlice';
import { cellSize, kernelColumn, moveCursor, scaleFor, tensorTitle, unitImageSize, valueAt } from './tensorMath';
import { unitImageText } from './unitImageText';
import { t } from '../common/strings';

interface TensorViewState extends SavedPanelState<'tensor'> {
  cursor: [number, number];
}

export class TensorView {
  private readonly store = new RunStateStore();
  private readonly host: PanelHost<TensorViewState>;
  private palette: Palette = readPalette();
  private tensor: TensorPayload | null = null;
  private cursor: [number, number];
  private readonly el = tensorLayout();

  constructor(root: HTMLElement) {
    root.replaceChildren(...this.el.nodes);
    this.host = connectToHost<TensorViewState>((message) => this.receive(message));
    this.cursor = this.host.viewState().cursor ?? [0, 0];
    this.listen();
  }

  private receive(message: HostToWebview): void {
    if (this.store.apply(message)) return;
    if (message.type === 'tensor') {
      this.tensor = message.tensor;
      // What a reload brings back (the host reads it again by name).
      this.host.saveViewState({ shows: { tensor: message.tensor.ref, sliceIndex: message.tensor.sliceIndex } });
      this.render();
    }
    if (message.type === 'tensorUnavailable') {
      // Said, not waited for: the panel came back on a tensor nobody can send any more.
      this.tensor = null;
      this.el.title.textContent = t('tensor.unavailable', message.name);
      this.el.stats.textContent = message.reason;
    }
  }

  private render(): void {
    if (!this.tensor) return;
    const tensor = this.tensor;
    const { palette, el } = this;
    el.title.textContent = tensorTitle(tensor);
    const s = tensor.summary.stats;
    el.stats.textContent = t(
      'tensor.stats',
      formatCount(s.count),
      formatNumber(s.mean),
      formatNumber(s.std),
      formatNumber(s.min),
      formatNumber(s.max),
      (s.zeroFraction * 100).toFixed(1),
    );
    el.source.textContent = sourceLine(tensor);
    el.source.hidden = tensor.snapshot === null;

    const slices = sliceCount(tensor.shape);
    el.sliceRow.hidden = slices === 0 || tensor.values === null;
    if (slices > 0 && tensor.sliceIndex !== null) {
      const words = sliceWords(tensor.shape);
      el.sliceLabel.textContent = `${words.label} `;
      el.slicePicker.setAttribute('aria-label', words.aria);
      el.slicePicker.max = String(slices - 1);
      el.slicePicker.value = String(tensor.sliceIndex);
      el.sliceRange.textContent = t(
        'tensor.sliceRange',
        formatCount(slices - 1),
        `${tensor.ref.name}${sliceLabel(tensor.shape, tensor.sliceIndex)}`,
      );
    }

    // Log-scaled, like the tree's tooltip: a dataset's zero bin would otherwise flatten every other.
    drawHistogram(el.histogram, tensor.summary.histogram, palette, { scale: 'log' });
    el.histogramRange.textContent = t(
      'tensor.histogramRange',
      formatNumber(tensor.summary.histogram.min),
      formatNumber(tensor.summary.histogram.max),
      tensor.summary.histogram.counts.length,
    );

    el.heatmapCard.hidden = tensor.values === null;
    if (tensor.values === null) {
      el.unitFiltersSection.hidden = true;
      el.unitFilters.replaceChildren();
      return;
    }
    const values = tensor.values;
    const heatmap = el.heatmap;
    const [rows, cols] = matrixDims(tensor.shape);
    const scale = scaleFor(values, s.min, s.max, palette);
    putPixels(heatmap, cols, rows, paint(values, scale));
    // The heatmap fills the card's width (less its padding) and most of the window's height, with a
    // floor for a panel not laid out yet.
    const [cellWidth, cellHeight] = cellSize(
      rows,
      cols,
      Math.max(200, (heatmap.closest('.card')?.clientWidth ?? 600) - 32),
      Math.max(400, window.innerHeight - 120),
    );
    heatmap.style.width = `${cols * cellWidth}px`;
    heatmap.style.height = `${rows * cellHeight}px`;
    this.cursor = [Math.min(this.cursor[0], rows - 1), Math.min(this.cursor[1], cols - 1)];
    this.showCursor(false);
    this.renderUnitImages(tensor, values, rows, cols);
  }

  /** Each drawn column as an image, when the columns are images (unitImageSize). */
  private renderUnitImages(tensor: TensorPayload, values: Float32Array, rows: number, cols: number): void {
    const { unitFiltersSection: section, unitFilters: grid } = this.el;
    const size = unitImageSize(tensor.shape);
    section.hidden = size === null;
    grid.replaceChildren();
    if (size === null) return;
    const text = unitImageText(tensor.ref.name, tensor.shape, tensor.sliceIndex);
    this.el.unitFiltersTitle.textContent = text.title;
    this.el.unitFiltersIntro.textContent = text.intro;
    const palette = this.palette;
    // The image's longer side is the grid's 56 px cell: a 1×7 filter stays a bar, not a square.
    const [height, width] = size;
    const side = 56 / Math.max(height, width);
    for (let unit = 0; unit < cols; unit++) {
      const column = kernelColumn(values, rows, cols, unit);
      const canvas = h('canvas', {
        class: 'unit-filter',
        role: 'img',
        'aria-label': text.unitLabel(unit),
        title: text.unitLabel(unit),
      });
      canvas.style.width = `${Math.round(width * side)}px`;
      canvas.style.height = `${Math.round(height * side)}px`;
      putUnitWeights(canvas, column, palette, size);
      grid.append(canvas);
    }
  }

  /** Shows the cursor cell and its value; from the keyboard the readout follows the cursor. */
  private showCursor(announce: boolean): void {
    if (!this.tensor?.values) return;
    const [rows, cols] = matrixDims(this.tensor.shape);
    const box = this.el.cursor;
    const w = this.el.heatmap.clientWidth / cols;
    const hgt = this.el.heatmap.clientHeight / rows;
    box.style.left = `${this.cursor[1] * w}px`;
    box.style.top = `${this.cursor[0] * hgt}px`;
    box.style.width = `${Math.max(2, w)}px`;
    box.style.height = `${Math.max(2, hgt)}px`;
    if (announce) this.readout(this.cursor[0], this.cursor[1]);
  }

  /** The value of drawn cell [row, col], named by its index in the whole tensor (a slice's cell too). */
  private readout(row: number, col: number): void {
    const tensor = this.tensor;
    if (!tensor?.values) return;
    const [, cols] = matrixDims(tensor.shape);
    const index = tensorIndex(tensor.shape, tensor.sliceIndex, row, col);
    const named = index.length === 0 ? tensor.ref.name : `${tensor.ref.name}[${index.join(', ')}]`;
    this.el.readout.textContent = `${named} = ${formatNumber(valueAt(tensor.values, cols, row, col))}`;
  }

  /** The heatmap cell under the pointer, if any. */
  private cellAtPointer(event: MouseEvent): [number, number] | null {
    if (!this.tensor) return null;
    const [rows, cols] = matrixDims(this.tensor.shape);
    const rect = this.el.heatmap.getBoundingClientRect();
    return cellAt(event.clientX - rect.left, event.clientY - rect.top, rect.width, rect.height, rows, cols);
  }

  private moveCursorTo(cell: [number, number]): void {
    this.cursor = cell;
    this.showCursor(true);
    this.host.saveViewState({ cursor: cell });
  }

  private listen(): void {
    const { heatmap, slicePicker } = this.el;
    heatmap.addEventListener('pointermove', (event) => {
      const cell = this.cellAtPointer(event);
      if (cell) this.readout(cell[0], cell[1]);
    });
    heatmap.addEventListener('click', (event) => {
      const cell = this.cellAtPointer(event);
      if (cell) this.moveCursorTo(cell);
    });
    heatmap.addEventListener('keydown', (event) => {
      if (!this.tensor?.values) return;
      const [rows, cols] = matrixDims(this.tensor.shape);
      const next = moveCursor(this.cursor, event.key, rows, cols);
      if (!next) return;
      event.preventDefault();
      this.moveCursorTo(next);
    });
    heatmap.addEventListener('focus', () => this.showCursor(true));

    slicePicker.addEventListener('change', () => {
      const tensor = this.tensor;
      if (!tensor) return;
      const index = Math.round(Number(slicePicker.value));
      if (!Number.isFinite(index) || index < 0 || index >= sliceCount(tensor.shape)) {
        slicePicker.value = String(tensor.sliceIndex ?? 0);
        return;
      }
      this.host.post({ type: 'requestTensor', tensor: tensor.ref, sliceIndex: index });
    });

    onThemeChange(() => {
      this.palette = readPalette();
      this.render();
    });
  }
}

/** The panel's parts in page order, and the elements the view writes to or listens on (ids for the UI tests). */
export function tensorLayout() {
  const el = {
    title: h('h1', { id: 'tensor-title' }, t('tensor.waiting')),
    stats: h('p', { id: 'tensor-stats', class: 'stats' }),
    source: h('p', { id: 'tensor-source', class: 'muted', hidden: '' }),
    sliceLabel: h('label', { id: 'slice-label', for: 'slice-picker' }, `${t('tensor.slice')} `),
    slicePicker: h('input', {
      id: 'slice-picker',
      type: 'number',
      min: '0',
      value: '0',
      'aria-label': t('tensor.sliceAria'),
    }),
    sliceRange: h('span', { id: 'slice-range', class: 'muted' }),
    unitFiltersTitle: h('h2', { id: 'unit-filters-title' }),
    unitFiltersIntro: h('p', { id: 'unit-filters-intro', class: 'muted' }),
    unitFilters: h('div', { id: 'unit-filters', class: 'unit-filters' }),
    readout: h('p', { id: 'value-under-pointer', class: 'readout', 'aria-live': 'polite' }, t('tensor.pointHint')),
    heatmap: h('canvas', {
      id: 'tensor-heatmap',
      class: 'pixelated',
      tabindex: '0',
      role: 'img',
      'aria-label': t('tensor.heatmapAria'),
    }),
    cursor: h('div', { id: 'heatmap-cursor', class: 'heatmap-cursor' }),
    histogram: h('canvas', {
      id: 'tensor-histogram',
      class: 'histogram',
      role: 'img',
      'aria-label': t('tensor.histogramAria'),
    }),
    histogramRange: h('div', { id: 'histogram-range', class: 'stats range' }),
  };
  const sliceRow = h(
    'div',
    { id: 'slice-row', class: 'slice-row', hidden: '' },
    el.sliceLabel,
    el.slicePicker,
    el.sliceRange,
  );
  const unitFiltersSection = h(
    'section',
    { id: 'unit-filters-section', class: 'card', 'aria-labelledby': 'unit-filters-title', hidden: '' },
    el.unitFiltersTitle,
    el.unitFiltersIntro,
    el.unitFilters,
  );
  const heatmapCard = h(
    'section',
    { id: 'heatmap-card', class: 'card heatmap-card', 'aria-label': t('tensor.heatmap') },
    el.readout,
    h('div', { class: 'heatmap-wrap' }, el.heatmap, el.cursor),
  );
  const nodes = [
    el.title,
    el.stats,
    el.source,
    sliceRow,
    unitFiltersSection,
    heatmapCard,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'histogram-title' },
      h('h2', { id: 'histogram-title' }, t('tensor.histogram')),
      el.histogram,
      el.histogramRange,
    ),
  ];
  return { ...el, sliceRow, unitFiltersSection, heatmapCard, nodes };
}

/** What the slice picker picks: a conv kernel's input channel, else a slice of the first axis. */
function sliceWords(shape: readonly number[]): { label: string; aria: string } {
  return shape.length === 4
    ? { label: t('tensor.inputChannel'), aria: t('tensor.inputChannelAria') }
    : { label: t('tensor.slice'), aria: t('tensor.sliceAria') };
}

/** Where a Keras weight's values came from, or why it has none, in one line; '' for Tensor Lens' own tensors. */
function sourceLine(tensor: TensorPayload): string {
  const snapshot = tensor.snapshot;
  if (snapshot === null) return '';
  const run = tensor.ref.source === 'keras' ? tensor.ref.runId : '';
  switch (snapshot.kind) {
    case 'values':
      return t('tensor.kerasSnapshot', snapshot.index, run, formatCount(snapshot.step));
    case 'tooLarge':
      return t('tensor.tooLarge', formatCount(tensor.summary.stats.count), formatCount(snapshot.limit));
    case 'notKept':
      return t('tensor.notKept', snapshot.searched);
  }
}
