// The dashboard's static layout, with the stable ids the UI tests target, and the elements the
// view writes to or listens on.
import { button, h } from '../common/dom';
import { stepCardLayout } from './stepCard';
import { t } from '../common/strings';

/** A chart's box (which carries its legend and export buttons) and its canvas. */
export interface ChartBox {
  container: HTMLElement;
  canvas: HTMLCanvasElement;
}

export type DashboardElements = ReturnType<typeof dashboardLayout>;

function chartBox(id: string, className: string, canvasId: string, label: string, points?: string): ChartBox {
  const canvas = h('canvas', { id: canvasId, role: 'img', 'aria-label': label });
  const attributes: Record<string, string> = { id, class: className };
  if (points !== undefined) attributes['data-points'] = points;
  return { container: h('div', attributes, canvas), canvas };
}

export function dashboardLayout(smoothing: number) {
  const toolbar = {
    train: button(t('dashboard.train'), t('dashboard.trainAria'), { id: 'train-button' }, 'primary'),
    pause: button(t('step.pause'), t('step.pauseAria'), { id: 'pause-button' }),
    stop: button(t('dashboard.stop'), t('dashboard.stopAria'), { id: 'stop-button' }),
    step: button(t('step.button'), t('step.buttonAria'), { id: 'step-button' }),
    evaluate: button(t('dashboard.evaluate'), t('dashboard.evaluateAria'), { id: 'evaluate-button' }),
    status: h('span', { id: 'status', class: 'status', role: 'status' }),
  };
  const progress = {
    progress: h('vscode-progress-bar', {
      id: 'progress',
      max: '100',
      value: '0',
      'data-percent': '0',
      'aria-label': t('dashboard.progressAria'),
    }),
    progressText: h('span', { id: 'progress-text' }),
    backend: h('strong', { id: 'backend' }, '—'),
    // Shown while the run is on wasm: the native engine is one command away. A button that looks like a
    // link: a real <a href="#"> would also make VS Code's webview scroll to the top.
    installNative: h(
      'button',
      { id: 'install-native', type: 'button', class: 'link-button', hidden: '' },
      t('dashboard.installNative'),
    ),
    samplesPerSecond: h('strong', { id: 'samples-per-second' }, '—'),
    error: h('p', { id: 'error', class: 'error', role: 'alert', hidden: '' }),
  };
  const smoothingInput = h('input', {
    id: 'smoothing',
    type: 'range',
    min: '0',
    max: '0.99',
    step: '0.01',
    'aria-label': t('dashboard.smoothingAria'),
  });
  smoothingInput.value = String(smoothing);
  const charts = {
    smoothing: smoothingInput,
    smoothingValue: h('output', { id: 'smoothing-value' }, smoothing.toFixed(2)),
    loss: chartBox('loss-chart-container', 'chart', 'loss-chart', t('dashboard.batchLossAria'), '0'),
    accuracy: chartBox('accuracy-chart-container', 'chart', 'accuracy-chart', t('dashboard.batchAccuracyAria')),
    epochLoss: chartBox('epoch-loss-container', 'chart small', 'epoch-loss-chart', t('dashboard.epochLossAria')),
    epochAccuracy: chartBox(
      'epoch-accuracy-container',
      'chart small',
      'epoch-accuracy-chart',
      t('dashboard.epochAccuracyAria'),
    ),
  };
  const evaluation = {
    accuracies: h(
      'div',
      { id: 'accuracies', class: 'accuracies', hidden: '' },
      h(
        'div',
        { class: 'big-number' },
        h('span', { class: 'muted' }, t('dashboard.testAccuracy')),
        h('strong', { id: 'test-accuracy' }),
      ),
      h(
        'div',
        { class: 'big-number' },
        h('span', { class: 'muted' }, t('dashboard.trainAccuracy')),
        h('strong', { id: 'train-accuracy' }),
      ),
      h('p', { id: 'train-accuracy-note', class: 'muted' }),
      h('p', { id: 'accuracy-gap' }),
    ),
    evaluationHint: h('p', { id: 'evaluation-hint', class: 'muted' }, t('dashboard.evaluateHint')),
    confusionMatrix: h('table', { id: 'confusion-matrix', class: 'confusion', hidden: '' }),
    misclassifiedTitle: h('h3', { id: 'misclassified-title', hidden: '' }, t('dashboard.misclassified')),
    misclassified: h('div', { id: 'misclassified', class: 'gallery', 'aria-labelledby': 'misclassified-title' }),
  };
  const weights = {
    epochScrubber: h('input', {
      id: 'epoch-scrubber',
      type: 'range',
      min: '0',
      max: '0',
      step: '1',
      value: '0',
      'aria-label': t('dashboard.epochScrubberAria'),
    }),
    epochLabel: h('output', { id: 'epoch-label' }),
    histogramGrid: h('div', { id: 'histogram-grid', class: 'histogram-grid' }),
    deadUnits: h('p', { id: 'dead-units' }),
    gradientTable: h('table', { id: 'gradient-table', class: 'gradient-table' }),
    gradientEpochLabel: h('output', { id: 'gradient-epoch-label' }),
    // The gradients follow the weights' scrubber; theirs is never shown.
    gradientScrubber: h('input', { id: 'gradient-scrubber', type: 'range', hidden: '', 'aria-hidden': 'true' }),
    gradientGrid: h('div', { id: 'gradient-grid', class: 'histogram-grid' }),
  };
  const stepCard = stepCardLayout();
  const modelSummary = h('table', { id: 'model-summary', class: 'model-summary' });

  const root = h(
    'div',
    { class: 'dashboard' },
    h(
      'header',
      { class: 'toolbar' },
      toolbar.train,
      toolbar.pause,
      toolbar.stop,
      toolbar.step,
      toolbar.evaluate,
      toolbar.status,
    ),
    h(
      'section',
      { class: 'progress-section', 'aria-label': t('dashboard.progressAria') },
      progress.progress,
      h(
        'div',
        { class: 'facts' },
        progress.progressText,
        h('span', {}, `${t('dashboard.backend')} `, progress.backend, ' ', progress.installNative),
        h('span', {}, progress.samplesPerSecond, ` ${t('dashboard.samplesPerSecond')}`),
      ),
      progress.error,
    ),
    stepCard,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'batches-title' },
      h('h2', { id: 'batches-title' }, t('dashboard.everyBatch')),
      h('label', { class: 'smoothing' }, `${t('dashboard.smoothing')} `, charts.smoothing, charts.smoothingValue),
      h('div', { class: 'chart-row' }, charts.loss.container, charts.accuracy.container),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'epochs-title' },
      h('h2', { id: 'epochs-title' }, t('dashboard.everyEpoch')),
      h('div', { class: 'chart-row' }, charts.epochLoss.container, charts.epochAccuracy.container),
    ),
    h(
      'section',
      { id: 'evaluation', class: 'card', 'aria-labelledby': 'evaluation-title' },
      h('h2', { id: 'evaluation-title' }, t('dashboard.testSet')),
      evaluation.accuracies,
      evaluation.evaluationHint,
      evaluation.confusionMatrix,
      evaluation.misclassifiedTitle,
      evaluation.misclassified,
    ),
    h(
      'section',
      { id: 'histograms', class: 'card', 'aria-labelledby': 'histograms-title' },
      h('h2', { id: 'histograms-title' }, t('dashboard.weights')),
      h('label', { class: 'scrubber' }, `${t('dashboard.epoch')} `, weights.epochScrubber, weights.epochLabel),
      weights.histogramGrid,
      h('h3', { id: 'gradients-title' }, t('gradients.title')),
      h('p', { class: 'muted' }, t('gradients.intro')),
      weights.deadUnits,
      weights.gradientTable,
      h('h3', {}, t('gradients.histograms'), ' ', weights.gradientEpochLabel),
      weights.gradientScrubber,
      weights.gradientGrid,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'summary-title' },
      h('h2', { id: 'summary-title' }, t('dashboard.model')),
      modelSummary,
    ),
  );
  return { root, ...toolbar, ...progress, ...charts, ...evaluation, ...weights, stepCard, modelSummary };
}
