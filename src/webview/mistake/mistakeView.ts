// Mistake panel: one misread test digit, its probabilities, its nearest training digits and the
// hidden units that favoured the wrong answer.
import { MNIST_SIDE } from '../../shared/mnist';
import { formatNumber, formatPercent } from '../../shared/format';
import type { SavedPanelState } from '../../shared/panelState';
import type { HostToWebview, MistakePayload } from '../../shared/webviewProtocol';
import { drawDigit, putUnitWeights } from '../common/canvas';
import { h } from '../common/dom';
import { type PanelHost, connectToHost } from '../common/host';
import { probabilityRow } from '../common/probabilityRow';
import { type Palette, onThemeChange, readPalette } from '../common/theme';
import { t } from '../common/strings';

export class MistakeView {
  private palette: Palette = readPalette();
  private shown: MistakePayload | null = null;
  private readonly el = mistakeLayout();
  private readonly host: PanelHost<SavedPanelState<'mistake'>>;

  constructor(root: HTMLElement) {
    root.replaceChildren(this.el.waiting, this.el.content);
    this.host = connectToHost<SavedPanelState<'mistake'>>((message) => this.receive(message));
    onThemeChange(() => {
      this.palette = readPalette();
      this.render();
    });
  }

  private receive(message: HostToWebview): void {
    if (message.type !== 'mistake') return;
    this.shown = message.mistake;
    // What a reload brings back (the host explains the same test digit again).
    this.host.saveViewState({ shows: { index: message.mistake.index } });
    this.render();
  }

  private render(): void {
    const { el, palette } = this;
    const m = this.shown;
    if (!m) return;
    el.waiting.hidden = true;
    el.content.hidden = false;
    document.body.dataset.index = String(m.index);
    el.title.textContent = title(m);
    el.digit.setAttribute('aria-label', title(m));
    drawDigit(el.digit, m.image, palette);
    el.bars.replaceChildren(
      ...m.probabilities.map((p, d) =>
        probabilityRow(d, p, formatPercent(p, 1), d === m.predicted ? 'predicted' : d === m.label ? 'actual' : ''),
      ),
    );
    el.nearest.replaceChildren(
      ...m.nearest.map((n) => {
        const canvas = h('canvas', { role: 'img', 'aria-label': t('mistake.neighbourAria', n.index, n.label) });
        drawDigit(canvas, n.image, palette);
        return h(
          'figure',
          { class: 'digit-tile', 'data-label': String(n.label) },
          canvas,
          h('figcaption', {}, t('mistake.neighbour', n.label, formatNumber(n.distance))),
        );
      }),
    );
    el.unitsCaption.textContent =
      m.units.length > 0 ? t('mistake.unitsCaption', m.predicted, m.label, MNIST_SIDE) : t('mistake.noUnits');
    el.units.replaceChildren(
      ...m.units.map((u) => {
        const canvas = h('canvas', { class: 'unit-image', role: 'img', 'aria-label': t('mistake.unitAria', u.unit) });
        putUnitWeights(canvas, u.weights, palette);
        return h(
          'figure',
          { class: 'unit-tile', 'data-unit': String(u.unit) },
          canvas,
          h('figcaption', {}, t('mistake.unit', u.unit, formatNumber(u.push))),
        );
      }),
    );
  }
}

function title(m: MistakePayload): string {
  return m.label === m.predicted
    ? t('mistake.titleCorrect', m.index, m.label)
    : t('mistake.title', m.index, m.label, m.predicted);
}

/** The panel's waiting line and content, and the elements the view writes to (ids for the UI tests). */
export function mistakeLayout() {
  const el = {
    waiting: h('p', { id: 'mistake-waiting', class: 'muted' }, t('mistake.waiting')),
    title: h('h1', { id: 'mistake-title' }),
    digit: h('canvas', { id: 'mistake-digit', class: 'mistake-digit pixelated', role: 'img' }),
    bars: h('div', { id: 'mistake-bars' }),
    nearest: h('div', { id: 'mistake-nearest', class: 'tiles' }),
    unitsCaption: h('p', { id: 'mistake-units-caption', class: 'muted' }),
    units: h('div', { id: 'mistake-units', class: 'tiles' }),
  };
  const content = h(
    'div',
    { id: 'mistake-content', hidden: '' },
    el.title,
    h(
      'div',
      { class: 'mistake-row' },
      el.digit,
      h('section', { class: 'card mistake-probabilities' }, h('h2', {}, t('mistake.probabilitiesTitle')), el.bars),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('mistake.nearestTitle')),
      h('p', { class: 'muted' }, t('mistake.nearestCaption')),
      el.nearest,
    ),
    h('section', { class: 'card' }, h('h2', {}, t('mistake.unitsTitle')), el.unitsCaption, el.units),
  );
  return { ...el, content };
}
