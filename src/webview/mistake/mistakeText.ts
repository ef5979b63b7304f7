// Every string the mistake panel shows, in one place so it can be localised.
export const MISTAKE_TEXT = {
  waiting: 'Click a misclassified digit on the dashboard, or run MNIST: Explain a Mistake….',
  title: (index: number, label: number, predicted: number) =>
    label === predicted
      ? `Test digit #${index}: a ${label}, read correctly`
      : `Test digit #${index}: a ${label}, read as a ${predicted}`,
  probabilitiesTitle: 'What the model gave each digit',
  nearestTitle: 'The five nearest training digits (pixel distance)',
  nearestCaption:
    'The network learned from these: when the closest training digits carry the wrong label, or look like it, the mistake is understandable.',
  neighbour: (label: number, distance: string) => `${label} · d ${distance}`,
  neighbourLabel: (index: number, label: number) => `training digit ${index}, a ${label}`,
  unitsTitle: 'Hidden units that favoured the wrong answer',
  unitsCaption: (wrong: number, right: number) =>
    `Each: its input weights as a 28×28 image and how much it raised ${wrong} over ${right} (activation × (weight to ${wrong} − weight to ${right})).`,
  unit: (unit: number, push: string) => `unit ${unit}: +${push}`,
  noUnits: 'The model read this digit correctly: no unit pushed it toward a wrong answer.',
};
