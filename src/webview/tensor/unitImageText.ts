// The words over the inspector's 28×28 unit images, in one place: a first-layer kernel shows what
// each hidden unit looks for; a step's gradient and update of it show how one batch moved that.
export interface UnitImageText {
  title: string;
  intro: string;
  unitLabel: (unit: number) => string;
}

const KERNEL: UnitImageText = {
  title: 'What each hidden unit looks for',
  intro:
    'Each image is one column of the kernel: the 784 weights from the pixels into one hidden unit, laid out as the 28×28 digit. Positive weights (ink there raises the unit) and negative ones use the two ends of the heatmap scale.',
  unitLabel: (unit) => `Weights into hidden unit ${unit}`,
};

const GRADIENT: UnitImageText = {
  title: 'How the loss pulls on each hidden unit’s weights',
  intro:
    'Each image is one column of the gradient of the last step: for one hidden unit, how the batch’s mean loss changes with each of its 784 pixel weights. Units that were inactive for the whole batch (ReLU at 0) get no gradient and stay blank; the update moves every weight against its gradient.',
  unitLabel: (unit) => `Gradient of the weights into hidden unit ${unit}`,
};

const UPDATE: UnitImageText = {
  title: 'How one step moved each hidden unit’s weights',
  intro:
    'Each image is one column of the update of the last step (weights after minus before): the change the optimizer made to the 784 pixel weights of one hidden unit, on the same diverging scale.',
  unitLabel: (unit) => `Change of the weights into hidden unit ${unit}`,
};

/** The text for a tensor with pixel rows, chosen by its name (`gradient/…`, `update/…`, else a kernel). */
export function unitImageText(name: string): UnitImageText {
  if (name.startsWith('gradient/')) return GRADIENT;
  if (name.startsWith('update/')) return UPDATE;
  return KERNEL;
}
