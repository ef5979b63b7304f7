// Every command the extension contributes, by one name each: registration, the panels' buttons,
// the tree's items and the status bar use these, and a unit test pins them to package.json.
export const commandIds = {
  train: 'tensorLens.train',
  stop: 'tensorLens.stop',
  step: 'tensorLens.step',
  pause: 'tensorLens.pause',
  resume: 'tensorLens.resume',
  showDashboard: 'tensorLens.showDashboard',
  compareRuns: 'tensorLens.compareRuns',
  evaluate: 'tensorLens.evaluate',
  inspectDataset: 'tensorLens.inspectDataset',
  predictImage: 'tensorLens.predictImage',
  drawDigit: 'tensorLens.drawDigit',
  explainMistake: 'tensorLens.explainMistake',
  openTensor: 'tensorLens.openTensor',
  loadModel: 'tensorLens.loadModel',
  saveModelAs: 'tensorLens.saveModelAs',
} as const;
