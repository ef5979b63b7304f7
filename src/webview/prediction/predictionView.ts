// Prediction view: the answer (or a plain "unsure"), the top 3, the preprocessing steps as a strip
// of small pictures, the 28×28 input the model saw and the ten probabilities; without a model, a
// way to train one.
import type { SavedPanelState } from '../../shared/panelState';
import type { HostToWebview, WebviewToHost } from '../../shared/webviewProtocol';
import { putPixels } from '../common/canvas';
import { button, h } from '../common/dom';
import { formatPercent } from '../../shared/format';
import { type PanelHost, connectToHost } from '../common/host';
import { RunStateStore } from '../common/runStateStore';
import { paint } from '../common/scales';
import { type Palette, onThemeChange, readPalette } from '../common/theme';
import { ProbabilityChart } from './probabilities';
import { exportButtons } from '../common/chartExport';
import { renderSteps, showOriginal } from './steps';
import { MNIST_SIDE } from '../../shared/mnist';
import type { UnsureReason } from '../../shared/verdict';
import { t } from '../common/strings';

type PredictionMessage = Extract<HostToWebview, { type: 'prediction' }>;

export class PredictionView {
  private readonly store = new RunStateStore();
  private readonly host: PanelHost<SavedPanelState<'prediction'>>;
  private palette: Palette = readPalette();
  private current: PredictionMessage | null = null;
  private readonly el: PredictionElements;
  private readonly chart: ProbabilityChart;

  constructor(root: HTMLElement) {
    this.el = predictionLayout();
    root.replaceChildren(this.el.noModel, this.el.result);
    this.chart = new ProbabilityChart(this.el.probabilitiesChart, this.palette);
    const post = (message: WebviewToHost) => this.host.post(message);
    this.el.probabilities.append(
      exportButtons('mnist-prediction', t('export.probabilities'), this.chart.exportable(), post, () => this.palette),
    );
    this.el.noModelTrain.addEventListener('click', () => post({ type: 'command', command: 'train' }));
    // Connected once everything the host's messages reach exists.
    this.host = connectToHost<SavedPanelState<'prediction'>>((message) => this.receive(message));
    onThemeChange(() => this.setPalette(readPalette()));
  }

  private receive(message: HostToWebview): void {
    if (this.store.apply(message)) return;
    if (message.type === 'noModel') this.showNoModel();
    else if (message.type === 'prediction') this.show(message);
  }

  private showNoModel(): void {
    this.current = null;
    this.host.saveViewState({ shows: undefined });
    this.el.noModel.hidden = false;
    this.el.result.hidden = true;
  }

  private show(message: PredictionMessage): void {
    this.current = message;
    // What a reload brings back (the host predicts the file again).
    this.host.saveViewState({ shows: { file: message.prediction.file } });
    this.render();
  }

  private setPalette(palette: Palette): void {
    this.palette = palette;
    this.chart.setPalette(palette);
    this.render();
  }

  private render(): void {
    if (!this.current) return;
    const { el } = this;
    const { prediction, fileName } = this.current;
    const top = prediction.probabilities[prediction.digit] ?? 0;
    el.noModel.hidden = true;
    el.result.hidden = false;
    el.fileName.textContent = fileName;
    const unsure = prediction.unsure !== null;
    // Unsure: no digit is named as the answer; the best guess is said to be one.
    el.answerLead.textContent = unsure ? t('prediction.unsureLead') : t('prediction.reads');
    el.predictedDigit.textContent = String(prediction.digit);
    el.predictedDigit.classList.toggle('guess', unsure);
    el.confidence.textContent = t('prediction.confidence', formatPercent(top, 1));
    el.unsure.hidden = !unsure;
    el.unsure.textContent = prediction.unsure ? t('prediction.unsure', unsureWords(prediction.unsure)) : '';
    el.top3.replaceChildren(
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
    renderSteps(el.steps, prediction.steps);
    showOriginal(el.originalImage, prediction.steps);
    putPixels(
      el.modelInput,
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
    el.probabilities.dataset.probabilities = JSON.stringify(prediction.probabilities.map((p) => +p.toFixed(6)));
    this.chart.show(prediction, this.palette);
  }
}

/** Why the answer is a guess, in the display language. */
function unsureWords(reason: UnsureReason): string {
  switch (reason.kind) {
    case 'empty':
      return t('prediction.unsure.empty');
    case 'notADigit':
      return t('prediction.unsure.notADigit');
    case 'smallInk':
      return t('prediction.unsure.smallInk', reason.span);
    case 'notADigitShape':
      return t('prediction.unsure.notADigitShape', reason.digit, reason.holes, reason.endpoints, reason.junctions);
    case 'severalDigits':
      return t('prediction.unsure.severalDigits');
    case 'tooManyMarks':
      return t('prediction.unsure.tooManyMarks', reason.marks);
    case 'lowProbability':
      return t('prediction.unsure.lowProbability', reason.percent);
  }
}

export type PredictionElements = ReturnType<typeof predictionLayout>;

/** The panel's two sections (no model; the result) and the elements the view writes to. The ids
 *  are the ones the UI tests target. */
export function predictionLayout() {
  const el = {
    noModelTrain: button(t('prediction.train'), t('prediction.trainAria'), { id: 'no-model-train' }, 'primary'),
    fileName: h('h1', { id: 'file-name' }),
    answerLead: h('span', { id: 'answer-lead', class: 'muted' }, t('prediction.reads')),
    predictedDigit: h('strong', { id: 'predicted-digit', 'aria-live': 'polite' }),
    confidence: h('span', { id: 'confidence', class: 'muted' }),
    unsure: h('p', { id: 'unsure', class: 'unsure', role: 'status', hidden: '' }),
    top3: h('ol', { id: 'top3', class: 'top3', 'aria-label': t('prediction.top3Aria') }),
    steps: h('div', { id: 'steps', class: 'steps', 'aria-label': t('prediction.stepsAria') }),
    originalImage: h('canvas', { id: 'original-image', role: 'img', 'aria-label': t('prediction.imageAlt') }),
    modelInput: h('canvas', {
      id: 'model-input',
      class: 'pixelated',
      role: 'img',
      'aria-label': t('prediction.inputAria', MNIST_SIDE),
    }),
    probabilitiesChart: h('canvas', {
      id: 'probabilities-chart',
      role: 'img',
      'aria-label': t('prediction.probabilitiesAria'),
    }),
  };
  const probabilities = h(
    'div',
    { id: 'probabilities', class: 'chart', 'data-probabilities': '' },
    el.probabilitiesChart,
  );
  return {
    ...el,
    probabilities,
    noModel: h(
      'section',
      { id: 'no-model', class: 'card no-model', hidden: '' },
      h('p', {}, t('prediction.noModel')),
      el.noModelTrain,
    ),
    result: h(
      'section',
      { id: 'result', class: 'result', hidden: '' },
      el.fileName,
      h('div', { class: 'answer' }, el.answerLead, el.predictedDigit, el.confidence),
      el.unsure,
      el.top3,
      el.steps,
      h(
        'div',
        { class: 'images' },
        h('figure', {}, el.originalImage, h('figcaption', { class: 'muted' }, t('prediction.imageCaption'))),
        h('figure', {}, el.modelInput, h('figcaption', { class: 'muted' }, t('prediction.inputCaption', MNIST_SIDE))),
      ),
      probabilities,
    ),
  };
}
