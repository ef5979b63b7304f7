// Dataset inspector: all 70,000 MNIST samples in a virtualised grid (only visible rows exist),
// filtered by label, with a sample's 28×28 values and, after evaluation, the model's mistakes.
import type { HostToWebview, Split } from '../../shared/webviewProtocol';
import { formatCount } from '../../shared/format';
import { drawDigit } from '../common/canvas';
import { h } from '../common/dom';
import { frameScheduler } from '../common/frame';
import { type PanelHost, connectToHost } from '../common/host';
import { RunStateStore } from '../common/runStateStore';
import { type Palette, onThemeChange, readPalette } from '../common/theme';
import { SampleCache } from './sampleCache';
import { detailHint, sampleDetailNodes } from './sampleDetail';
import { t } from '../common/strings';
import {
  type LabelFilter,
  filteredIndices,
  gridColumns,
  parseLabelFilter,
  totalRows,
  visibleRange,
} from './virtualGrid';
import { MNIST_SIDE } from '../../shared/mnist';

interface DatasetViewState {
  split: Split;
  filter: LabelFilter;
  scrollTop: number;
  selected: number | null;
}

type Info = Extract<HostToWebview, { type: 'datasetInfo' }>;
type Tile = { el: HTMLElement; canvas: HTMLCanvasElement; drawn: boolean };

const CELL = 64;
/** The grid's height before it is laid out (a hidden panel measures 0): a few rows' worth. */
const UNMEASURED_HEIGHT = 600;

export class DatasetView {
  private readonly store = new RunStateStore();
  private readonly host: PanelHost<DatasetViewState>;
  private readonly saved: Partial<DatasetViewState>;
  private readonly cache = new SampleCache();
  private readonly shown = new Map<number, Tile>();
  private palette: Palette = readPalette();
  private info: Info | null = null;
  private split: Split;
  private filter: LabelFilter;
  private selected: number | null;
  private indices: Int32Array = new Int32Array(0);
  private readonly el = datasetLayout();
  // Scrolling and resizing redraw once per frame (and outside the ResizeObserver callback, whose
  // layout changes would otherwise loop).
  private readonly scheduleGrid = frameScheduler(() => this.renderGrid());

  constructor(root: HTMLElement) {
    root.replaceChildren(this.el.toolbar, this.el.body);
    this.host = connectToHost<DatasetViewState>((message) => this.receive(message));
    this.saved = this.host.viewState();
    this.split = this.saved.split ?? 'train';
    this.filter = this.saved.filter ?? 'all';
    this.selected = this.saved.selected ?? null;
    this.listen();
  }

  private receive(message: HostToWebview): void {
    if (this.store.apply(message)) return;
    if (message.type === 'datasetInfo') {
      this.info = message;
      this.refilter(false);
    } else if (message.type === 'samples') {
      this.cache.store(message.split, message.start, message.images);
      if (message.split === this.split) {
        this.renderGrid();
        const selected = this.selected;
        if (selected !== null && selected >= message.start && selected < message.start + message.count)
          this.renderDetail();
      }
    }
  }

  private predictions(): Uint8Array | null {
    return this.split === 'test' ? (this.info?.testPredictions ?? null) : null;
  }

  private fillLabelFilter(): void {
    if (!this.info) return;
    const labels = this.info.labels[this.split];
    const counts = new Array<number>(10).fill(0);
    for (const l of labels) counts[l]++;
    const options = [h('vscode-option', { value: 'all' }, `all (${formatCount(labels.length)})`)];
    for (let d = 0; d < 10; d++)
      options.push(h('vscode-option', { value: String(d) }, `${d} (${formatCount(counts[d])})`));
    const p = this.predictions();
    if (p)
      options.push(
        h(
          'vscode-option',
          { value: 'mistakes' },
          `mistakes (${formatCount(filteredIndices(labels, 'mistakes', p).length)})`,
        ),
      );
    this.el.labelFilter.replaceChildren(...options);
    this.el.labelFilter.value = String(this.filter);
  }

  /** Recomputes the filtered list for the split and filter; keeps the scroll position on restore. */
  private refilter(resetScroll: boolean): void {
    const info = this.info;
    if (!info) return;
    if (this.filter === 'mistakes' && !this.predictions()) this.filter = 'all';
    this.el.splitSwitch.value = this.split;
    this.fillLabelFilter();
    this.indices = filteredIndices(info.labels[this.split], this.filter, this.predictions());
    for (const tile of this.shown.values()) tile.el.remove();
    this.shown.clear();
    this.el.grid.scrollTop = resetScroll ? 0 : (this.saved.scrollTop ?? 0);
    this.el.count.textContent = t(
      'dataset.count',
      formatCount(this.indices.length),
      formatCount(info.counts[this.split]),
      t(this.split === 'train' ? 'dataset.train' : 'dataset.test'),
    );
    this.host.saveViewState({ split: this.split, filter: this.filter });
    this.renderGrid();
    this.renderDetail();
  }

  private renderGrid(): void {
    const info = this.info;
    if (!info) return;
    const { indices, shown, split } = this;
    const { grid, spacer } = this.el;
    const columns = gridColumns(grid.clientWidth, CELL);
    spacer.style.height = `${totalRows(indices.length, columns) * CELL}px`;
    const range = visibleRange(grid.scrollTop, grid.clientHeight || UNMEASURED_HEIGHT, CELL, columns, indices.length);
    const visible = new Set<number>();
    for (let pos = range.first; pos < range.end; pos++) visible.add(indices[pos]);
    for (const [index, tile] of shown) {
      if (!visible.has(index)) {
        tile.el.remove();
        shown.delete(index);
      }
    }
    const labels = info.labels[split];
    const p = this.predictions();
    for (let pos = range.first; pos < range.end; pos++) {
      const index = indices[pos];
      let tile = shown.get(index);
      if (!tile) {
        tile = this.createTile(index, labels[index], p ? p[index] : null);
        shown.set(index, tile);
        spacer.append(tile.el);
      }
      tile.el.style.transform = `translate(${(pos % columns) * CELL}px, ${Math.floor(pos / columns) * CELL}px)`;
      tile.el.dataset.pos = String(pos);
      if (!tile.drawn) {
        const pixels = this.cache.pixels(split, index);
        if (pixels) {
          drawDigit(tile.canvas, pixels, this.palette);
          tile.drawn = true;
        }
      }
    }
    for (const page of this.cache.request(split, visible, info.counts[split]))
      this.host.post({ type: 'requestSamples', split, ...page });
  }

  private createTile(index: number, label: number, predicted: number | null): Tile {
    const canvas = h('canvas', { width: String(MNIST_SIDE), height: String(MNIST_SIDE) });
    const mistake = predicted !== null && predicted !== label;
    const name = `${this.split} sample ${index}, label ${label}${predicted === null ? '' : `, predicted ${predicted}`}`;
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
    if (index === this.selected) el.classList.add('selected');
    return { el, canvas, drawn: false };
  }

  private select(index: number): void {
    this.selected = index;
    for (const [i, tile] of this.shown) tile.el.classList.toggle('selected', i === index);
    this.host.saveViewState({ selected: index });
    this.renderDetail();
  }

  private renderDetail(): void {
    const { info, selected, split } = this;
    if (!info || selected === null || selected >= info.counts[split]) return;
    const pixels = this.cache.pixels(split, selected);
    this.el.detail.replaceChildren(
      ...sampleDetailNodes(
        {
          split,
          index: selected,
          label: info.labels[split][selected],
          predicted: this.predictions()?.[selected],
          pixels,
        },
        this.palette,
        split === 'test' ? (index) => this.host.post({ type: 'explainMistake', index }) : undefined,
      ),
    );
    if (!pixels)
      for (const page of this.cache.request(split, [selected], info.counts[split]))
        this.host.post({ type: 'requestSamples', split, ...page });
  }

  private listen(): void {
    const grid = this.el.grid;
    grid.addEventListener('scroll', () => {
      this.scheduleGrid();
      this.host.saveViewState({ scrollTop: grid.scrollTop });
    });
    grid.addEventListener('click', (event) => {
      const tile = (event.target as HTMLElement).closest<HTMLElement>('.sample');
      if (tile) this.select(Number(tile.dataset.index));
    });
    grid.addEventListener('keydown', (event) => this.onKey(event));
    this.el.splitSwitch.addEventListener('change', () => {
      const next: Split = this.el.splitSwitch.value === 'test' ? 'test' : 'train';
      if (next === this.split) return;
      this.split = next;
      this.selected = null;
      this.el.detail.replaceChildren(h('p', { class: 'muted' }, detailHint()));
      this.refilter(true);
    });
    this.el.labelFilter.addEventListener('change', () => {
      const next = parseLabelFilter(this.el.labelFilter.value);
      if (next === this.filter) return;
      this.filter = next;
      this.refilter(true);
    });
    new ResizeObserver(this.scheduleGrid).observe(grid);
    onThemeChange(() => {
      this.palette = readPalette();
      for (const tile of this.shown.values()) tile.drawn = false;
      this.renderGrid();
      this.renderDetail();
    });
  }

  /** Enter or Space shows a sample; the arrow keys move between samples, scrolling as needed. */
  private onKey(event: KeyboardEvent): void {
    const tile = (event.target as HTMLElement).closest<HTMLElement>('.sample');
    if (!tile) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.select(Number(tile.dataset.index));
      return;
    }
    const grid = this.el.grid;
    const columns = gridColumns(grid.clientWidth, CELL);
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns }[event.key];
    const next = step === undefined ? -1 : Number(tile.dataset.pos) + step;
    if (next < 0 || next >= this.indices.length) return;
    event.preventDefault();
    // Bring the row into view, draw it now, then move the focus there.
    const top = Math.floor(next / columns) * CELL;
    if (top < grid.scrollTop) grid.scrollTop = top;
    else if (top + CELL > grid.scrollTop + grid.clientHeight) grid.scrollTop = top + CELL - grid.clientHeight;
    this.renderGrid();
    this.shown.get(this.indices[next])?.el.focus();
  }
}

/** The toolbar and the grid with its detail pane, and the elements the view writes to or listens
 *  on (ids for the UI tests). */
export function datasetLayout() {
  const el = {
    splitSwitch: h(
      'vscode-single-select',
      { id: 'split-switch', 'aria-label': t('dataset.splitAria') },
      h('vscode-option', { value: 'train' }, t('dataset.train')),
      h('vscode-option', { value: 'test' }, t('dataset.test')),
    ) as HTMLElement & { value: string },
    labelFilter: h('vscode-single-select', {
      id: 'label-filter',
      'aria-label': t('dataset.labelAria'),
    }) as HTMLElement & {
      value: string;
    },
    count: h('span', { id: 'dataset-count', class: 'muted', role: 'status' }),
    spacer: h('div', { id: 'dataset-spacer', class: 'dataset-spacer' }),
    detail: h(
      'aside',
      { id: 'sample-detail', class: 'sample-detail', 'aria-live': 'polite' },
      h('p', { class: 'muted' }, detailHint()),
    ),
  };
  const grid = h(
    'div',
    { id: 'dataset-grid', class: 'dataset-grid', tabindex: '0', role: 'grid', 'aria-label': t('dataset.gridAria') },
    el.spacer,
  );
  const toolbar = h(
    'header',
    { class: 'toolbar' },
    h('label', { for: 'split-switch' }, t('dataset.split')),
    el.splitSwitch,
    h('label', { for: 'label-filter' }, t('dataset.label')),
    el.labelFilter,
    el.count,
  );
  return { ...el, grid, toolbar, body: h('div', { class: 'dataset-body' }, grid, el.detail) };
}
