// Gradients over time: per epoch (measured on its last batch) each layer's gradient norm and the
// size of its update relative to its weights, the gradient histograms beside the weights', and the
// hidden units that no test digit switches on.
import { formatNumber } from '../../shared/format';
import type { GradientEpoch } from '../../shared/protocol';
import { h } from '../common/dom';

export const GRADIENT_TEXT = {
  title: 'Gradients, epoch by epoch',
  intro:
    'Measured on each epoch’s last batch: how large each weight’s gradient was (‖g‖) and how far that batch’s update moved the weights relative to their size (‖Δw‖ / ‖w‖; about 1e-3 is the usual healthy figure, much larger means unstable, much smaller means stalled).',
  histograms: 'Gradient histograms (same epoch as the weights above)',
  epoch: 'epoch',
  norm: (weight: string) => `${weight} ‖g‖`,
  ratio: (weight: string) => `${weight} ‖Δw‖/‖w‖`,
  dead: 'dead ReLU units',
  deadLine: (dead: number, units: number) =>
    dead === 0
      ? `0 of ${units} hidden units are dead: every one fires on some of the 10,000 test digits.`
      : `${dead} of ${units} hidden units never fire on any of the 10,000 test digits: they no longer learn (their gradient is 0).`,
  none: '—',
  waiting: 'Appears after the first epoch.',
};

/** The table: one row per epoch, ‖g‖ and ‖Δw‖/‖w‖ per weight, dead units. */
export function renderGradientTable(
  table: HTMLTableElement,
  gradients: readonly (GradientEpoch | null | undefined)[],
): void {
  const epochs = present(gradients);
  if (epochs.length === 0) {
    table.replaceChildren(h('caption', {}, GRADIENT_TEXT.waiting));
    return;
  }
  const weights = epochs[0].layers.map((l) => l.weight);
  table.replaceChildren(
    h(
      'tr',
      {},
      h('th', {}, GRADIENT_TEXT.epoch),
      ...weights.flatMap((w) => [h('th', {}, GRADIENT_TEXT.norm(w)), h('th', {}, GRADIENT_TEXT.ratio(w))]),
      h('th', {}, GRADIENT_TEXT.dead),
    ),
    ...epochs.map((g) =>
      h(
        'tr',
        { 'data-epoch': String(g.epoch) },
        h('th', { scope: 'row' }, String(g.epoch)),
        ...g.layers.flatMap((l) => [
          h('td', { class: 'number' }, formatNumber(l.gradientNorm)),
          h('td', { class: 'number' }, l.updateRatio === null ? GRADIENT_TEXT.none : formatNumber(l.updateRatio)),
        ]),
        h('td', { class: 'number dead-units' }, `${g.deadUnits} / ${g.hiddenUnits}`),
      ),
    ),
  );
}

/** The sentence about dead units after the newest epoch. */
export function deadUnitsLine(gradients: readonly (GradientEpoch | null | undefined)[]): string {
  const newest = present(gradients).at(-1);
  return newest ? GRADIENT_TEXT.deadLine(newest.deadUnits, newest.hiddenUnits) : '';
}

/** The epochs present: the array is indexed by epoch from 1, and a snapshot sent as JSON turns its hole at 0 into null. */
function present(gradients: readonly (GradientEpoch | null | undefined)[]): GradientEpoch[] {
  return gradients.filter((g): g is GradientEpoch => Boolean(g));
}
