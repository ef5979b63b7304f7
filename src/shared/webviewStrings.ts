// Every word the webview panels show, in English: the key type and the table. The host fills the
// display language's table with vscode.l10n.t (see localizeStrings; the translations sit in
// l10n/bundle.l10n.<language>.json with the host's) and puts it in each panel's page; the bundles
// hold no translations of their own. Placeholders: {0}, {1}…, filled in the panel.
import { completedTable, translatedTable } from './stringTable';

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
  'dashboard.batchLossAria': 'Loss of every batch',
  'dashboard.batchAccuracyAria': 'Accuracy of every batch',
  'dashboard.epochLossAria': 'Loss per epoch, training and validation',
  'dashboard.testSet': 'Test set',
  'dashboard.testAccuracy': 'test accuracy',
  'dashboard.trainAccuracy': 'train accuracy, measured after training',
  'dashboard.trainMeasuredOn':
    'Train accuracy: the trained model measured on the run’s {0} training digits after its last epoch.',
  'dashboard.trainRunningMean':
    'The last epoch’s running mean, as Keras prints it while training, was {0}: it averages the model while it was still learning.',
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
  'dashboard.gapTooShort':
    'Nothing is said about overfitting after {0} epoch: judging it takes at least {1}. Until the model has seen its training digits more than once, a gap between train and test accuracy is not overfitting.',
  'dashboard.gapUnmeasured':
    'Train accuracy is measured only for a model trained here (a loaded model’s training digits are unknown): nothing is said about overfitting.',
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
  'dashboard.installNative': 'Install native TensorFlow…',
  'dashboard.oneThread': '{0}, 1 thread',
  'dashboard.threads': '{0}, {1} threads',
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
  'step.updateRatioUnknown': 'weights were 0',
  'step.openGradient': 'gradient',
  'step.openUpdate': 'update',
  'step.openAria': 'Open {0} in the tensor inspector',
  'step.tableCaption':
    'Each weight tensor: how large its gradient was, how far the optimizer moved it, and that move relative to the weights themselves (≈ 1e-3 is the usual healthy size).',
  // tensor
  'tensor.waiting': 'Waiting for a tensor…',
  'tensor.unavailable': '{0} cannot be shown again',
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
  'tensor.inputChannel': 'Input channel',
  'tensor.inputChannelAria': 'Input channel whose filters are shown',
  'tensor.filters': 'Every filter, on input channel {0}',
  'tensor.filtersHelp':
    'Each image is one of the {0} filters of the convolution: its {1}×{2} weights on input channel {3}, the window it slides over the image. Positive weights (a bright input there raises the filter’s output) and negative ones use the two ends of the heatmap scale; the heatmap below has one column per filter.',
  'tensor.filterAria': 'Filter {0}, weights on input channel {1}',
  'tensor.kerasSnapshot': 'Values from snapshot {0} of the Keras run {1} ({2} batches trained)',
  'tensor.tooLarge':
    'No snapshot of this run keeps these values: the weight has {0} elements, more than the {1} a snapshot keeps. Its statistics and histogram are below.',
  'tensor.notKept':
    'None of the run’s newest {0} snapshots keeps these values (only whole epochs keep larger weights). Its statistics and histogram are below.',
  // prediction
  'prediction.noModel': 'There is no trained model yet. Train one, then predict again.',
  'prediction.train': 'Train Model',
  'prediction.trainAria': 'Train the model',
  'prediction.reads': 'The model reads',
  'prediction.unsureLead': 'Unsure — best guess',
  'prediction.confidence': 'with probability {0}',
  'prediction.unsure': 'Unsure: {0}.',
  'prediction.unsure.empty': 'no ink found: the picture looks empty',
  'prediction.unsure.notADigit': 'it does not look like a digit: it is far from every digit the model was trained on',
  'prediction.unsure.smallInk':
    'its strong strokes span only {0} of the 20 pixels a digit spans: most of what was kept with them is faint',
  'prediction.unsure.notADigitShape':
    'it does not have the shape of a digit: no {0} the model was trained on has {1} hole(s), {2} stroke end(s) and {3} fork(s)',
  'prediction.unsure.severalDigits': 'there are several marks the size of a digit: more than one digit, or a word',
  'prediction.unsure.tooManyMarks': 'there are {0} separate marks: too many for one digit',
  'prediction.unsure.lowProbability': 'the model is unsure: its top answer has only {0} % probability',
  'prediction.top3Aria': 'The three likeliest digits',
  'prediction.stepsAria': 'How the picture became the model input',
  'prediction.stepAria': '{0}, {1} by {2} pixels',
  'prediction.step.original': 'the picture',
  'prediction.step.paper': 'the paper found',
  'prediction.step.normalised': 'lighting evened out',
  'prediction.step.ink': 'ink found',
  'prediction.step.lines': 'fold lines removed',
  'prediction.step.digit': 'the digit kept',
  'prediction.step.input': '{0}×{0} input',
  'prediction.imageAlt': 'The image file',
  'prediction.imageCaption': 'the image',
  'prediction.inputAria': 'The {0} by {0} input the model saw',
  'prediction.inputCaption': 'what the model sees: its {0}×{0} input',
  'prediction.probabilitiesAria': 'Probability of each digit',
  'dataset.explain': 'Why?',
  'dataset.explainAria': 'Explain why the model got this digit wrong',
  'dashboard.mistakeHint': 'Click to see why the model got this one wrong',
  'export.png': 'PNG',
  'export.csv': 'CSV',
  'export.pngAria': 'Save the {0} chart as a PNG image',
  'export.csvAria': "Save the {0} chart's data as CSV",
  'export.batchLoss': 'batch loss',
  'export.probabilities': 'probabilities of the ten digits',
  'export.batchAccuracy': 'batch accuracy',
  'export.epochLoss': 'epoch loss',
  'export.epochAccuracy': 'epoch accuracy',
  'gradients.title': 'Gradients, epoch by epoch',
  'gradients.intro':
    'Measured on each epoch’s last batch: how large each weight’s gradient was (‖g‖) and how far that batch’s update moved the weights relative to their size (‖Δw‖ / ‖w‖; about 1e-3 is the usual healthy figure, much larger means unstable, much smaller means stalled).',
  'gradients.histograms': 'Gradient histograms (same epoch as the weights above)',
  'gradients.epoch': 'epoch',
  'gradients.dead': 'dead ReLU units',
  'gradients.deadNone': '0 of {0} hidden units are dead: every one fires on some of the 10,000 test digits.',
  'gradients.deadSome':
    '{0} of {1} hidden units never fire on any of the 10,000 test digits: they no longer learn (their gradient is 0).',
  'gradients.waiting': 'Appears after the first epoch.',
  'draw.title': 'Draw a digit',
  'draw.intro':
    'Draw with the mouse or a pen. After every stroke the network reads the {0}×{0} picture MNIST would have made of it (the same preprocessing as Predict Digit in Image…): the hidden units light up, and the ten outputs say which digit it sees.',
  'draw.waiting': 'Waiting for the model’s weights…',
  'draw.clear': 'Clear',
  'draw.clearAria': 'Clear the drawing',
  'draw.padAria': 'Drawing area, {0} by {0} pixels: draw a digit here',
  'draw.inputTitle': 'What the network sees',
  'draw.inputCaption': '{0}×{0}, centred like MNIST',
  'draw.probabilitiesTitle': 'Its answer',
  'draw.answer': 'a {0} ({1})',
  'draw.nothing': 'draw something',
  'draw.hiddenUnits': 'The hidden units',
  'draw.hiddenTitle': 'The {0} hidden units ({1} × {2})',
  'draw.hiddenCaption':
    'The stronger the colour, the more active the unit after ReLU; blank ones are switched off for this drawing. Outlined: the units that pushed hardest toward the answer.',
  'draw.hiddenEmpty': 'Nothing is lit while the pad is empty: draw, and the units your ink drives light up.',
  'draw.topTitle': 'Units that pushed hardest toward the answer',
  'draw.topCaption':
    'Each: its {0} input weights as a {1}×{1} image (the pattern of ink it responds to) and how much it added to the answer’s score (activation × its weight to that digit).',
  'draw.unit': 'unit {0}: +{1}',
  'draw.unitAria': 'Input weights of hidden unit {0}',
  'mistake.waiting': 'Click a misclassified digit on the dashboard, or run MNIST: Explain a Mistake….',
  'mistake.titleCorrect': 'Test digit #{0}: a {1}, read correctly',
  'mistake.title': 'Test digit #{0}: a {1}, read as a {2}',
  'mistake.probabilitiesTitle': 'What the model gave each digit',
  'mistake.nearestTitle': 'The five nearest training digits (pixel distance)',
  'mistake.nearestCaption':
    'The network learned from these: when the closest training digits carry the wrong label, or look like it, the mistake is understandable.',
  'mistake.neighbour': '{0} · d {1}',
  'mistake.neighbourAria': 'training digit {0}, a {1}',
  'mistake.unitsTitle': 'Hidden units that favoured the wrong answer',
  'mistake.unitsCaption':
    'Each: its input weights as a {2}×{2} image and how much it raised {0} over {1} (activation × (weight to {0} − weight to {1})).',
  'mistake.unit': 'unit {0}: +{1}',
  'mistake.unitAria': 'unit {0}',
  'mistake.noUnits': 'The model read this digit correctly: no unit pushed it toward a wrong answer.',
  'runs.waiting': 'Select runs in the Runs view (Ctrl/Shift-click for several), or run MNIST: Compare Runs….',
  'runs.titleOne': 'One run',
  'runs.title': '{0} runs on the same axes',
  'runs.intro':
    'Each line is one kept run, named by the settings that differ between the runs shown: the curves show what that change does to learning.',
  'runs.lossTitle': 'Loss per epoch',
  'runs.accuracyTitle': 'Accuracy per epoch',
  'runs.training': 'training',
  'runs.validation': 'validation',
  'runs.column.run': 'run',
  'runs.column.optimizer': 'optimizer',
  'runs.column.learningRate': 'learning rate',
  'runs.column.batch': 'batch',
  'runs.column.hiddenUnits': 'hidden units',
  'runs.column.epochs': 'epochs',
  'runs.column.outcome': 'outcome',
  'runs.column.testAccuracy': 'test accuracy',
  'runs.keras.running': 'running',
  'runs.keras.ended': 'ended',
  'runs.keras.failed': 'failed',
  'runs.keras.died': 'died (its process is gone)',
  'keras.title': 'Keras run {0}',
  'keras.status': '{0} · {1} · {2} epochs · {3} batches',
  'keras.meanNote':
    "Keras logs each batch as the epoch's running mean (the thick line); the thin line is each batch's own value, derived from two successive means.",
  'keras.batchTitle': '{0} per batch',
  'keras.epochTitle': '{0} per epoch',
  'keras.runningMean': 'running mean (as Keras logs it)',
  'keras.perBatch': 'per batch (derived)',
  'keras.step': 'batch (step)',
  'keras.weightsTitle': 'Weights over time',
  'keras.weightsPick': 'Weights shown',
  'keras.pickKernels': 'kernels (every weight of rank ≥ 2)',
  'keras.pickAll': 'every weight',
  'keras.snapshot': 'Snapshot',
  'keras.snapshotScrubberAria': 'Snapshot whose histograms are shown',
  'keras.noSnapshots': 'no snapshot read yet',
  'keras.snapshotWords': 'snapshot {0} of {1} · epoch {2}, step {3} · {4}',
  'keras.reason.begin': 'at the start',
  'keras.reason.budget': 'during the epoch',
  'keras.reason.epoch': 'at the epoch’s end',
  'keras.moreWeights': 'Showing {0} of {1} weights; pick one above to see another.',
  'keras.updatesTitle': 'Update size ‖Δw‖/‖w‖ per weight',
  'keras.updatesNote':
    'How far each weight moved from one snapshot to the next, relative to its size (log scale). A point covers every step since the snapshot before it, and snapshots are taken on a time budget and at every epoch’s end, so the spans differ: a point over fewer steps sits lower (a snapshot during an epoch shows as a dip). It is not a size per step; hover a point for the steps it covers. Kernels are drawn; click a legend entry to draw a bias.',
  'keras.updatePoint': '{0}: {1} over {2} steps (step {3} to step {4})',
  'keras.updatePointOne': '{0}: {1} over 1 step (step {3} to step {4})',
  'keras.updatesAria': 'Update size of each weight between snapshots, by step',
  'keras.updatesWaiting': 'Update sizes need two snapshots; {0} read so far.',
  'keras.updatesMissing':
    'No figure for {0}: not floating point, or all zero at every snapshot before (a bias at first).',
  'keras.updatesStill': 'Did not move between snapshots (0, not drawn on a log scale): {0}.',
  'keras.noGradients': 'This run has no gradients: {0}.',
  'keras.noGradientsUnsaid': 'its writer does not say why (a run written before gradients were recorded)',
  'keras.gradientsTitle': 'Gradient norm ‖∂loss/∂w‖ per weight',
  'keras.gradientsNote':
    'How hard the loss pulls on each weight: the length of its gradient, measured on the same {0} training samples each time (log scale), so that steps compare. Kernels are drawn; click a legend entry to draw a bias.',
  'keras.gradientsAria': 'Gradient norm of each weight on the probe batch, by step',
  'keras.gradientPoint': '{0}: ‖g‖ = {1} at step {2}',
  'keras.gradientsWaiting': 'No gradient norms measured yet.',
  'keras.gradientsWaitingFor':
    'No gradient norms yet: the first is measured after {0} s of training (compiling the measurement costs more than a short run should pay).',
  // names and labels inside the panels
  'dashboard.toggleSeries': 'Show or hide {0}',
  'dashboard.confusionCellAria': 'true {0}, predicted {1}: {2}',
  'dashboard.misclassifiedAria': 'test sample {0}, predicted {1}',
  'step.labelsAria': 'labels',
  'dashboard.histogramAria': 'Histogram of {0}',
  'dataset.sampleAria': 'Sample {0}, a {1}',
  'dataset.count': '{0} of {1} {2} samples',
  'tensor.sliceRange': 'of 0 – {0} ({1})',
  'tensor.stats': '{0} values · mean {1} · std {2} · min {3} · max {4} · zeros {5}%',
  'tensor.histogramRange': '{0} … {1} ({2} bins, log-scaled counts)',
} as const;

/** Id of the page's JSON data block that carries the table. */
export const STRINGS_ELEMENT_ID = 'tensor-lens-strings';

export type WebviewStringKey = keyof typeof WEBVIEW_STRINGS_EN;
export type WebviewStrings = Record<WebviewStringKey, string>;

/**
 * The table in the display language: each English string through `translate`, which the host makes
 * `vscode.l10n.t({ message, comment: key })`. The key as the translators' comment makes the bundle's
 * entry `"<English>/<key>"` (how VS Code looks up a message with a comment), so the same English in
 * two places can read differently in another language, and no panel string can clash with a host one.
 */
export function localizeStrings(translate: (message: string, key: WebviewStringKey) => string): WebviewStrings {
  return translatedTable<WebviewStringKey>(WEBVIEW_STRINGS_EN, translate);
}

/** The English table with every string of `table` that is one (unknown keys and non-strings dropped). */
export function completeStrings(table: unknown): WebviewStrings {
  return completedTable<WebviewStringKey>(WEBVIEW_STRINGS_EN, table);
}

/** `template` with {0}, {1}… replaced by `args` (placeholders without an argument stay). */
export function formatString(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) =>
    Number(i) < args.length ? String(args[Number(i)]) : whole,
  );
}
