// What the Open Tensor… picker lists: Tensor Lens' own tensors, then the weights of the Keras run the
// Tensors view follows, under a separator that names the run. Each names its tensor as the tree's click
// does (a TensorRef), so picking a Keras weight opens the inspector on it. No `vscode`: the command turns
// these into QuickPickItems, and the unit tests read them on a real run.
import * as path from 'node:path';
import type { TensorRef } from '../shared/webviewProtocol';
import type { KerasRun } from './kerasRuns';
import { kerasRunName } from './kerasRunWords';
import type { L10n } from './kerasSetupText';
import { tensorDescription } from './tensorText';

export type TensorPick =
  { kind: 'separator'; label: string } | { kind: 'tensor'; label: string; description: string; tensor: TensorRef };

/** `own`: what the tree can open of Tensor Lens' own (TensorTreeProvider.openableTensors). */
export function openTensorPicks(
  own: readonly { name: string; description: string }[],
  keras: KerasRun | undefined,
  l10n: L10n,
): TensorPick[] {
  const picks: TensorPick[] = own.map(({ name, description }) => ({
    kind: 'tensor',
    label: name,
    description,
    tensor: { source: 'tensorLens', name },
  }));
  // The weights the header names, as the tree lists them (statistics or not).
  const weights = keras?.summary.header?.model.weights ?? [];
  if (keras === undefined || weights.length === 0) return picks;
  const runId = path.basename(keras.folder);
  picks.push({ kind: 'separator', label: l10n.t('Keras · {0}', kerasRunName(keras)) });
  for (const weight of weights)
    picks.push({
      kind: 'tensor',
      label: weight.name,
      description: tensorDescription(weight),
      tensor: { source: 'keras', runId, name: weight.name },
    });
  return picks;
}
