// Gradients over time: per epoch (measured on its last batch) each layer's gradient norm and the
// size of its update relative to its weights, the gradient histograms beside the weights', and the
// hidden units that no test digit switches on.
import { formatNumber } from '../../shared/format';
import type { GradientEpoch } from '../../shared/protocol';
import { h } from '../common/dom';
import { t } from '../common/strings';

/** The table: one row per epoch, ‖g‖ and ‖Δw‖/‖w‖ per weight, dead units. */
export function renderGradientTable(
  table: HTMLTableElement,
  gradients: readonly (GradientEpoch | null | undefined)[],
): void {
  const epochs = present(gradients);
  if (epochs.length === 0) {
    table.replaceChildren(h('caption', {}, t('gradients.waiting')));
    return;
  }
  const weights = epochs[0].layers.map((l) => l.weight);
  table.replaceChildren(
    h(
      'tr',
      {},
      h('th', {}, t('gradients.epoch')),
      ...weights.flatMap((w) => [h('th', {}, `${w} ‖g‖`), h('th', {}, `${w} ‖Δw‖/‖w‖`)]),
      h('th', {}, t('gradients.dead')),
    ),
    ...epochs.map((g) =>
      h(
        'tr',
        { 'data-epoch': String(g.epoch) },
        h('th', { scope: 'row' }, String(g.epoch)),
        ...g.layers.flatMap((l) => [
          h('td', { class: 'number' }, formatNumber(l.gradientNorm)),
          h('td', { class: 'number' }, l.updateRatio === null ? '—' : formatNumber(l.updateRatio)),
        ]),
        h('td', { class: 'number dead-units' }, `${g.deadUnits} / ${g.hiddenUnits}`),
      ),
    ),
  );
}

/** The sentence about dead units after the newest epoch. */
export function deadUnitsLine(gradients: readonly (GradientEpoch | null | undefined)[]): string {
  const newest = present(gradients).at(-1);
  if (!newest) return '';
  return newest.deadUnits === 0
    ? t('gradients.deadNone', newest.hiddenUnits)
    : t('gradients.deadSome', newest.deadUnits, newest.hiddenUnits);
}

/** The epochs present: the array is indexed by epoch from 1, and a snapshot sent as JSON turns its hole at 0 into null. */
function present(gradients: readonly (GradientEpoch | null | undefined)[]): GradientEpoch[] {
  return gradients.filter((g): g is GradientEpoch => Boolean(g));
}
