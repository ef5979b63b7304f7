// Mistake panel: one misread test digit, its probabilities, its nearest training digits and the
// hidden units that favoured the wrong answer.
import { MNIST_SIDE } from '../../shared/mnist';
import { formatNumber, formatPercent } from '../../shared/format';
import type { HostToWebview, MistakePayload } from '../../shared/webviewProtocol';
import { drawDigit, putUnitWeights } from '../common/canvas';
import { byId, h } from '../common/dom';
import { connectToHost } from '../common/host';
import { probabilityRow } from '../common/probabilityRow';
import { onThemeChange, readPalette } from '../common/theme';
import { t } from '../common/strings';

let palette = readPalette();
let shown: MistakePayload | null = null;

byId('app').replaceChildren(
  h('p', { id: 'mistake-waiting', class: 'muted' }, t('mistake.waiting')),
  h(
    'div',
    { id: 'mistake-content', hidden: '' },
    h('h1', { id: 'mistake-title' }),
    h(
      'div',
      { class: 'mistake-row' },
      h('canvas', { id: 'mistake-digit', class: 'mistake-digit pixelated', role: 'img' }),
      h(
        'section',
        { class: 'card mistake-probabilities' },
        h('h2', {}, t('mistake.probabilitiesTitle')),
        h('div', { id: 'mistake-bars' }),
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('mistake.nearestTitle')),
      h('p', { class: 'muted' }, t('mistake.nearestCaption')),
      h('div', { id: 'mistake-nearest', class: 'tiles' }),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('mistake.unitsTitle')),
      h('p', { id: 'mistake-units-caption', class: 'muted' }),
      h('div', { id: 'mistake-units', class: 'tiles' }),
    ),
  ),
);

connectToHost((message: HostToWebview) => {
  if (message.type !== 'mistake') return;
  shown = message.mistake;
  render();
});
onThemeChange(() => {
  palette = readPalette();
  render();
});

function render(): void {
  const m = shown;
  if (!m) return;
  byId('mistake-waiting').hidden = true;
  byId('mistake-content').hidden = false;
  document.body.dataset.index = String(m.index);
  byId('mistake-title').textContent = title(m);
  const digit = byId<HTMLCanvasElement>('mistake-digit');
  digit.setAttribute('aria-label', title(m));
  drawDigit(digit, m.image, palette);
  byId('mistake-bars').replaceChildren(
    ...m.probabilities.map((p, d) =>
      probabilityRow(d, p, formatPercent(p, 1), d === m.predicted ? 'predicted' : d === m.label ? 'actual' : ''),
    ),
  );
  byId('mistake-nearest').replaceChildren(
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
  byId('mistake-units-caption').textContent =
    m.units.length > 0 ? t('mistake.unitsCaption', m.predicted, m.label, MNIST_SIDE) : t('mistake.noUnits');
  byId('mistake-units').replaceChildren(
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

function title(m: MistakePayload): string {
  return m.label === m.predicted
    ? t('mistake.titleCorrect', m.index, m.label)
    : t('mistake.title', m.index, m.label, m.predicted);
}
