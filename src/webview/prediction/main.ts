// Prediction view: the image, the 28×28 input the model actually saw, the ten probabilities and
// the answer; without a model, a way to train one.
import '../common/elements';
import type { Prediction } from '../../shared/protocol';
import type { HostToWebview } from '../../shared/webviewProtocol';
import { putPixels } from '../common/canvas';
import { byId, h } from '../common/dom';
import { formatPercent } from '../common/format';
import { connectToHost } from '../common/host';
import { RunStateStore } from '../common/runStateStore';
import { paint } from '../common/scales';
import { onThemeChange, readPalette } from '../common/theme';
import { ProbabilityChart } from './probabilities';
import { MNIST_SIDE } from '../../shared/mnist';

const store = new RunStateStore();
const host = connectToHost<Record<string, never>>(onMessage);
let palette = readPalette();
let current: Extract<HostToWebview, { type: 'prediction' }> | null = null;

byId('app').replaceChildren(
  h(
    'section',
    { id: 'no-model', class: 'card no-model', hidden: '' },
    h('p', {}, 'There is no trained model yet. Train one, then predict again.'),
    h('vscode-button', { id: 'no-model-train', 'aria-label': 'Train the model' }, 'Train Model'),
  ),
  h(
    'section',
    { id: 'result', class: 'result', hidden: '' },
    h('h1', { id: 'file-name' }),
    h(
      'div',
      { class: 'answer' },
      h('span', { class: 'muted' }, 'The model reads'),
      h('strong', { id: 'predicted-digit', 'aria-live': 'polite' }),
      h('span', { id: 'confidence', class: 'muted' }),
    ),
    h(
      'div',
      { class: 'images' },
      h(
        'figure',
        {},
        h('img', { id: 'original-image', alt: 'The image file' }),
        h('figcaption', { class: 'muted' }, 'the image'),
      ),
      h(
        'figure',
        {},
        h('canvas', {
          id: 'model-input',
          class: 'pixelated',
          role: 'img',
          'aria-label': `The ${MNIST_SIDE} by ${MNIST_SIDE} input the model saw`,
        }),
        h('figcaption', { class: 'muted' }, `what the model sees: its ${MNIST_SIDE}×${MNIST_SIDE} input`),
      ),
    ),
    h(
      'div',
      { id: 'probabilities', class: 'chart', 'data-probabilities': '' },
      h('canvas', { id: 'probabilities-chart', role: 'img', 'aria-label': 'Probability of each digit' }),
    ),
  ),
);

const chart = new ProbabilityChart(byId<HTMLCanvasElement>('probabilities-chart'), palette);
byId('no-model-train').addEventListener('click', () => host.post({ type: 'command', command: 'train' }));

function onMessage(message: HostToWebview): void {
  if (store.apply(message)) return;
  if (message.type === 'noModel') {
    current = null;
    byId('no-model').hidden = false;
    byId('result').hidden = true;
  } else if (message.type === 'prediction') {
    current = message;
    render();
  }
}

function render(): void {
  if (!current) return;
  const prediction: Prediction = current.prediction;
  byId('no-model').hidden = true;
  byId('result').hidden = false;
  byId('file-name').textContent = current.fileName;
  byId('predicted-digit').textContent = String(prediction.digit);
  byId('confidence').textContent =
    `with probability ${formatPercent(prediction.probabilities[prediction.digit] ?? 0, 1)}`;
  byId<HTMLImageElement>('original-image').src = current.imageUri;
  putPixels(
    byId<HTMLCanvasElement>('model-input'),
    MNIST_SIDE,
    MNIST_SIDE,
    paint(prediction.input, { kind: 'sequential', min: 0, max: 1, low: palette.background, high: palette.foreground }),
  );
  byId('probabilities').dataset.probabilities = JSON.stringify(prediction.probabilities.map((p) => +p.toFixed(6)));
  chart.show(prediction, palette);
}

onThemeChange(() => {
  palette = readPalette();
  chart.setPalette(palette);
  render();
});
