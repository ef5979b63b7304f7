// The dashboard's static layout, with the stable ids the UI tests target.
import { h } from '../common/dom';
import { stepCardLayout } from './stepCard';
import { t } from '../common/strings';

export function dashboardLayout(smoothing: number): HTMLElement {
  const smoothingInput = h('input', {
    id: 'smoothing',
    type: 'range',
    min: '0',
    max: '0.99',
    step: '0.01',
    'aria-label': t('dashboard.smoothingAria'),
  });
  smoothingInput.value = String(smoothing);
  return h(
    'div',
    { class: 'dashboard' },
    h(
      'header',
      { class: 'toolbar' },
      h('vscode-button', { id: 'train-button', 'aria-label': t('dashboard.trainAria') }, t('dashboard.train')),
      h('vscode-button', { id: 'pause-button', secondary: '', 'aria-label': t('step.pauseAria') }, t('step.pause')),
      h(
        'vscode-button',
        { id: 'stop-button', secondary: '', 'aria-label': t('dashboard.stopAria') },
        t('dashboard.stop'),
      ),
      h('vscode-button', { id: 'step-button', secondary: '', 'aria-label': t('step.buttonAria') }, t('step.button')),
      h(
        'vscode-button',
        { id: 'evaluate-button', secondary: '', 'aria-label': t('dashboard.evaluateAria') },
        t('dashboard.evaluate'),
      ),
      h('span', { id: 'status', class: 'status', role: 'status' }),
    ),
    h(
      'section',
      { class: 'progress-section', 'aria-label': t('dashboard.progressAria') },
      h('vscode-progress-bar', {
        id: 'progress',
        max: '100',
        value: '0',
        'data-percent': '0',
        'aria-label': t('dashboard.progressAria'),
      }),
      h(
        'div',
        { class: 'facts' },
        h('span', { id: 'progress-text' }),
        h('span', {}, `${t('dashboard.backend')} `, h('strong', { id: 'backend' }, '—')),
        h('span', {}, h('strong', { id: 'samples-per-second' }, '—'), ` ${t('dashboard.samplesPerSecond')}`),
      ),
      h('p', { id: 'error', class: 'error', role: 'alert', hidden: '' }),
    ),
    stepCardLayout(),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'batches-title' },
      h('h2', { id: 'batches-title' }, t('dashboard.everyBatch')),
      h(
        'label',
        { class: 'smoothing' },
        `${t('dashboard.smoothing')} `,
        smoothingInput,
        h('output', { id: 'smoothing-value' }, smoothing.toFixed(2)),
      ),
      h(
        'div',
        { class: 'chart-row' },
        h(
          'div',
          { id: 'loss-chart-container', class: 'chart', 'data-points': '0' },
          h('canvas', { id: 'loss-chart', role: 'img', 'aria-label': 'Loss of every batch' }),
        ),
        h(
          'div',
          { id: 'accuracy-chart-container', class: 'chart' },
          h('canvas', { id: 'accuracy-chart', role: 'img', 'aria-label': 'Accuracy of every batch' }),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'epochs-title' },
      h('h2', { id: 'epochs-title' }, t('dashboard.everyEpoch')),
      h(
        'div',
        { class: 'chart-row' },
        h(
          'div',
          { id: 'epoch-loss-container', class: 'chart small' },
          h('canvas', { id: 'epoch-loss-chart', role: 'img', 'aria-label': 'Loss per epoch, training and validation' }),
        ),
        h(
          'div',
          { id: 'epoch-accuracy-container', class: 'chart small' },
          h('canvas', {
            id: 'epoch-accuracy-chart',
            role: 'img',
            'aria-label': t('dashboard.epochAccuracyAria'),
          }),
        ),
      ),
    ),
    h(
      'section',
      { id: 'evaluation', class: 'card', 'aria-labelledby': 'evaluation-title' },
      h('h2', { id: 'evaluation-title' }, t('dashboard.testSet')),
      h(
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
        h('p', { id: 'accuracy-gap' }),
      ),
      h('p', { id: 'evaluation-hint', class: 'muted' }, t('dashboard.evaluateHint')),
      h('table', { id: 'confusion-matrix', class: 'confusion', hidden: '' }),
      h('h3', { id: 'misclassified-title', hidden: '' }, t('dashboard.misclassified')),
      h('div', { id: 'misclassified', class: 'gallery', 'aria-labelledby': 'misclassified-title' }),
    ),
    h(
      'section',
      { id: 'histograms', class: 'card', 'aria-labelledby': 'histograms-title' },
      h('h2', { id: 'histograms-title' }, t('dashboard.weights')),
      h(
        'label',
        { class: 'scrubber' },
        `${t('dashboard.epoch')} `,
        h('input', {
          id: 'epoch-scrubber',
          type: 'range',
          min: '0',
          max: '0',
          step: '1',
          value: '0',
          'aria-label': t('dashboard.epochScrubberAria'),
        }),
        h('output', { id: 'epoch-label' }),
      ),
      h('div', { id: 'histogram-grid', class: 'histogram-grid' }),
      h('h3', { id: 'gradients-title' }, t('gradients.title')),
      h('p', { class: 'muted' }, t('gradients.intro')),
      h('p', { id: 'dead-units' }),
      h('table', { id: 'gradient-table', class: 'gradient-table' }),
      h('h3', {}, t('gradients.histograms'), ' ', h('output', { id: 'gradient-epoch-label' })),
      // The gradients follow the weights' scrubber; theirs is never shown.
      h('input', { id: 'gradient-scrubber', type: 'range', hidden: '', 'aria-hidden': 'true' }),
      h('div', { id: 'gradient-grid', class: 'histogram-grid' }),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'summary-title' },
      h('h2', { id: 'summary-title' }, t('dashboard.model')),
      h('table', { id: 'model-summary', class: 'model-summary' }),
    ),
  );
}
