// Every word the webview panels show, in English: the key type and the table. The host sends the
// display language's table (l10n/webview.<language>.json, English for missing keys) in each
// panel's initial state; the bundles hold no translations of their own. Placeholders: {0}, {1}…
export const WEBVIEW_STRINGS_EN = {
  // dashboard
  'dashboard.train': 'Train',
  'dashboard.trainAria': 'Train the model',
  'dashboard.stop': 'Stop',
  'dashboard.stopAria': 'Stop training',
  'dashboard.evaluate': 'Evaluate',
  'dashboard.evaluateAria': 'Evaluate on the test set',
  'dashboard.progressAria': 'Training progress',
  'dashboard.everyBatch': 'Every batch',
  'dashboard.smoothing': 'Smoothing',
  'dashboard.smoothingAria': 'Smoothing of the batch curves',
  'dashboard.everyEpoch': 'Every epoch: training and validation',
  'dashboard.epochAccuracyAria': 'Accuracy per epoch, training and validation',
  'dashboard.testSet': 'Test set',
  'dashboard.testAccuracy': 'test accuracy',
  'dashboard.trainAccuracy': 'train accuracy',
  'dashboard.evaluateHint': 'Evaluate the trained model to see how it does on the 10,000 test digits it never saw.',
  'dashboard.misclassified': 'Misclassified test digits',
  'dashboard.weights': 'Weights',
  'dashboard.epoch': 'Epoch',
  'dashboard.epochScrubberAria': 'Epoch of the weights shown',
  'dashboard.model': 'Model',
  'dashboard.gapChance':
    'Test accuracy is about the same as train accuracy ({0} percentage points apart, within chance on 10,000 test digits): no sign of overfitting here.',
  'dashboard.gapNone':
    'Test accuracy is not lower than train accuracy ({0} percentage points higher): no sign of overfitting here.',
  'dashboard.gapOverfitting':
    'Test accuracy is a little lower than train accuracy ({0} percentage points lower): the gap is overfitting — the model does better on the samples it was trained on than on new ones.',
  'dashboard.gapWide':
    'Test accuracy is much lower than train accuracy ({0} percentage points lower): the model overfits — it has learned its training samples far better than digits it has not seen.',
  'dashboard.confusionCaption': 'Confusion matrix: rows are the true digit, columns the prediction',
  'dashboard.confusionCorner': 'true \\ predicted',
  'dashboard.accuracy': 'accuracy',
  'dashboard.misclassifiedCaption': '#{0}: predicted {1}',
  'dashboard.misclassifiedMore': 'and {0} more (the dataset inspector marks every mistake)',
  'dashboard.noWeights': 'no weights yet',
  'dashboard.initialWeights': 'epoch 0 (initial weights)',
  'dashboard.afterEpoch': 'after epoch {0}',
  'dashboard.noModel': 'No model yet: train one (or load one) to see its layers.',
  'dashboard.backend': 'backend:',
  'dashboard.samplesPerSecond': 'samples/s',
  'status.idle': 'idle',
  'status.training': 'training',
  'status.completed': 'completed',
  'status.stopped': 'stopped',
  'status.failed': 'failed',
  'progress.notTrained': 'Not trained yet.',
  'progress.ended': '{0} in {1}, {2}',
  'progress.oneEpoch': '1 epoch',
  'progress.epochs': '{0} epochs',
  'progress.running': 'epoch {0} of {1}, batch {2} of {3}',
  'progress.eta': ', about {0} left',
  'chart.batch': 'batch',
  'chart.epoch': 'epoch',
  'chart.loss': 'loss',
  'chart.accuracy': 'accuracy',
  'chart.raw': '{0} (raw)',
  'chart.smoothed': '{0} (smoothed)',
  'chart.training': 'training {0}',
  'chart.validation': 'validation {0}',
  'chart.digit': 'digit',
  'chart.probability': 'probability',
  // dataset
  'dataset.split': 'Split',
  'dataset.splitAria': 'Training or test split',
  'dataset.label': 'Label',
  'dataset.labelAria': 'Show only one label',
  'dataset.gridAria': 'Dataset samples: arrow keys move between samples, Enter shows one',
  'dataset.clickHint': 'Click a sample (or press Enter on it) to see its {0} values.',
  'dataset.loading': 'Loading…',
  'dataset.pixelTableAria': '{0} by {0} pixel values, 0 to 255',
  'dataset.train': 'train',
  'dataset.test': 'test',
  'dataset.alsoReads': 'The model also reads {0}.',
  'dataset.mistake': 'The model reads {0}: a mistake.',
  // dashboard: one training step
  'step.button': 'Step',
  'step.buttonAria': 'Train one batch',
  'step.pause': 'Pause',
  'step.pauseAria': 'Pause training',
  'step.resume': 'Resume',
  'step.resumeAria': 'Resume training',
  'step.paused': 'paused',
  'step.title': 'One training step',
  'step.intro':
    'One step of gradient descent, as chapter 2 describes it: the model predicts the batch, the loss measures how wrong it is, the gradient says how each weight moves the loss, and the optimizer moves every weight a little against its gradient.',
  'step.batchCaption': 'The batch: {0} digits, in the order trained',
  'step.digitsAria': 'The {0} digits of the batch',
  'step.where': 'epoch {0}, batch {1} (step {2} of the run)',
  'step.loss': 'loss {0} → {1}',
  'step.accuracy': 'accuracy on this batch {0} → {1}',
  'step.lossNote': 'the same digits, before and after the update',
  'step.colWeight': 'weight',
  'step.colGradient': 'gradient ‖g‖',
  'step.colUpdate': 'update ‖Δw‖',
  'step.colRelative': '‖Δw‖ / ‖w‖',
  'step.colInspect': 'inspect',
  'step.relativeUnknown': 'weights were 0',
  'step.openGradient': 'gradient',
  'step.openUpdate': 'update',
  'step.openAria': 'Open {0} in the tensor inspector',
  'step.tableCaption':
    'Each weight tensor: how large its gradient was, how far the optimizer moved it, and that move relative to the weights themselves (≈ 1e-3 is the usual healthy size).',
  // tensor
  'tensor.waiting': 'Waiting for a tensor…',
  'tensor.slice': 'Slice',
  'tensor.sliceAria': 'Index of the slice shown',
  'tensor.unitFilters': 'What each hidden unit looks for',
  'tensor.heatmap': 'Heatmap',
  'tensor.heatmapAria': 'Heatmap of the tensor values; arrow keys move the cursor',
  'tensor.histogram': 'Histogram',
  'tensor.histogramAria': 'Histogram of the tensor values',
  'tensor.unitFiltersHelp':
    'Each image is one column of the kernel: the {0} weights from the pixels into one hidden unit, laid out as the {1}×{1} digit. Positive weights (ink there raises the unit) and negative ones use the two ends of the heatmap scale.',
  'tensor.pointHint': 'Point at a cell, or focus the heatmap and use the arrow keys.',
  'tensor.unitAria': 'Weights into hidden unit {0}',
  'tensor.gradientUnits': 'How the loss pulls on each hidden unit’s weights',
  'tensor.gradientUnitsHelp':
    'Each image is one column of the gradient of the last step: for one hidden unit, how the batch’s mean loss changes with each of its {0} pixel weights. Units that were inactive for the whole batch (ReLU at 0) get no gradient and stay blank; the update moves every weight against its gradient.',
  'tensor.gradientUnitAria': 'Gradient of the weights into hidden unit {0}',
  'tensor.updateUnits': 'How one step moved each hidden unit’s weights',
  'tensor.updateUnitsHelp':
    'Each image is one column of the update of the last step (weights after minus before): the change the optimizer made to the {0} pixel weights of one hidden unit, on the same diverging scale.',
  'tensor.updateUnitAria': 'Change of the weights into hidden unit {0}',
  // prediction
  'prediction.noModel': 'There is no trained model yet. Train one, then predict again.',
  'prediction.train': 'Train Model',
  'prediction.trainAria': 'Train the model',
  'prediction.reads': 'The model reads',
  'prediction.unsureLead': 'Unsure — best guess',
  'prediction.confidence': 'with probability {0}',
  'prediction.unsure': 'Unsure: {0}.',
  'prediction.unsure.empty': 'no ink found: the picture looks empty',
  'prediction.unsure.severalDigits': 'there are several marks the size of a digit: more than one digit, or a word',
  'prediction.unsure.tooManyMarks': 'there are {0} separate marks: too many for one digit',
  'prediction.unsure.lowProbability': 'the model is unsure: its top answer has only {0} % probability',
  'prediction.top3Aria': 'The three likeliest digits',
  'prediction.stepsAria': 'How the picture became the model input',
  'prediction.stepAria': '{0}, {1} by {2} pixels',
  'prediction.step.original': 'the picture',
  'prediction.step.normalised': 'lighting evened out',
  'prediction.step.ink': 'ink found',
  'prediction.step.digit': 'the digit kept',
  'prediction.step.input': '{0}×{0} input',
  'prediction.imageAlt': 'The image file',
  'prediction.imageCaption': 'the image',
  'prediction.inputAria': 'The {0} by {0} input the model saw',
  'prediction.inputCaption': 'what the model sees: its {0}×{0} input',
  'prediction.probabilitiesAria': 'Probability of each digit',
} as const;

/** Id of the page's JSON data block that carries the table. */
export const STRINGS_ELEMENT_ID = 'tensor-lens-strings';

export type WebviewStringKey = keyof typeof WEBVIEW_STRINGS_EN;
export type WebviewStrings = Record<WebviewStringKey, string>;

/** The English table with every string of `table` that is one (unknown keys and non-strings dropped). */
export function completeStrings(table: unknown): WebviewStrings {
  const strings: WebviewStrings = { ...WEBVIEW_STRINGS_EN };
  if (typeof table !== 'object' || table === null) return strings;
  for (const key of Object.keys(strings) as WebviewStringKey[]) {
    const value = (table as Record<string, unknown>)[key];
    if (typeof value === 'string') strings[key] = value;
  }
  return strings;
}

/** `template` with {0}, {1}… replaced by `args` (placeholders without an argument stay). */
export function formatString(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) =>
    Number(i) < args.length ? String(args[Number(i)]) : whole,
  );
}
