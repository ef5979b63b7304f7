// Drawing pad: a 280×280 canvas; after every stroke (once per frame) the drawing goes through the
// shared MNIST preprocessing and the model's own weights, run here, so the answer, the 512 hidden
// activations and the units behind the answer follow the pen.
import { MNIST_PIXELS, MNIST_SIDE } from '../../shared/mnist';
import { type DenseForward, type DenseWeightValues, denseForward, topContributors } from '../../shared/denseForward';
import { formatNumber, formatPercent } from '../../shared/format';
import { toMnistInput } from '../../shared/preprocess';
import type { HostToWebview } from '../../shared/webviewProtocol';
import { putPixels, putUnitWeights } from '../common/canvas';
import { toCss } from '../common/color';
import { button, h } from '../common/dom';
import { frameScheduler } from '../common/frame';
import { connectToHost } from '../common/host';
import { probabilityRow } from '../common/probabilityRow';
import { paint } from '../common/scales';
import { type Palette, onThemeChange, readPalette } from '../common/theme';
import { t } from '../common/strings';

export const PAD_SIZE = 280;
const STROKE_WIDTH = 20;
const GRID_COLUMNS = 32;
const CELL = 14;
const TOP_UNITS = 6;

/** 280×280 RGBA bytes → the float RGBA image the shared preprocessing takes. */
export function rgbaImage(data: Uint8ClampedArray, width: number, height: number) {
  const rgba = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) rgba[i] = data[i] / 255;
  return { width, height, rgba };
}

export class DrawView {
  private palette: Palette = readPalette();
  private weights: DenseWeightValues | null = null;
  private readonly el = drawLayout();
  private readonly pad = this.el.pad;
  private readonly ctx: CanvasRenderingContext2D;
  private last: { x: number; y: number } | null = null;
  private readonly schedule = frameScheduler(() => this.update());

  constructor(root: HTMLElement) {
    root.replaceChildren(...this.el.nodes);
    this.pad.width = PAD_SIZE;
    this.pad.height = PAD_SIZE;
    this.ctx = this.pad.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    this.clear();
    connectToHost((message) => this.receive(message));
    this.listen();
  }

  private receive(message: HostToWebview): void {
    if (message.type !== 'drawWeights') return;
    this.weights = message.weights;
    this.el.waiting.hidden = true;
    this.schedule();
  }

  /** White ink on black, like MNIST itself, whatever the theme. */
  private clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, PAD_SIZE, PAD_SIZE);
    this.schedule();
  }

  private listen(): void {
    const point = (e: PointerEvent) => {
      const rect = this.pad.getBoundingClientRect();
      return {
        x: ((e.clientX - rect.left) / rect.width) * PAD_SIZE,
        y: ((e.clientY - rect.top) / rect.height) * PAD_SIZE,
      };
    };
    this.pad.addEventListener('pointerdown', (e) => {
      this.pad.setPointerCapture(e.pointerId);
      this.last = point(e);
      this.stroke(this.last, this.last);
    });
    this.pad.addEventListener('pointermove', (e) => {
      if (!this.last) return;
      const next = point(e);
      this.stroke(this.last, next);
      this.last = next;
    });
    const end = () => (this.last = null);
    this.pad.addEventListener('pointerup', end);
    this.pad.addEventListener('pointercancel', end);
    this.el.clear.addEventListener('click', () => this.clear());
    onThemeChange(() => {
      this.palette = readPalette();
      this.schedule();
    });
  }

  private stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const ctx = this.ctx;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = STROKE_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    this.schedule();
  }

  /** The drawing through preprocessing and the network, and everything shown from it. */
  private update(): void {
    const image = this.ctx.getImageData(0, 0, PAD_SIZE, PAD_SIZE);
    const input = toMnistInput(rgbaImage(image.data, PAD_SIZE, PAD_SIZE));
    const palette = this.palette;
    putPixels(
      this.el.input,
      MNIST_SIDE,
      MNIST_SIDE,
      paint(input, { kind: 'sequential', min: 0, max: 1, low: palette.background, high: palette.foreground }),
    );
    const weights = this.weights;
    const empty = !input.some((v) => v > 0);
    if (!weights) return;
    const result = denseForward(input, weights);
    const classes = weights.bias2.length;
    const top = empty ? [] : topContributors(result.hidden, weights.kernel2, classes, result.digit, TOP_UNITS);
    this.renderProbabilities(result, empty);
    // Without ink the units would show their biases alone, which says nothing about a drawing.
    this.renderHidden(empty ? new Float32Array(result.hidden.length) : result.hidden, new Set(top.map((t) => t.unit)));
    this.el.hiddenCaption.textContent = t(empty ? 'draw.hiddenEmpty' : 'draw.hiddenCaption');
    this.renderTopUnits(top, weights);
    document.body.dataset.digit = empty ? '' : String(result.digit);
  }

  private renderProbabilities(result: DenseForward, empty: boolean): void {
    this.el.probabilities.replaceChildren(
      ...Array.from(result.probabilities, (p, digit) =>
        empty
          ? probabilityRow(digit, 0, '')
          : probabilityRow(digit, p, formatPercent(p, 1), digit === result.digit ? 'answer' : ''),
      ),
    );
    this.el.answer.textContent = empty
      ? t('draw.nothing')
      : t('draw.answer', result.digit, formatPercent(result.probabilities[result.digit], 1));
  }

  private renderHidden(hidden: Float32Array, highlighted: Set<number>): void {
    const canvas = this.el.hidden;
    const rows = Math.ceil(hidden.length / GRID_COLUMNS);
    this.el.hiddenTitle.textContent = t('draw.hiddenTitle', hidden.length, rows, GRID_COLUMNS);
    canvas.width = GRID_COLUMNS * CELL;
    canvas.height = rows * CELL;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const max = Math.max(1e-6, ...hidden);
    const colors = paint(hidden, {
      kind: 'sequential',
      min: 0,
      max,
      low: this.palette.background,
      high: this.palette.foreground,
    });
    for (let j = 0; j < hidden.length; j++) {
      const [r, g, b] = colors.subarray(j * 4, j * 4 + 3);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect((j % GRID_COLUMNS) * CELL, Math.floor(j / GRID_COLUMNS) * CELL, CELL - 1, CELL - 1);
    }
    ctx.strokeStyle = toCss(this.palette.positive);
    ctx.lineWidth = 2;
    for (const j of highlighted)
      ctx.strokeRect((j % GRID_COLUMNS) * CELL + 1, Math.floor(j / GRID_COLUMNS) * CELL + 1, CELL - 3, CELL - 3);
  }

  private renderTopUnits(top: { unit: number; contribution: number }[], weights: DenseWeightValues): void {
    const units = weights.bias1.length;
    this.el.top.replaceChildren(
      ...top.map(({ unit, contribution }) => {
        const column = new Float32Array(MNIST_PIXELS);
        for (let i = 0; i < MNIST_PIXELS; i++) column[i] = weights.kernel1[i * units + unit];
        const canvas = h('canvas', { class: 'unit-image', role: 'img', 'aria-label': t('draw.unitAria', unit) });
        putUnitWeights(canvas, column, this.palette);
        return h(
          'figure',
          { class: 'unit-tile', 'data-unit': String(unit) },
          canvas,
          h('figcaption', {}, t('draw.unit', unit, formatNumber(contribution))),
        );
      }),
    );
  }
}

/** The panel's parts in page order, and the elements the view writes to or listens on (ids for the UI tests). */
export function drawLayout() {
  const el = {
    waiting: h('p', { id: 'draw-waiting', class: 'muted' }, t('draw.waiting')),
    pad: h('canvas', { id: 'pad', class: 'pad', role: 'img', 'aria-label': t('draw.padAria', PAD_SIZE) }),
    clear: button(t('draw.clear'), t('draw.clearAria'), { id: 'draw-clear' }),
    input: h('canvas', {
      id: 'draw-input',
      class: 'pixelated draw-input',
      role: 'img',
      'aria-label': t('draw.inputTitle'),
    }),
    answer: h('span', { id: 'draw-answer' }, t('draw.nothing')),
    probabilities: h('div', { id: 'draw-probabilities', class: 'bars', role: 'list' }),
    hiddenTitle: h('h2', { id: 'draw-hidden-title' }, t('draw.hiddenUnits')),
    hidden: h('canvas', { id: 'draw-hidden', class: 'draw-hidden', role: 'img', 'aria-label': t('draw.hiddenUnits') }),
    hiddenCaption: h('p', { id: 'draw-hidden-caption', class: 'muted' }, t('draw.hiddenCaption')),
    top: h('div', { id: 'draw-top', class: 'tiles' }),
  };
  const nodes = [
    h('h1', {}, t('draw.title')),
    h('p', { class: 'muted' }, t('draw.intro', MNIST_SIDE)),
    el.waiting,
    h(
      'div',
      { class: 'draw-row' },
      h('section', { class: 'card pad-card' }, el.pad, el.clear),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, t('draw.inputTitle')),
        el.input,
        h('p', { class: 'muted' }, t('draw.inputCaption', MNIST_SIDE)),
      ),
      h(
        'section',
        { class: 'card probabilities-card' },
        h('h2', {}, t('draw.probabilitiesTitle'), ': ', el.answer),
        el.probabilities,
      ),
    ),
    h('section', { class: 'card' }, el.hiddenTitle, el.hidden, el.hiddenCaption),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('draw.topTitle')),
      h('p', { class: 'muted' }, t('draw.topCaption', MNIST_PIXELS, MNIST_SIDE)),
      el.top,
    ),
  ];
  return { ...el, nodes };
}
