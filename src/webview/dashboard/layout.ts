// The dashboard's static layout, with the stable ids the UI tests target.
import { h } from '../common/dom';
import { GRADIENT_TEXT } from './gradientHealth';
import { stepCardLayout } from './stepCard';
import { STEP_TEXT } from './stepText';

export function dashboardLayout(smoothing: number): HTMLElement {
  const smoothingInput = h('input', {
    id: 'smoothing',
    type: 'range',
    min: '0',
    max: '0.99',
    step: '0.01',
    'aria-label': 'Smoothing of the batch curves',
  });
  smoothingInput.value = String(smoothing);
  return h(
    'div',
    { class: 'dashboard' },
    h(
      'header',
      { class: 'toolbar' },
      h('vscode-button', { id: 'train-button', 'aria-label': 'Train the model' }, 'Train'),
      h(
        'vscode-button',
        { id: 'pause-button', secondary: '', 'aria-label': STEP_TEXT.pauseButtonLabel },
        STEP_TEXT.pauseButton,
      ),
      h('vscode-button', { id: 'stop-button', secondary: '', 'aria-label': 'Stop training' }, 'Stop'),
      h(
        'vscode-button',
        { id: 'step-button', secondary: '', 'aria-label': STEP_TEXT.stepButtonLabel },
        STEP_TEXT.stepButton,
      ),
      h(
        'vscode-button',
        { id: 'evaluate-button', secondary: '', 'aria-label': 'Evaluate on the test set' },
        'Evaluate',
      ),
      h('span', { id: 'status', class: 'status', role: 'status' }),
    ),
    h(
      'section',
      { class: 'progress-section', 'aria-label': 'Training progress' },
      h('vscode-progress-bar', {
        id: 'progress',
        max: '100',
        value: '0',
        'data-percent': '0',
        'aria-label': 'Training progress',
      }),
      h(
        'div',
        { class: 'facts' },
        h('span', { id: 'progress-text' }),
        h('span', {}, 'backend: ', h('strong', { id: 'backend' }, '—')),
        h('span', {}, h('strong', { id: 'samples-per-second' }, '—'), ' samples/s'),
      ),
      h('p', { id: 'error', class: 'error', role: 'alert', hidden: '' }),
    ),
    stepCardLayout(),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'batches-title' },
      h('h2', { id: 'batches-title' }, 'Every batch'),
      h(
        'label',
        { class: 'smoothing' },
        'Smoothing ',
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
      h('h2', { id: 'epochs-title' }, 'Every epoch: training and validation'),
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
            'aria-label': 'Accuracy per epoch, training and validation',
          }),
        ),
      ),
    ),
    h(
      'section',
      { id: 'evaluation', class: 'card', 'aria-labelledby': 'evaluation-title' },
      h('h2', { id: 'evaluation-title' }, 'Test set'),
      h(
        'div',
        { id: 'accuracies', class: 'accuracies', hidden: '' },
        h(
          'div',
          { class: 'big-number' },
          h('span', { class: 'muted' }, 'test accuracy'),
          h('strong', { id: 'test-accuracy' }),
        ),
        h(
          'div',
          { class: 'big-number' },
          h('span', { class: 'muted' }, 'train accuracy'),
          h('strong', { id: 'train-accuracy' }),
        ),
        h('p', { id: 'accuracy-gap' }),
      ),
      h(
        'p',
        { id: 'evaluation-hint', class: 'muted' },
        'Evaluate the trained model to see how it does on the 10,000 test digits it never saw.',
      ),
      h('table', { id: 'confusion-matrix', class: 'confusion', hidden: '' }),
      h('h3', { id: 'misclassified-title', hidden: '' }, 'Misclassified test digits'),
      h('div', { id: 'misclassified', class: 'gallery', 'aria-labelledby': 'misclassified-title' }),
    ),
    h(
      'section',
      { id: 'histograms', class: 'card', 'aria-labelledby': 'histograms-title' },
      h('h2', { id: 'histograms-title' }, 'Weights'),
      h(
        'label',
        { class: 'scrubber' },
        'Epoch ',
        h('input', {
          id: 'epoch-scrubber',
          type: 'range',
          min: '0',
          max: '0',
          step: '1',
          value: '0',
          'aria-label': 'Epoch of the weights shown',
        }),
        h('output', { id: 'epoch-label' }),
      ),
      h('div', { id: 'histogram-grid', class: 'histogram-grid' }),
      h('h3', { id: 'gradients-title' }, GRADIENT_TEXT.title),
      h('p', { class: 'muted' }, GRADIENT_TEXT.intro),
      h('p', { id: 'dead-units' }),
      h('table', { id: 'gradient-table', class: 'gradient-table' }),
      h('h3', {}, GRADIENT_TEXT.histograms, ' ', h('output', { id: 'gradient-epoch-label' })),
      // The gradients follow the weights' scrubber; theirs is never shown.
      h('input', { id: 'gradient-scrubber', type: 'range', hidden: '', 'aria-hidden': 'true' }),
      h('div', { id: 'gradient-grid', class: 'histogram-grid' }),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'summary-title' },
      h('h2', { id: 'summary-title' }, 'Model'),
      h('table', { id: 'model-summary', class: 'model-summary' }),
    ),
  );
}
