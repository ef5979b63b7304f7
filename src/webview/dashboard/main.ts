// Training dashboard: live batch curves, epoch curves, progress, model summary, weight
// histograms and the test-set evaluation, all rendered from the run state.
import '../common/elements';
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
import { WeightHistograms } from './weightHistograms';

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

const lossChart = new BatchChart(byId<HTMLCanvasElement>('loss-chart'), byId('loss-chart-container'), 'loss', saved.smoothing ?? 0.6, palette);
const accuracyChart = new BatchChart(byId<HTMLCanvasElement>('accuracy-chart'), byId('accuracy-chart-container'), 'accuracy', saved.smoothing ?? 0.6, palette);
const epochLoss = new EpochChart(byId<HTMLCanvasElement>('epoch-loss-chart'), 'loss', palette);
const epochAccuracy = new EpochChart(byId<HTMLCanvasElement>('epoch-accuracy-chart'), 'accuracy', palette);
const histograms = new WeightHistograms(byId<HTMLInputElement>('epoch-scrubber'), byId('epoch-label'), byId('histogram-grid'), saved.epoch ?? null, (epoch) => {
  host.saveViewState({ epoch });
  histograms.render(store.state.weights, palette);
});
const gallery = new MisclassifiedGallery(byId('misclassified'), host.post);
let summaryShown: unknown = undefined;
let evaluationShown: unknown = undefined;

for (const [id, command] of [['train-button', 'train'], ['stop-button', 'stop'], ['evaluate-button', 'evaluate']] as const) {
  byId(id).addEventListener('click', () => host.post({ type: 'command', command }));
}

const smoothingInput = byId<HTMLInputElement>('smoothing');
smoothingInput.addEventListener('input', () => {
  const weight = Number(smoothingInput.value);
  byId('smoothing-value').textContent = weight.toFixed(2);
  lossChart.setSmoothing(weight, store.state.batches);
  accuracyChart.setSmoothing(weight, store.state.batches);
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
  histograms.render(store.state.weights, palette, true);
  gallery.redraw(palette);
  evaluationShown = undefined;
  render();
});

const scheduleRender = frameScheduler(render);
let restoredScroll = false;

function onMessage(message: HostToWebview): void {
  if (store.apply(message)) {
    scheduleRender();
  } else if (message.type === 'samples' && message.split === 'test') {
    gallery.receive(message.start, message.count, message.images, message.labels, palette);
  }
}

function render(): void {
  const state = store.state;
  lossChart.update(state.batches);
  accuracyChart.update(state.batches);
  epochLoss.update(state.epochs);
  epochAccuracy.update(state.epochs);

  const training = state.status === 'training';
  byId('train-button').toggleAttribute('disabled', training);
  byId('stop-button').toggleAttribute('disabled', !training);
  byId('evaluate-button').toggleAttribute('disabled', training || state.summary === null);
  byId('status').textContent = state.status;

  const progress = progressInfo(state);
  const bar = byId('progress');
  bar.setAttribute('value', progress.percent.toFixed(1));
  bar.dataset.percent = progress.percent.toFixed(1);
  byId('progress-text').textContent = progress.text;
  byId('backend').textContent = state.backend ? state.backend.name : '—';
  byId('backend').title = state.backend?.detail ?? '';
  byId('samples-per-second').textContent = state.samplesPerSecond > 0 ? formatCount(state.samplesPerSecond) : '—';
  const error = byId('error');
  error.hidden = state.error === null;
  error.textContent = state.error ?? '';

  if (state.summary !== summaryShown) {
    summaryShown = state.summary;
    renderModelSummary(byId<HTMLTableElement>('model-summary'), state.summary);
  }
  histograms.render(state.weights, palette);

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
