// Dataset inspector: all 70,000 MNIST samples in a virtualised grid (only visible rows exist),
// filtered by label, with a sample's 28×28 values and, after evaluation, the model's mistakes.
import '../common/elements';
import type { HostToWebview, Split } from '../../shared/webviewProtocol';
import { drawDigit } from '../common/canvas';
import { byId, h } from '../common/dom';
import { formatCount } from '../common/format';
import { frameScheduler } from '../common/frame';
import { connectToHost } from '../common/host';
import { RunStateStore } from '../common/runStateStore';
import { onThemeChange, readPalette } from '../common/theme';
import { SampleCache } from './sampleCache';
import {
  type LabelFilter,
  filteredIndices,
  gridColumns,
  parseLabelFilter,
  totalRows,
  visibleRange,
} from './virtualGrid';
import { t } from '../common/strings';

interface DatasetViewState {
  split: Split;
  filter: LabelFilter;
  scrollTop: number;
  selected: number | null;
}

const CELL = 64;
type Info = Extract<HostToWebview, { type: 'datasetInfo' }>;

const store = new RunStateStore();
const host = connectToHost<DatasetViewState>(onMessage);
const saved = host.viewState();
let palette = readPalette();
let info: Info | null = null;
let split: Split = saved.split ?? 'train';
let filter: LabelFilter = saved.filter ?? 'all';
let selected: number | null = saved.selected ?? null;
let indices: Int32Array = new Int32Array(0);
const cache = new SampleCache();
const shown = new Map<number, { el: HTMLElement; canvas: HTMLCanvasElement; drawn: boolean }>();

byId('app').replaceChildren(
  h(
    'header',
    { class: 'toolbar' },
    h('label', { for: 'split-switch' }, t('dataset.split')),
    h(
      'vscode-single-select',
      { id: 'split-switch', 'aria-label': t('dataset.splitAria') },
      h('vscode-option', { value: 'train' }, t('dataset.train')),
      h('vscode-option', { value: 'test' }, t('dataset.test')),
    ),
    h('label', { for: 'label-filter' }, t('dataset.label')),
    h('vscode-single-select', { id: 'label-filter', 'aria-label': t('dataset.labelAria') }),
    h('span', { id: 'dataset-count', class: 'muted', role: 'status' }),
  ),
  h(
    'div',
    { class: 'dataset-body' },
    h(
      'div',
      {
        id: 'dataset-grid',
        class: 'dataset-grid',
        tabindex: '0',
        role: 'grid',
        'aria-label': t('dataset.gridAria'),
      },
      h('div', { id: 'dataset-spacer', class: 'dataset-spacer' }),
    ),
    h(
      'aside',
      { id: 'sample-detail', class: 'sample-detail', 'aria-live': 'polite' },
      h('p', { class: 'muted' }, t('dataset.clickHint')),
    ),
  ),
);

const grid = byId('dataset-grid');
const spacer = byId('dataset-spacer');
const splitSwitch = byId<HTMLElement & { value: string }>('split-switch');
const labelFilter = byId<HTMLElement & { value: string }>('label-filter');

function onMessage(message: HostToWebview): void {
  if (store.apply(message)) return;
  if (message.type === 'datasetInfo') {
    info = message;
    refilter(false);
  } else if (message.type === 'samples') {
    cache.store(message.split, message.start, message.images);
    if (message.split === split) {
      renderGrid();
      if (selected !== null && selected >= message.start && selected < message.start + message.count) renderDetail();
    }
  }
}

function predictions(): Uint8Array | null {
  return split === 'test' ? (info?.testPredictions ?? null) : null;
}

function fillLabelFilter(): void {
  if (!info) return;
  const labels = info.labels[split];
  const counts = new Array<number>(10).fill(0);
  for (const l of labels) counts[l]++;
  const options = [h('vscode-option', { value: 'all' }, `all (${formatCount(labels.length)})`)];
  for (let d = 0; d < 10; d++)
    options.push(h('vscode-option', { value: String(d) }, `${d} (${formatCount(counts[d])})`));
  const p = predictions();
  if (p)
    options.push(
      h(
        'vscode-option',
        { value: 'mistakes' },
        `mistakes (${formatCount(filteredIndices(labels, 'mistakes', p).length)})`,
      ),
    );
  labelFilter.replaceChildren(...options);
  labelFilter.value = String(filter);
}

/** Recomputes the filtered list for the split and filter; keeps the scroll position on restore. */
function refilter(resetScroll: boolean): void {
  if (!info) return;
  if (filter === 'mistakes' && !predictions()) filter = 'all';
  splitSwitch.value = split;
  fillLabelFilter();
  indices = filteredIndices(info.labels[split], filter, predictions());
  for (const tile of shown.values()) tile.el.remove();
  shown.clear();
  grid.scrollTop = resetScroll ? 0 : (saved.scrollTop ?? 0);
  byId('dataset-count').textContent =
    `${formatCount(indices.length)} of ${formatCount(info.counts[split])} ${split} samples`;
  host.saveViewState({ split, filter });
  renderGrid();
  renderDetail();
}

function renderGrid(): void {
  if (!info) return;
  const columns = gridColumns(grid.clientWidth, CELL);
  spacer.style.height = `${totalRows(indices.length, columns) * CELL}px`;
  const range = visibleRange(grid.scrollTop, grid.clientHeight || 600, CELL, columns, indices.length);
  const visible = new Set<number>();
  for (let pos = range.first; pos < range.end; pos++) visible.add(indices[pos]);
  for (const [index, tile] of shown) {
    if (!visible.has(index)) {
      tile.el.remove();
      shown.delete(index);
    }
  }
  const labels = info.labels[split];
  const p = predictions();
  for (let pos = range.first; pos < range.end; pos++) {
    const index = indices[pos];
    let tile = shown.get(index);
    if (!tile) {
      tile = createTile(index, labels[index], p ? p[index] : null);
      shown.set(index, tile);
      spacer.append(tile.el);
    }
    tile.el.style.transform = `translate(${(pos % columns) * CELL}px, ${Math.floor(pos / columns) * CELL}px)`;
    tile.el.dataset.pos = String(pos);
    if (!tile.drawn) {
      const pixels = cache.pixels(split, index);
      if (pixels) {
        drawDigit(tile.canvas, pixels, palette);
        tile.drawn = true;
      }
    }
  }
  for (const page of cache.request(split, visible, info.counts[split]))
    host.post({ type: 'requestSamples', split, ...page });
}

function createTile(
  index: number,
  label: number,
  predicted: number | null,
): { el: HTMLElement; canvas: HTMLCanvasElement; drawn: boolean } {
  const canvas = h('canvas', { width: '28', height: '28' });
  const mistake = predicted !== null && predicted !== label;
  const name = `${split} sample ${index}, label ${label}${predicted === null ? '' : `, predicted ${predicted}`}`;
  const el = h(
    'div',
    {
      class: mistake ? 'sample mistake' : 'sample',
      'data-index': String(index),
      'data-label': String(label),
      tabindex: '0',
      role: 'gridcell',
      'aria-label': name,
      title: name,
    },
    canvas,
    h('span', { class: 'label', 'aria-hidden': 'true' }, String(label)),
  );
  if (predicted !== null) {
    el.dataset.predicted = String(predicted);
    if (mistake) el.append(h('span', { class: 'badge' }, String(predicted)));
  }
  if (index === selected) el.classList.add('selected');
  return { el, canvas, drawn: false };
}

function select(index: number): void {
  selected = index;
  for (const [i, tile] of shown) tile.el.classList.toggle('selected', i === index);
  host.saveViewState({ selected });
  renderDetail();
}

function renderDetail(): void {
  const detail = byId('sample-detail');
  if (!info || selected === null || selected >= info.counts[split]) return;
  const label = info.labels[split][selected];
  const predicted = predictions()?.[selected];
  const pixels = cache.pixels(split, selected);
  const heading = h('h2', {}, `${split} #${selected}: label `, h('strong', { id: 'sample-label' }, String(label)));
  const verdict =
    predicted === undefined
      ? null
      : h(
          'p',
          { class: predicted === label ? 'muted' : 'error' },
          predicted === label ? t('dataset.alsoReads', predicted) : t('dataset.mistake', predicted),
        );
  if (!pixels) {
    detail.replaceChildren(heading, verdict ?? '', h('p', { class: 'muted' }, t('dataset.loading')));
    for (const page of cache.request(split, [selected], info.counts[split]))
      host.post({ type: 'requestSamples', split, ...page });
    return;
  }
  const big = h('canvas', { class: 'detail-image', role: 'img', 'aria-label': `Sample ${selected}, a ${label}` });
  drawDigit(big, pixels, palette);
  const table = h('table', { class: 'pixel-table', 'aria-label': t('dataset.pixelTableAria') });
  for (let r = 0; r < 28; r++) {
    const tr = table.insertRow();
    for (let c = 0; c < 28; c++) {
      const td = tr.insertCell();
      const v = pixels[r * 28 + c];
      td.textContent = String(v);
      if (v > 0) td.className = v > 127 ? 'ink strong' : 'ink';
    }
  }
  detail.replaceChildren(heading, verdict ?? '', big, table);
}

// Scrolling and resizing redraw once per frame (and outside the ResizeObserver callback, whose
// layout changes would otherwise loop).
const scheduleGrid = frameScheduler(renderGrid);
grid.addEventListener('scroll', () => {
  scheduleGrid();
  host.saveViewState({ scrollTop: grid.scrollTop });
});
grid.addEventListener('click', (event) => {
  const tile = (event.target as HTMLElement).closest<HTMLElement>('.sample');
  if (tile) select(Number(tile.dataset.index));
});
grid.addEventListener('keydown', (event) => {
  const tile = (event.target as HTMLElement).closest<HTMLElement>('.sample');
  if (!tile) return;
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    select(Number(tile.dataset.index));
    return;
  }
  const columns = gridColumns(grid.clientWidth, CELL);
  const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns }[event.key];
  const next = step === undefined ? -1 : Number(tile.dataset.pos) + step;
  if (next < 0 || next >= indices.length) return;
  event.preventDefault();
  // Bring the row into view, draw it now, then move the focus there.
  const top = Math.floor(next / columns) * CELL;
  if (top < grid.scrollTop) grid.scrollTop = top;
  else if (top + CELL > grid.scrollTop + grid.clientHeight) grid.scrollTop = top + CELL - grid.clientHeight;
  renderGrid();
  shown.get(indices[next])?.el.focus();
});
splitSwitch.addEventListener('change', () => {
  const next: Split = splitSwitch.value === 'test' ? 'test' : 'train';
  if (next === split) return;
  split = next;
  selected = null;
  byId('sample-detail').replaceChildren(h('p', { class: 'muted' }, t('dataset.clickHint')));
  refilter(true);
});
labelFilter.addEventListener('change', () => {
  const next = parseLabelFilter(labelFilter.value);
  if (next === filter) return;
  filter = next;
  refilter(true);
});
new ResizeObserver(scheduleGrid).observe(grid);
onThemeChange(() => {
  palette = readPalette();
  for (const tile of shown.values()) tile.drawn = false;
  renderGrid();
  renderDetail();
});
