// Every string the dashboard's step controls and its "One training step" card show, in one place
// so they can be localised with the rest of the panel.
import { formatNumber, formatPercent } from '../../shared/format';

export const STEP_TEXT = {
  stepButton: 'Step',
  stepButtonLabel: 'Train one batch',
  pauseButton: 'Pause',
  pauseButtonLabel: 'Pause training',
  resumeButton: 'Resume',
  resumeButtonLabel: 'Resume training',
  paused: 'paused',
  title: 'One training step',
  intro:
    'One step of gradient descent, as chapter 2 describes it: the model predicts the batch, the loss measures how wrong it is, the gradient says how each weight moves the loss, and the optimizer moves every weight a little against its gradient.',
  batchCaption: (count: number) => `The batch: ${count} digits, in the order trained`,
  digitsLabel: (count: number) => `The ${count} digits of the batch`,
  where: (epoch: number, batch: number, step: number) => `epoch ${epoch}, batch ${batch + 1} (step ${step} of the run)`,
  loss: (before: number, after: number) => `loss ${formatNumber(before)} → ${formatNumber(after)}`,
  accuracy: (before: number, after: number) =>
    `accuracy on this batch ${formatPercent(before, 1)} → ${formatPercent(after, 1)}`,
  lossNote: 'the same digits, before and after the update',
  columns: ['weight', 'gradient ‖g‖', 'update ‖Δw‖', '‖Δw‖ / ‖w‖', 'inspect'] as const,
  relativeUnknown: 'weights were 0',
  openGradient: 'gradient',
  openUpdate: 'update',
  openLabel: (name: string) => `Open ${name} in the tensor inspector`,
  tableCaption:
    'Each weight tensor: how large its gradient was, how far the optimizer moved it, and that move relative to the weights themselves (≈ 1e-3 is the usual healthy size).',
};
