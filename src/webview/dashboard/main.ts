// Training dashboard: live batch curves, epoch curves, progress, model summary, weight
// histograms and the test-set evaluation, all rendered from the run state.
// Only the components the dashboard shows (common/elements also brings the dataset panel's
// select, a sixth of this bundle).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import type { HostToWebview } from '../../shared/webviewProtocol';
import { byId } from '../common/dom';
import { frameScheduler } from '../common/frame';
import { connectToHost } from '../common/host';
import { RunStateStore } from '../common/runStateStore';
import { onThemeChange, readPalette } from '../common/theme';
import { formatCount } from '../common/format';
import { BatchChart } from './batchCharts';
import { EpochChart } from './epochCharts';
import { renderAccuracies, renderConfusion } from './evaluation';
import { dashboardLayout } from './layout';
import { MisclassifiedGallery } from './misclassified';
import { renderModelSummary } from './modelSummary';
import { progressInfo } from './progress';
import { Visibility } from './visibility';
import { WeightHistograms } from './weightHistograms';
import { t } from '../common/strings';

interface DashboardViewState {
  smoothing: number;
  /** Epoch chosen on the weight scrubber; null follows the newest. */
  epoch: number | null;
  scrollY: number;
}

const store = new RunStateStore();
const host = connectToHost<DashboardViewState>(onMessage);
const saved = host.viewState();
const app = byId('app');
app.replaceChildren(dashboardLayout(saved.smoothing ?? 0.6));
let palette = readPalette();

const scheduleRender = frameScheduler(render);
// Charts and histograms are made and redrawn only on screen (or near it); see visibility.ts.
const visibility = new Visibility(scheduleRender);
const parts = {
  loss: byId('loss-chart-container'),
  accuracy: byId('accuracy-chart-container'),
  epochLoss: byId('epoch-loss-container'),
  epochAccuracy: byId('epoch-accuracy-container'),
  histograms: byId('histogram-grid'),
};
for (const part of Object.values(parts)) visibility.watch(part);

const lossChart = new BatchChart(
  byId<HTMLCanvasElement>('loss-chart'),
  parts.loss,
  'loss',
  saved.smoothing ?? 0.6,
  palette,
);
const accuracyChart = new BatchChart(
  byId<HTMLCanvasElement>('accuracy-chart'),
  parts.accuracy,
  'accuracy',
  saved.smoothing ?? 0.6,
  palette,
);
const epochLoss = new EpochChart(byId<HTMLCanvasElement>('epoch-loss-chart'), parts.epochLoss, 'loss', palette);
const epochAccuracy = new EpochChart(
  byId<HTMLCanvasElement>('epoch-accuracy-chart'),
  parts.epochAccuracy,
  'accuracy',
  palette,
);
const histograms = new WeightHistograms(
  byId<HTMLInputElement>('epoch-scrubber'),
  byId('epoch-label'),
  parts.histograms,
  saved.epoch ?? null,
  (epoch) => {
    host.saveViewState({ epoch });
    histograms.render(store.state.weights, palette, visibility.isNear(parts.histograms));
  },
);
const gallery = new MisclassifiedGallery(byId('misclassified'), host.post);
let summaryShown: unknown = undefined;
let evaluationShown: unknown = undefined;

for (const [id, command] of [
  ['train-button', 'train'],
  ['stop-button', 'stop'],
  ['evaluate-button', 'evaluate'],
] as const) {
  byId(id).addEventListener('click', () => host.post({ type: 'command', command }));
}

const smoothingInput = byId<HTMLInputElement>('smoothing');
smoothingInput.addEventListener('input', () => {
  const weight = Number(smoothingInput.value);
  byId('smoothing-value').textContent = weight.toFixed(2);
  lossChart.setSmoothing(weight);
  accuracyChart.setSmoothing(weight);
  scheduleRender();
  host.saveViewState({ smoothing: weight });
});

let scrollSave = 0;
window.addEventListener('scroll', () => {
  clearTimeout(scrollSave);
  scrollSave = window.setTimeout(() => host.saveViewState({ scrollY: window.scrollY }), 200);
});

onThemeChange(() => {
  palette = readPalette();
  for (const chart of [lossChart, accuracyChart, epochLoss, epochAccuracy]) chart.setPalette(palette);
  histograms.render(store.state.weights, palette, visibility.isNear(parts.histograms), true);
  gallery.redraw(palette);
  evaluationShown = undefined;
  render();
});

let restoredScroll = false;

function onMessage(message: HostToWebview): void {
  if (store.apply(message)) {
    scheduleRender();
  } else if (message.type === 'samples' && message.split === 'test') {
    gallery.receive(message.start, message.count, message.images, message.labels, palette);
  }
}

const el = {
  train: byId('train-button'),
  stop: byId('stop-button'),
  evaluate: byId('evaluate-button'),
  status: byId('status'),
  progress: byId('progress'),
  progressText: byId('progress-text'),
  backend: byId('backend'),
  samplesPerSecond: byId('samples-per-second'),
  error: byId('error'),
};

/** Writes text only when it changed: every write replaces the text node, which the charts' DOM observers then scan. */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

function render(): void {
  const state = store.state;
  // Where the parts are is read before anything is written, so it costs no extra layout.
  const near = {
    loss: visibility.isNear(parts.loss),
    accuracy: visibility.isNear(parts.accuracy),
    epochLoss: visibility.isNear(parts.epochLoss),
    epochAccuracy: visibility.isNear(parts.epochAccuracy),
    histograms: visibility.isNear(parts.histograms),
  };
  lossChart.update(state.batches, near.loss);
  accuracyChart.update(state.batches, near.accuracy);
  epochLoss.update(state.epochs, near.epochLoss);
  epochAccuracy.update(state.epochs, near.epochAccuracy);

  const training = state.status === 'training';
  el.train.toggleAttribute('disabled', training);
  el.stop.toggleAttribute('disabled', !training);
  el.evaluate.toggleAttribute('disabled', training || state.summary === null);
  setText(el.status, t(`status.${state.status}`));

  const progress = progressInfo(state);
  const percent = progress.percent.toFixed(1);
  if (el.progress.dataset.percent !== percent) {
    el.progress.setAttribute('value', percent);
    el.progress.dataset.percent = percent;
  }
  setText(el.progressText, progress.text);
  setText(el.backend, state.backend ? state.backend.name : '—');
  el.backend.title = state.backend?.detail ?? '';
  setText(el.samplesPerSecond, state.samplesPerSecond > 0 ? formatCount(state.samplesPerSecond) : '—');
  el.error.hidden = state.error === null;
  setText(el.error, state.error ?? '');

  if (state.summary !== summaryShown) {
    summaryShown = state.summary;
    renderModelSummary(byId<HTMLTableElement>('model-summary'), state.summary);
  }
  histograms.render(state.weights, palette, near.histograms);

  if (state.evaluation !== evaluationShown) {
    evaluationShown = state.evaluation;
    const evaluation = state.evaluation;
    renderAccuracies(byId('accuracies'), evaluation, state.epochs);
    byId('evaluation-hint').hidden = evaluation !== null;
    byId('confusion-matrix').hidden = evaluation === null;
    byId('misclassified-title').hidden = evaluation === null;
    if (evaluation) renderConfusion(byId<HTMLTableElement>('confusion-matrix'), evaluation, palette);
    gallery.show(evaluation, palette);
  }

  if (!restoredScroll && saved.scrollY) {
    restoredScroll = true;
    window.scrollTo(0, saved.scrollY);
  }
}
