// Every string the Runs panel shows, in one place so it can be localised.
export const RUNS_TEXT = {
  waiting: 'Select runs in the Runs view (Ctrl/Shift-click for several), or run MNIST: Compare Runs….',
  title: (count: number) => (count === 1 ? 'One run' : `${count} runs on the same axes`),
  intro:
    'Each line is one kept run, named by the settings that differ between the runs shown: the curves show what that change does to learning.',
  lossTitle: 'Loss per epoch',
  accuracyTitle: 'Accuracy per epoch',
  epoch: 'epoch',
  training: 'training',
  validation: 'validation',
  columns: [
    'run',
    'optimizer',
    'learning rate',
    'batch',
    'hidden units',
    'epochs',
    'outcome',
    'test accuracy',
  ] as const,
  none: '—',
};
