// Tensor inspector: a 2-D tensor (or one slice of a rank-3 one) as a heatmap with the value under
// the pointer or keyboard cursor, its histogram, and for a first-layer kernel every hidden unit's
// 784 weights as a 28×28 image.
import type { HostToWebview, TensorView } from '../../shared/webviewProtocol';
import { cellAt, putPixels } from '../common/canvas';
import { byId, h } from '../common/dom';
import { formatCount, formatValue } from '../common/format';
import { drawHistogram } from '../common/histogram';
import { connectToHost } from '../common/host';
import { RunStateStore } from '../common/runStateStore';
import { absMax, paint } from '../common/scales';
import { onThemeChange, readPalette } from '../common/theme';
import {
  cellSize,
  hasPixelRows,
  kernelColumn,
  matrixDims,
  moveCursor,
  scaleFor,
  tensorTitle,
  valueAt,
} from './tensorMath';
import { t } from '../common/strings';

interface TensorViewState {
  cursor: [number, number];
}

const store = new RunStateStore();
const host = connectToHost<TensorViewState>(onMessage);
let palette = readPalette();
let tensor: TensorView | null = null;
let cursor: [number, number] = host.viewState().cursor ?? [0, 0];

byId('app').replaceChildren(
  h('h1', { id: 'tensor-title' }, t('tensor.waiting')),
  h('p', { id: 'tensor-stats', class: 'stats' }),
  h(
    'div',
    { id: 'slice-row', class: 'slice-row', hidden: '' },
    h('label', { for: 'slice-picker' }, `${t('tensor.slice')} `),
    h('input', { id: 'slice-picker', type: 'number', min: '0', value: '0', 'aria-label': t('tensor.sliceAria') }),
    h('span', { id: 'slice-range', class: 'muted' }),
  ),
  h(
    'section',
    { id: 'unit-filters-section', class: 'card', 'aria-labelledby': 'unit-filters-title', hidden: '' },
    h('h2', { id: 'unit-filters-title' }, t('tensor.unitFilters')),
    h('p', { class: 'muted' }, t('tensor.unitFiltersHelp')),
    h('div', { id: 'unit-filters', class: 'unit-filters' }),
  ),
  h(
    'section',
    { class: 'card heatmap-card', 'aria-label': t('tensor.heatmap') },
    h('p', { id: 'value-under-pointer', class: 'readout', 'aria-live': 'polite' }, t('tensor.pointHint')),
    h(
      'div',
      { class: 'heatmap-wrap' },
      h('canvas', {
        id: 'tensor-heatmap',
        class: 'pixelated',
        tabindex: '0',
        role: 'img',
        'aria-label': t('tensor.heatmapAria'),
      }),
      h('div', { id: 'heatmap-cursor', class: 'heatmap-cursor' }),
    ),
  ),
  h(
    'section',
    { class: 'card', 'aria-labelledby': 'histogram-title' },
    h('h2', { id: 'histogram-title' }, t('tensor.histogram')),
    h('canvas', {
      id: 'tensor-histogram',
      class: 'histogram',
      role: 'img',
      'aria-label': t('tensor.histogramAria'),
    }),
    h('div', { id: 'histogram-range', class: 'stats range' }),
  ),
);

const heatmap = byId<HTMLCanvasElement>('tensor-heatmap');
const slicePicker = byId<HTMLInputElement>('slice-picker');

function onMessage(message: HostToWebview): void {
  if (store.apply(message)) return;
  if (message.type === 'tensor') {
    tensor = message.tensor;
    render();
  }
}

function render(): void {
  if (!tensor) return;
  const t = tensor;
  const [rows, cols] = matrixDims(t.shape);
  byId('tensor-title').textContent = tensorTitle(t);
  const s = t.summary.stats;
  byId('tensor-stats').textContent =
    `${formatCount(s.count)} values · mean ${formatValue(s.mean)} · std ${formatValue(s.std)} · min ${formatValue(s.min)} · max ${formatValue(s.max)} · zeros ${(s.zeroFraction * 100).toFixed(1)}%`;

  byId('slice-row').hidden = t.sliceIndex === null;
  if (t.sliceIndex !== null) {
    slicePicker.max = String(t.shape[0] - 1);
    slicePicker.value = String(t.sliceIndex);
    byId('slice-range').textContent = `of 0 – ${formatCount(t.shape[0] - 1)} (${t.name}[${t.sliceIndex}])`;
  }

  const scale = scaleFor(t.values, s.min, s.max, palette);
  putPixels(heatmap, cols, rows, paint(t.values, scale));
  const [cellWidth, cellHeight] = cellSize(
    rows,
    cols,
    Math.max(200, (heatmap.closest('.card')?.clientWidth ?? 600) - 32),
    Math.max(400, window.innerHeight - 120),
  );
  heatmap.style.width = `${cols * cellWidth}px`;
  heatmap.style.height = `${rows * cellHeight}px`;
  cursor = [Math.min(cursor[0], rows - 1), Math.min(cursor[1], cols - 1)];
  showCursor(false);

  drawHistogram(byId<HTMLCanvasElement>('tensor-histogram'), t.summary.histogram, palette);
  byId('histogram-range').textContent =
    `${formatValue(t.summary.histogram.min)} … ${formatValue(t.summary.histogram.max)} (${t.summary.histogram.counts.length} bins)`;
  renderUnitFilters(t, rows, cols);
}

function renderUnitFilters(t: TensorView, rows: number, cols: number): void {
  const section = byId('unit-filters-section');
  const grid = byId('unit-filters');
  section.hidden = !hasPixelRows(t);
  grid.replaceChildren();
  if (section.hidden) return;
  for (let unit = 0; unit < cols; unit++) {
    const column = kernelColumn(t.values, rows, cols, unit);
    const canvas = h('canvas', {
      class: 'unit-filter',
      role: 'img',
      'aria-label': `Weights into hidden unit ${unit}`,
      title: `unit ${unit}`,
    });
    putPixels(
      canvas,
      28,
      28,
      paint(column, {
        kind: 'diverging',
        limit: absMax(column),
        negative: palette.negative,
        zero: palette.background,
        positive: palette.positive,
      }),
    );
    grid.append(canvas);
  }
}

/** Shows the cursor cell and its value; from the keyboard the readout follows the cursor. */
function showCursor(announce: boolean): void {
  if (!tensor) return;
  const [rows, cols] = matrixDims(tensor.shape);
  const box = byId('heatmap-cursor');
  const w = heatmap.clientWidth / cols;
  const hgt = heatmap.clientHeight / rows;
  box.style.left = `${cursor[1] * w}px`;
  box.style.top = `${cursor[0] * hgt}px`;
  box.style.width = `${Math.max(2, w)}px`;
  box.style.height = `${Math.max(2, hgt)}px`;
  if (announce) readout(cursor[0], cursor[1]);
}

function readout(row: number, col: number): void {
  if (!tensor) return;
  const [, cols] = matrixDims(tensor.shape);
  const index = tensor.sliceIndex === null ? '' : `${tensor.sliceIndex}, `;
  byId('value-under-pointer').textContent =
    `${tensor.name}[${index}${row}, ${col}] = ${formatValue(valueAt(tensor.values, cols, row, col))}`;
}

heatmap.addEventListener('pointermove', (event) => {
  if (!tensor) return;
  const [rows, cols] = matrixDims(tensor.shape);
  const rect = heatmap.getBoundingClientRect();
  const cell = cellAt(event.clientX - rect.left, event.clientY - rect.top, rect.width, rect.height, rows, cols);
  if (cell) readout(cell[0], cell[1]);
});
heatmap.addEventListener('click', (event) => {
  if (!tensor) return;
  const [rows, cols] = matrixDims(tensor.shape);
  const rect = heatmap.getBoundingClientRect();
  const cell = cellAt(event.clientX - rect.left, event.clientY - rect.top, rect.width, rect.height, rows, cols);
  if (!cell) return;
  cursor = cell;
  showCursor(true);
  host.saveViewState({ cursor });
});
heatmap.addEventListener('keydown', (event) => {
  if (!tensor) return;
  const [rows, cols] = matrixDims(tensor.shape);
  const next = moveCursor(cursor, event.key, rows, cols);
  if (!next) return;
  event.preventDefault();
  cursor = next;
  showCursor(true);
  host.saveViewState({ cursor });
});
heatmap.addEventListener('focus', () => showCursor(true));

slicePicker.addEventListener('change', () => {
  if (!tensor) return;
  const index = Math.round(Number(slicePicker.value));
  if (!Number.isFinite(index) || index < 0 || index >= tensor.shape[0]) {
    slicePicker.value = String(tensor.sliceIndex ?? 0);
    return;
  }
  host.post({ type: 'requestTensor', name: tensor.name, sliceIndex: index });
});

onThemeChange(() => {
  palette = readPalette();
  render();
});
