// Training dashboard: live batch curves, epoch curves, progress, model summary, weight
// histograms and the test-set evaluation, all rendered from the run state.
import type { HostToWebview } from '../../shared/webviewProtocol';
import { formatCount } from '../../shared/format';
import { exportButtons } from '../common/chartExport';
import { frameScheduler } from '../common/frame';
import { type PanelHost, connectToHost } from '../common/host';
import { RunStateStore } from '../common/runStateStore';
import { type Palette, onThemeChange, readPalette } from '../common/theme';
import { faultText, t } from '../common/strings';
import { BatchChart } from './batchCharts';
import { EpochChart } from './epochCharts';
import { renderAccuracies, renderConfusion } from './evaluation';
import { type DashboardElements, dashboardLayout } from './layout';
import { MisclassifiedGallery } from './misclassified';
import { deadUnitsLine, renderGradientTable } from './gradientHealth';
import { renderModelSummary } from './modelSummary';
import { StepCard } from './stepCard';
import { backendText, offersNativeInstall, progressInfo } from './progress';
import { Visibility } from './visibility';
import { KerasRunCard } from './kerasRunCard';
import type { KerasDashboardRun } from '../../shared/kerasDashboard';
import { WeightHistograms } from './weightHistograms';

/** The weights' scrubber's words for an epoch of Tensor Lens' own run. */
const epochWords = (epoch: number | null): string =>
  epoch === null
    ? t('dashboard.noWeights')
    : epoch === 0
      ? t('dashboard.initialWeights')
      : t('dashboard.afterEpoch', epoch);

interface DashboardViewState {
  smoothing: number;
  /** Epoch chosen on the weight scrubber; null follows the newest. */
  epoch: number | null;
  scrollY: number;
}

/** The smoothing the batch curves start with (TensorBoard's default is 0.6 too). */
const DEFAULT_SMOOTHING = 0.6;

/** Writes text only when it changed: every write replaces the text node, which the charts' DOM observers then scan. */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

export class DashboardView {
  private readonly store = new RunStateStore();
  private readonly host: PanelHost<DashboardViewState>;
  private readonly saved: Partial<DashboardViewState>;
  private palette: Palette = readPalette();
  private readonly scheduleRender = frameScheduler(() => this.render());
  // Charts and histograms are made and redrawn only on screen (or near it); see visibility.ts.
  private readonly visibility = new Visibility(this.scheduleRender);
  private readonly parts: Record<'loss' | 'accuracy' | 'epochLoss' | 'epochAccuracy' | 'histograms', HTMLElement>;
  private readonly lossChart: BatchChart;
  private readonly accuracyChart: BatchChart;
  private readonly epochLoss: EpochChart;
  private readonly epochAccuracy: EpochChart;
  private readonly histograms: WeightHistograms;
  private readonly gradientHistograms: WeightHistograms;
  /** Epoch entries of the gradients table drawn (the reducer adds to the same array). */
  private gradientsShown = -1;
  private readonly gallery: MisclassifiedGallery;
  private readonly stepCard: StepCard;
  private readonly el: DashboardElements;
  private summaryShown: unknown = undefined;
  private evaluationShown: unknown = undefined;
  private restoredScroll = false;
  private readonly kerasCard = new KerasRunCard();
  private kerasRun: KerasDashboardRun | null = null;

  constructor(root: HTMLElement) {
    this.host = connectToHost<DashboardViewState>((message) => this.receive(message));
    this.saved = this.host.viewState();
    const smoothing = this.saved.smoothing ?? DEFAULT_SMOOTHING;
    this.el = dashboardLayout(smoothing);
    const el = this.el;
    root.replaceChildren(el.root);
    // A followed Keras run is shown under the toolbar, first: it is what the person is running now.
    el.root.firstElementChild?.after(this.kerasCard.root);
    this.parts = {
      loss: el.loss.container,
      accuracy: el.accuracy.container,
      epochLoss: el.epochLoss.container,
      epochAccuracy: el.epochAccuracy.container,
      histograms: el.histogramGrid,
    };
    for (const part of Object.values(this.parts)) this.visibility.watch(part);
    const palette = this.palette;
    this.lossChart = new BatchChart(el.loss.canvas, this.parts.loss, 'loss', smoothing, palette);
    this.accuracyChart = new BatchChart(el.accuracy.canvas, this.parts.accuracy, 'accuracy', smoothing, palette);
    this.epochLoss = new EpochChart(el.epochLoss.canvas, this.parts.epochLoss, 'loss', palette);
    this.epochAccuracy = new EpochChart(el.epochAccuracy.canvas, this.parts.epochAccuracy, 'accuracy', palette);
    // PNG and CSV buttons on each chart.
    for (const [part, chart, name, what] of [
      [this.parts.loss, this.lossChart, 'mnist-batch-loss', t('export.batchLoss')],
      [this.parts.accuracy, this.accuracyChart, 'mnist-batch-accuracy', t('export.batchAccuracy')],
      [this.parts.epochLoss, this.epochLoss, 'mnist-epoch-loss', t('export.epochLoss')],
      [this.parts.epochAccuracy, this.epochAccuracy, 'mnist-epoch-accuracy', t('export.epochAccuracy')],
    ] as const)
      part.append(exportButtons(name, what, chart.exportable(), this.host.post, () => this.palette));
    this.histograms = new WeightHistograms(
      el.epochScrubber,
      el.epochLabel,
      this.parts.histograms,
      this.saved.epoch ?? null,
      (epoch) => {
        this.host.saveViewState({ epoch });
        this.histograms.render(this.store.state.weights, this.palette, this.visibility.isNear(this.parts.histograms));
        this.renderGradientHistograms(true);
      },
      epochWords,
    );
    this.gradientHistograms = new WeightHistograms(
      el.gradientScrubber,
      el.gradientEpochLabel,
      el.gradientGrid,
      null,
      () => {},
      epochWords,
    );
    this.gallery = new MisclassifiedGallery(el.misclassified, this.host.post);
    this.stepCard = new StepCard(el.stepCard, this.host.post);
    this.listen();
  }

  private receive(message: HostToWebview): void {
    if (this.store.apply(message)) {
      this.scheduleRender();
    } else if (message.type === 'kerasRun') {
      this.kerasRun = message.run;
      this.kerasCard.render(message.run, this.palette);
    } else if (message.type === 'samples' && message.split === 'test') {
      this.gallery.receive(message.start, message.count, message.images, message.labels, this.palette);
    }
  }

  private listen(): void {
    for (const [button, command] of [
      [this.el.train, 'train'],
      [this.el.stop, 'stop'],
      [this.el.step, 'step'],
      [this.el.evaluate, 'evaluate'],
    ] as const) {
      button.addEventListener('click', () => this.host.post({ type: 'command', command }));
    }
    this.el.installNative.addEventListener('click', () =>
      this.host.post({ type: 'command', command: 'installNative' }),
    );
    this.el.pause.addEventListener('click', () =>
      this.host.post({ type: 'command', command: this.store.state.paused ? 'resume' : 'pause' }),
    );

    const { smoothing, smoothingValue } = this.el;
    smoothing.addEventListener('input', () => {
      const weight = Number(smoothing.value);
      smoothingValue.textContent = weight.toFixed(2);
      this.lossChart.setSmoothing(weight);
      this.accuracyChart.setSmoothing(weight);
      this.scheduleRender();
      this.host.saveViewState({ smoothing: weight });
    });

    let scrollSave = 0;
    window.addEventListener('scroll', () => {
      clearTimeout(scrollSave);
      scrollSave = window.setTimeout(() => this.host.saveViewState({ scrollY: window.scrollY }), 200);
    });

    onThemeChange(() => {
      this.palette = readPalette();
      for (const chart of [this.lossChart, this.accuracyChart, this.epochLoss, this.epochAccuracy])
        chart.setPalette(this.palette);
      this.histograms.render(
        this.store.state.weights,
        this.palette,
        this.visibility.isNear(this.parts.histograms),
        true,
      );
      this.gallery.redraw(this.palette);
      this.stepCard.redraw(this.palette);
      this.kerasCard.clear();
      if (this.kerasRun) this.kerasCard.render(this.kerasRun, this.palette);
      this.renderGradientHistograms(true);
      this.evaluationShown = undefined;
      this.render();
    });
  }

  /** The gradient histograms of the epoch the weights' scrubber shows. */
  private renderGradientHistograms(force: boolean): void {
    this.gradientHistograms.chosen = this.histograms.chosen;
    this.gradientHistograms.render(
      this.store.state.gradients,
      this.palette,
      this.visibility.isNear(this.parts.histograms),
      force,
    );
  }

  private render(): void {
    const state = this.store.state;
    const { el, parts, visibility, palette } = this;
    // Where the parts are is read before anything is written, so it costs no extra layout.
    const near = {
      loss: visibility.isNear(parts.loss),
      accuracy: visibility.isNear(parts.accuracy),
      epochLoss: visibility.isNear(parts.epochLoss),
      epochAccuracy: visibility.isNear(parts.epochAccuracy),
      histograms: visibility.isNear(parts.histograms),
    };
    this.lossChart.update(state.batches, near.loss);
    this.accuracyChart.update(state.batches, near.accuracy);
    this.epochLoss.update(state.epochs, near.epochLoss);
    this.epochAccuracy.update(state.epochs, near.epochAccuracy);

    const training = state.status === 'training';
    el.train.toggleAttribute('disabled', training);
    el.stop.toggleAttribute('disabled', !training);
    el.pause.toggleAttribute('disabled', !training);
    setText(el.pause, state.paused ? t('step.resume') : t('step.pause'));
    el.pause.setAttribute('aria-label', state.paused ? t('step.resumeAria') : t('step.pauseAria'));
    el.step.toggleAttribute('disabled', training && !state.paused);
    el.evaluate.toggleAttribute('disabled', training || state.summary === null);
    setText(el.status, training && state.paused ? t('step.paused') : t(`status.${state.status}`));
    this.stepCard.show(state.lastStep, palette);

    const progress = progressInfo(state);
    const percent = progress.percent.toFixed(1);
    if (el.progress.dataset.percent !== percent) {
      el.progress.setAttribute('value', percent);
      el.progress.dataset.percent = percent;
    }
    setText(el.progressText, progress.text);
    setText(el.backend, backendText(state));
    el.backend.title = state.backend?.detail ?? '';
    el.installNative.hidden = !offersNativeInstall(state);
    setText(el.samplesPerSecond, state.samplesPerSecond > 0 ? formatCount(state.samplesPerSecond) : '—');
    el.error.hidden = state.error === null;
    setText(el.error, state.error === null ? '' : faultText(state.error));

    if (state.summary !== this.summaryShown) {
      this.summaryShown = state.summary;
      renderModelSummary(el.modelSummary, state.summary);
    }
    this.histograms.render(state.weights, palette, near.histograms);
    this.renderGradientHistograms(false);
    if (state.gradients.length !== this.gradientsShown) {
      this.gradientsShown = state.gradients.length;
      renderGradientTable(el.gradientTable, state.gradients);
      setText(el.deadUnits, deadUnitsLine(state.gradients));
    }

    if (state.evaluation !== this.evaluationShown) {
      this.evaluationShown = state.evaluation;
      const evaluation = state.evaluation;
      renderAccuracies(el.accuracies, evaluation, state.epochs);
      el.evaluationHint.hidden = evaluation !== null;
      el.confusionMatrix.hidden = evaluation === null;
      el.misclassifiedTitle.hidden = evaluation === null;
      if (evaluation) renderConfusion(el.confusionMatrix, evaluation, palette);
      this.gallery.show(evaluation, palette);
    }

    if (!this.restoredScroll && this.saved.scrollY) {
      this.restoredScroll = true;
      window.scrollTo(0, this.saved.scrollY);
    }
  }
}
