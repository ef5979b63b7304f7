// Prediction view: the answer (or a plain "unsure"), the top 3, the preprocessing steps as a strip
// of small pictures, the 28×28 input the model saw and the ten probabilities; without a model, a
// way to train one.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { HostToWebview, WebviewToHost } from '../../shared/webviewProtocol';
import { putPixels } from '../common/canvas';
import { byId, h } from '../common/dom';
import { formatPercent } from '../../shared/format';
import { connectToHost } from '../common/host';
import { RunStateStore } from '../common/runStateStore';
import { paint } from '../common/scales';
import { type Palette, onThemeChange, readPalette } from '../common/theme';
import { ProbabilityChart } from './probabilities';
import { exportButtons } from '../common/chartExport';
import { renderSteps } from './steps';
import { MNIST_SIDE } from '../../shared/mnist';
import type { UnsureReason } from '../../shared/verdict';
import { t } from '../common/strings';

type PredictionMessage = Extract<HostToWebview, { type: 'prediction' }>;

class PredictionView {
  private current: PredictionMessage | null = null;
  private readonly chart: ProbabilityChart;

  constructor(
    root: HTMLElement,
    private palette: Palette,
    onTrain: () => void,
    post: (message: WebviewToHost) => void,
  ) {
    root.replaceChildren(
      h(
        'section',
        { id: 'no-model', class: 'card no-model', hidden: '' },
        h('p', {}, t('prediction.noModel')),
        h('vscode-button', { id: 'no-model-train', 'aria-label': t('prediction.trainAria') }, t('prediction.train')),
      ),
      h(
        'section',
        { id: 'result', class: 'result', hidden: '' },
        h('h1', { id: 'file-name' }),
        h(
          'div',
          { class: 'answer' },
          h('span', { id: 'answer-lead', class: 'muted' }, t('prediction.reads')),
          h('strong', { id: 'predicted-digit', 'aria-live': 'polite' }),
          h('span', { id: 'confidence', class: 'muted' }),
        ),
        h('p', { id: 'unsure', class: 'unsure', role: 'status', hidden: '' }),
        h('ol', { id: 'top3', class: 'top3', 'aria-label': t('prediction.top3Aria') }),
        h('div', { id: 'steps', class: 'steps', 'aria-label': t('prediction.stepsAria') }),
        h(
          'div',
          { class: 'images' },
          h(
            'figure',
            {},
            h('img', { id: 'original-image', alt: t('prediction.imageAlt') }),
            h('figcaption', { class: 'muted' }, t('prediction.imageCaption')),
          ),
          h(
            'figure',
            {},
            h('canvas', {
              id: 'model-input',
              class: 'pixelated',
              role: 'img',
              'aria-label': t('prediction.inputAria', MNIST_SIDE),
            }),
            h('figcaption', { class: 'muted' }, t('prediction.inputCaption', MNIST_SIDE)),
          ),
        ),
        h(
          'div',
          { id: 'probabilities', class: 'chart', 'data-probabilities': '' },
          h('canvas', { id: 'probabilities-chart', role: 'img', 'aria-label': t('prediction.probabilitiesAria') }),
        ),
      ),
    );
    this.chart = new ProbabilityChart(byId<HTMLCanvasElement>('probabilities-chart'), palette);
    byId('probabilities').append(
      exportButtons('mnist-prediction', t('export.probabilities'), this.chart.exportable(), post, () => this.palette),
    );
    byId('no-model-train').addEventListener('click', onTrain);
  }

  showNoModel(): void {
    this.current = null;
    byId('no-model').hidden = false;
    byId('result').hidden = true;
  }

  show(message: PredictionMessage): void {
    this.current = message;
    this.render();
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.chart.setPalette(palette);
    this.render();
  }

  private render(): void {
    if (!this.current) return;
    const { prediction, imageUri, fileName } = this.current;
    const top = prediction.probabilities[prediction.digit] ?? 0;
    byId('no-model').hidden = true;
    byId('result').hidden = false;
    byId('file-name').textContent = fileName;
    const unsure = prediction.unsure !== null;
    // Unsure: no digit is named as the answer; the best guess is said to be one.
    byId('answer-lead').textContent = unsure ? t('prediction.unsureLead') : t('prediction.reads');
    byId('predicted-digit').textContent = String(prediction.digit);
    byId('predicted-digit').classList.toggle('guess', unsure);
    byId('confidence').textContent = t('prediction.confidence', formatPercent(top, 1));
    byId('unsure').hidden = !unsure;
    byId('unsure').textContent = prediction.unsure ? t('prediction.unsure', unsureWords(prediction.unsure)) : '';
    byId('top3').replaceChildren(
      ...prediction.top3.map((r) =>
        h(
          'li',
          {},
          h('strong', {}, String(r.digit)),
          ' ',
          h('span', { class: 'muted' }, formatPercent(r.probability, 1)),
        ),
      ),
    );
    renderSteps(byId('steps'), prediction.steps);
    byId<HTMLImageElement>('original-image').src = imageUri;
    putPixels(
      byId<HTMLCanvasElement>('model-input'),
      MNIST_SIDE,
      MNIST_SIDE,
      paint(prediction.input, {
        kind: 'sequential',
        min: 0,
        max: 1,
        low: this.palette.background,
        high: this.palette.foreground,
      }),
    );
    byId('probabilities').dataset.probabilities = JSON.stringify(prediction.probabilities.map((p) => +p.toFixed(6)));
    this.chart.show(prediction, this.palette);
  }
}

/** Why the answer is a guess, in the display language. */
function unsureWords(reason: UnsureReason): string {
  switch (reason.kind) {
    case 'empty':
      return t('prediction.unsure.empty');
    case 'severalDigits':
      return t('prediction.unsure.severalDigits');
    case 'tooManyMarks':
      return t('prediction.unsure.tooManyMarks', reason.marks);
    case 'lowProbability':
      return t('prediction.unsure.lowProbability', reason.percent);
  }
}

const store = new RunStateStore();
const view = new PredictionView(
  byId('app'),
  readPalette(),
  () => host.post({ type: 'command', command: 'train' }),
  (message) => host.post(message),
);
const host = connectToHost<Record<string, never>>((message: HostToWebview) => {
  if (store.apply(message)) return;
  if (message.type === 'noModel') view.showNoModel();
  else if (message.type === 'prediction') view.show(message);
});
onThemeChange(() => view.setPalette(readPalette()));
