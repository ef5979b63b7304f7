// The panels, one of each kind: opening or revealing them, restoring them after a reload showing what
// they showed (serializers, from the state each webview saved), and answering their requests from the
// host's data (MNIST) or the trainer (weights).
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Prediction } from '../shared/protocol';
import { type RunRecord, runLabels } from '../shared/runRecord';
import { type ComparedKerasRun, kerasRunLabels } from '../shared/kerasCompare';
import type { DenseWeightValues } from '../shared/denseForward';
import {
  type HostToWebview,
  PREDICTION_INPUT,
  type PanelKind,
  type TensorPayload,
  type TensorRef,
  type WebviewToHost,
} from '../shared/webviewProtocol';
import type { RunStore } from './runStore';
import { type DatasetStore, tensorPayload } from './datasetStore';
import { Disposable } from './dispose';
import type { Logger } from './logger';
import { TensorLensPanel, webviewOptions } from './webviewPanel';
import type { RunController } from './runController';
import { commandIds } from './commandIds';
import { MistakeExplainer } from './mistakeExplainer';
import { MNIST_SIDE } from '../shared/mnist';
import { parsePanelState } from '../shared/panelState';
import { errorLine } from '../shared/errors';
import { FaultError } from '../shared/faults';
import { errorText } from './faultWords';
import { PANEL_KINDS, type PanelFiller, panelKinds } from './panelKinds';
import { predictionMessage } from './predictionMessage';
import { ShownKerasTensor } from './kerasTensorPayload';
import type { KerasRun } from './kerasRuns';

/** The Keras runs the inspector can show weights of (KerasRunsService). */
export interface KerasRunSource {
  /** The run whose folder is named `runId`, once the runs were looked for (a restore may come first). */
  run(runId: string): Promise<KerasRun | undefined>;
  readonly onDidChange: vscode.Event<void>;
}

/** The book's model's weights, in the order the drawing pad runs them. */
const DRAW_WEIGHTS = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'] as const;

export class PanelManager extends Disposable {
  private readonly open = new Map<PanelKind, TensorLensPanel>();
  private readonly mistakes: MistakeExplainer;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: RunController,
    private readonly dataset: DatasetStore,
    private readonly log: Logger,
    private readonly runs: RunStore,
    private readonly keras: KerasRunSource,
  ) {
    super();
    this.register(keras.onDidChange(() => void this.refreshKerasTensor()));
    this.mistakes = new MistakeExplainer(dataset, () => this.modelWeights());
    for (const kind of panelKinds) {
      this.register(
        vscode.window.registerWebviewPanelSerializer(PANEL_KINDS[kind].viewType, {
          deserializeWebviewPanel: (panel, state: unknown) => this.restore(kind, panel, state),
        }),
      );
    }
    // The dataset panel colours mistakes once an evaluation exists; the drawing pad follows the model.
    this.register(
      controller.onEvent((event) => {
        const dataset = this.open.get('dataset');
        if (event.type === 'evaluation' && dataset) void this.showDatasetInfo(dataset);
        const modelChanged = (event.type === 'trainEnd' && event.reason === 'stopped') || event.type === 'loaded';
        const runFinished = event.type === 'evaluation' && event.requestId === null;
        const pad = this.open.get('draw');
        if (pad && (modelChanged || runFinished))
          void this.drawWeights().then(
            (message) => pad.setContent(message),
            (error: Error) => this.log.error(`drawing pad: ${error.message}`),
          );
      }),
    );
  }

  showDashboard(): void {
    const dashboard = this.panel('dashboard');
    const keras = this.kerasRun?.();
    if (keras) dashboard.setContent(keras);
  }

  /** The followed Keras run's curves, made when a dashboard is there to show them (now, or when one opens). */
  private kerasRun: (() => HostToWebview) | undefined;

  showKerasRun(message: () => HostToWebview): void {
    this.kerasRun = message;
    this.open.get('dashboard')?.setContent(message());
  }

  showDataset(): Promise<void> {
    return this.showDatasetInfo(this.panel('dataset'));
  }

  /** Opens the inspector on a dataset tensor, a weight (from the trainer or a Keras run's snapshot) or the last input. */
  async showTensor(tensor: TensorRef, sliceIndex: number | null = null): Promise<void> {
    const view = await this.tensorPayload(tensor, sliceIndex);
    this.setTensor(this.panel('tensor'), view);
  }

  /** The Keras weight the inspector shows, read again when its run has a newer snapshot. */
  private shownKeras: ShownKerasTensor | null = null;

  /** A newer snapshot of the run whose weight the inspector shows: read again (it keeps its slice). */
  private async refreshKerasTensor(): Promise<void> {
    const shown = this.shownKeras;
    const panel = this.open.get('tensor');
    if (!shown || !panel) return;
    const run = await this.keras.run(shown.ref.runId);
    if (!run) return;
    try {
      const payload = await shown.refresh(run);
      // The inspector may have moved on to another tensor meanwhile.
      if (payload && this.shownKeras === shown) panel.setContent({ type: 'tensor', tensor: payload });
    } catch (error) {
      this.log.warn(`the inspector keeps ${shown.ref.name}: ${errorLine(error)}`);
    }
  }

  showPrediction(prediction: Prediction): void {
    this.panel('prediction').setContent(predictionMessage(prediction));
  }

  /** The runs' curves on the same axes, labelled by what differs between them (read afresh: a run may have gone on). */
  async showRuns(ids: readonly string[], keras: readonly ComparedKerasRun[] = []): Promise<void> {
    this.comparedRecords = await this.runs.records(ids);
    this.panel('runs').setContent(this.runsMessage(this.comparedRecords, keras));
  }

  /** The kept runs the Runs panel shows, so a live Keras run beside them is redrawn without reading them again. */
  private comparedRecords: RunRecord[] = [];

  /**
   * The Keras runs a restored Runs panel showed, by run id: from then on they are the ones compared
   * (and redrawn as they go on, or once the workspace's runs are found). Set by KerasRunPanels.
   */
  kerasRunsShown: (ids: readonly string[]) => ComparedKerasRun[] = () => [];

  /** The Keras runs the Runs panel shows moved on: redrawn there, if it is open (not brought to the front). */
  updateComparedKerasRuns(keras: readonly ComparedKerasRun[]): void {
    this.open.get('runs')?.setContent(this.runsMessage(this.comparedRecords, keras));
  }

  /** The drawing pad, with the current model's weights (fetched from the trainer, loading the saved model if need be). */
  async showDrawing(): Promise<void> {
    const message = await this.drawWeights();
    this.panel('draw').setContent(message);
  }

  /** Test sample `index` explained: probabilities, the five nearest training digits, the units behind the answer. */
  async showMistake(index: number): Promise<void> {
    const mistake = await this.mistakes.explain(index);
    // null: a newer request replaced this one, and the panel will show that.
    if (mistake) this.panel('mistake').setContent({ type: 'mistake', mistake });
  }

  /** A panel's content from what names it: for a panel VS Code restores, from what its webview saved. */
  private readonly fill: PanelFiller = {
    dataset: (panel) => this.showDatasetInfo(panel),
    tensor: async (panel, tensor, sliceIndex) => this.setTensor(panel, await this.tensorPayload(tensor, sliceIndex)),
    prediction: async (panel, file) => {
      const last = this.controller.state.lastPrediction?.prediction;
      if (last && (file === null || last.file === file)) return panel.setContent(predictionMessage(last));
      if (file === null || !this.controller.hasModel) return panel.setContent({ type: 'noModel' });
      panel.setContent(predictionMessage((await this.controller.predict(file)).prediction));
    },
    runs: async (panel, ids, kerasIds) => {
      this.comparedRecords = await this.runs.records(ids);
      panel.setContent(this.runsMessage(this.comparedRecords, this.kerasRunsShown(kerasIds)));
    },
    drawing: async (panel) => {
      if (this.controller.hasModel) panel.setContent(await this.drawWeights());
    },
    mistake: async (panel, index) => {
      const mistake = await this.mistakes.explain(index);
      if (mistake) panel.setContent({ type: 'mistake', mistake });
    },
  };

  private setTensor(panel: TensorLensPanel, tensor: TensorPayload): void {
    panel.setTitle(vscode.l10n.t('Tensor: {0}', tensor.ref.name));
    panel.setContent({ type: 'tensor', tensor });
  }

  private async drawWeights(): Promise<Extract<HostToWebview, { type: 'drawWeights' }>> {
    return { type: 'drawWeights', weights: await this.modelWeights() };
  }

  private async modelWeights(): Promise<DenseWeightValues> {
    const [kernel1, bias1, kernel2, bias2] = await Promise.all(
      DRAW_WEIGHTS.map(async (name) => (await this.controller.getTensor(name)).values),
    );
    return { kernel1, bias1, kernel2, bias2 };
  }

  showNoModel(): void {
    this.panel('prediction').setContent({ type: 'noModel' });
  }

  override dispose(): void {
    for (const panel of [...this.open.values()]) panel.dispose();
    super.dispose();
  }

  private panel(kind: PanelKind): TensorLensPanel {
    const existing = this.open.get(kind);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const created = vscode.window.createWebviewPanel(
      PANEL_KINDS[kind].viewType,
      PANEL_KINDS[kind].title(vscode.l10n),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(this.context.extensionUri),
    );
    return this.adopt(kind, created);
  }

  private adopt(kind: PanelKind, webviewPanel: vscode.WebviewPanel): TensorLensPanel {
    const panel = new TensorLensPanel(
      kind,
      webviewPanel,
      this.context.extensionUri,
      this.controller,
      (p, m) => this.handle(p, m),
      this.log,
    );
    this.open.set(kind, panel);
    // The subscription ends with the panel (its emitter is disposed with it).
    panel.onDidDispose(() => {
      if (this.open.get(kind) === panel) this.open.delete(kind);
    });
    return panel;
  }

  /**
   * A panel VS Code brings back after a reload, showing what its webview saved it showed. That state
   * comes from the webview: one the webview could not have saved opens the panel empty, with a line.
   */
  private async restore<K extends PanelKind>(
    kind: K,
    webviewPanel: vscode.WebviewPanel,
    state: unknown,
  ): Promise<void> {
    this.open.get(kind)?.dispose();
    const panel = this.adopt(kind, webviewPanel);
    const saved = parsePanelState(kind, state);
    if (!saved.ok) {
      this.log.warn(
        `the ${kind} panel came back with a state Tensor Lens does not save (${saved.fault}): it opens empty`,
      );
      return;
    }
    try {
      await PANEL_KINDS[kind].restore(this.fill, panel, saved.shows);
      // A followed Keras run is the host's, not the webview's: a restored dashboard gets it again.
      if (kind === 'dashboard' && this.kerasRun) panel.setContent(this.kerasRun());
    } catch (error) {
      this.log.error(`could not restore the ${kind} panel's content: ${errorLine(error)}`);
      const shows = saved.shows;
      if (kind === 'tensor' && shows !== null && 'tensor' in shows)
        panel.setContent({ type: 'tensorUnavailable', name: shows.tensor.name, reason: errorText(error) });
    }
  }

  private async handle(panel: TensorLensPanel, message: Exclude<WebviewToHost, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'command':
        await vscode.commands.executeCommand(commandIds[message.command]);
        return;
      case 'requestSamples': {
        const page = await this.dataset.samples(message.split, message.start, message.count);
        panel.post({
          type: 'samples',
          split: message.split,
          start: message.start,
          count: page.count,
          images: page.images,
          labels: page.labels,
        });
        return;
      }
      case 'requestTensor':
        panel.setContent({ type: 'tensor', tensor: await this.tensorPayload(message.tensor, message.sliceIndex) });
        return;
      case 'openTensor':
        await this.showTensor({ source: 'tensorLens', name: message.name });
        return;
      case 'explainMistake':
        await this.showMistake(message.index);
        return;
      case 'exportChart':
        await this.exportChart(message.format, message.name, message.data);
        return;
      default: {
        const never: never = message;
        throw new Error(`unhandled panel message ${JSON.stringify(never)}`);
      }
    }
  }

  private async tensorPayload(tensor: TensorRef, sliceIndex: number | null): Promise<TensorPayload> {
    if (tensor.source === 'keras') {
      this.shownKeras = null;
      const run = await this.keras.run(tensor.runId);
      if (!run) throw new FaultError({ kind: 'kerasRunGone', run: tensor.runId });
      const { shown, payload } = await ShownKerasTensor.open(run, tensor, sliceIndex);
      this.shownKeras = shown;
      return payload;
    }
    this.shownKeras = null;
    const name = tensor.name;
    if (this.dataset.isDatasetTensor(name)) return this.dataset.tensorPayload(name, sliceIndex);
    if (name === PREDICTION_INPUT) {
      const last = this.controller.state.lastPrediction;
      if (!last) throw new Error(vscode.l10n.t('no prediction yet: run MNIST: Predict Digit in Image… first'));
      return tensorPayload(PREDICTION_INPUT, [MNIST_SIDE, MNIST_SIDE], last.prediction.input);
    }
    const weight = await this.controller.getTensor(name);
    return tensorPayload(weight.name, weight.shape, weight.values);
  }

  /** The dataset panel's counts and labels, once the dataset worker has read the files. */
  private async showDatasetInfo(panel: TensorLensPanel): Promise<void> {
    try {
      const { data } = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading MNIST…') },
        () => this.dataset.load(),
      );
      panel.setContent({
        type: 'datasetInfo',
        counts: { train: data.train.count, test: data.test.count },
        // Copies: views would carry their whole file buffer through postMessage.
        labels: { train: data.train.labels.slice(), test: data.test.labels.slice() },
        testPredictions: this.controller.state.evaluation?.predictedLabels ?? null,
      });
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tensor Lens: {0}', errorText(error)));
    }
  }

  /** Saves a chart's PNG or CSV where the person picks (the save dialog asks before replacing a file). */
  private async exportChart(format: 'png' | 'csv', name: string, data: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${name}.${format}`) : undefined,
      filters: format === 'png' ? { [vscode.l10n.t('PNG image')]: ['png'] } : { [vscode.l10n.t('CSV data')]: ['csv'] },
      title: vscode.l10n.t('Export chart'),
    });
    if (!target) return;
    const bytes =
      format === 'png' ? Buffer.from(data.slice(data.indexOf(',') + 1), 'base64') : Buffer.from(data, 'utf8');
    if (target.scheme === 'file') writeFileSync(target.fsPath, bytes);
    else await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(vscode.l10n.t('Tensor Lens: saved {0}', target.fsPath));
  }

  private runsMessage(records: RunRecord[], keras: readonly ComparedKerasRun[] = []): HostToWebview {
    const labels = runLabels(records);
    const kerasLabels = kerasRunLabels(keras);
    return {
      type: 'runs',
      runs: records.map((record, i) => ({ label: labels[i], record })),
      keras: keras.map((run, i) => ({ label: kerasLabels[i], run })),
    };
  }
}
