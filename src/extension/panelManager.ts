// The four panels, one of each kind: opening or revealing them, restoring them after a reload
// (serializers), and answering their requests from the host's data (MNIST) or the trainer (weights).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
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
  type WebviewToHost,
} from '../shared/webviewProtocol';
import type { RunStore } from './runStore';
import { type DatasetStore, weightView } from './datasetStore';
import { Disposable } from './dispose';
import { TensorLensPanel, VIEW_TYPES, webviewOptions } from './webviewPanel';
import type { RunController } from './runController';
import { commandIds } from './commandIds';
import { MistakeExplainer } from './mistakeExplainer';
import { MNIST_SIDE } from '../shared/mnist';

const MEMENTO = {
  tensor: 'tensorLens.lastTensor',
  prediction: 'tensorLens.lastPredictionFile',
  runs: 'tensorLens.comparedRuns',
} as const;

/** The book's model's weights, in the order the drawing pad runs them. */
const DRAW_WEIGHTS = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'] as const;

const IMAGE_MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };

export class PanelManager extends Disposable {
  private readonly open = new Map<PanelKind, TensorLensPanel>();
  private readonly mistakes: MistakeExplainer;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: RunController,
    private readonly dataset: DatasetStore,
    private readonly log: (text: string) => void,
    private readonly runs: RunStore,
  ) {
    super();
    this.mistakes = new MistakeExplainer(dataset, () => this.modelWeights());
    for (const kind of Object.keys(VIEW_TYPES) as PanelKind[]) {
      this.register(
        vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[kind], {
          deserializeWebviewPanel: async (panel) => this.restore(kind, panel),
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
            (error: Error) => this.log(`drawing pad: ${error.message}`),
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

  /** Opens the inspector on a dataset tensor, a weight (fetched from the trainer) or the last input. */
  async showTensor(name: string, sliceIndex: number | null = null): Promise<void> {
    const view = await this.tensorView(name, sliceIndex);
    await this.context.workspaceState.update(MEMENTO.tensor, name);
    const panel = this.panel('tensor');
    panel.setTitle(vscode.l10n.t('Tensor: {0}', name));
    panel.setContent({ type: 'tensor', tensor: view });
  }

  async showPrediction(prediction: Prediction): Promise<void> {
    await this.context.workspaceState.update(MEMENTO.prediction, prediction.file);
    this.panel('prediction').setContent(this.predictionMessage(prediction));
  }

  /** The runs' curves on the same axes, labelled by what differs between them (read afresh: a run may have gone on). */
  async showRuns(ids: readonly string[], keras: readonly ComparedKerasRun[] = []): Promise<void> {
    await this.context.workspaceState.update(MEMENTO.runs, [...ids]);
    this.comparedRecords = await this.runs.records(ids);
    this.panel('runs').setContent(this.runsMessage(this.comparedRecords, keras));
  }

  /** The kept runs the Runs panel shows, so a live Keras run beside them is redrawn without reading them again. */
  private comparedRecords: RunRecord[] = [];

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
      VIEW_TYPES[kind],
      panelTitle(kind),
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

  /** A panel VS Code brings back after a reload: same kind, its content rebuilt from what the host knows. */
  private async restore(kind: PanelKind, webviewPanel: vscode.WebviewPanel): Promise<void> {
    this.open.get(kind)?.dispose();
    const panel = this.adopt(kind, webviewPanel);
    try {
      if (kind === 'dataset') await this.showDatasetInfo(panel);
      if (kind === 'tensor') {
        const name = this.context.workspaceState.get<string>(MEMENTO.tensor);
        if (name) {
          panel.setTitle(vscode.l10n.t('Tensor: {0}', name));
          panel.setContent({ type: 'tensor', tensor: await this.tensorView(name, null) });
        }
      }
      if (kind === 'prediction') await this.restorePrediction(panel);
      if (kind === 'dashboard' && this.kerasRun) panel.setContent(this.kerasRun());
      if (kind === 'draw' && this.controller.hasModel) panel.setContent(await this.drawWeights());
      if (kind === 'runs') {
        const ids = this.context.workspaceState.get<string[]>(MEMENTO.runs) ?? [];
        panel.setContent(this.runsMessage(await this.runs.records(ids)));
      }
    } catch (error) {
      this.log(`could not restore the ${kind} panel's content: ${(error as Error).message}`);
    }
  }

  private async restorePrediction(panel: TensorLensPanel): Promise<void> {
    const last = this.controller.state.lastPrediction?.prediction;
    if (last) return panel.setContent(this.predictionMessage(last));
    const file = this.context.workspaceState.get<string>(MEMENTO.prediction);
    if (!file || !this.controller.hasModel) return panel.setContent({ type: 'noModel' });
    panel.setContent(this.predictionMessage((await this.controller.predict(file)).prediction));
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
        panel.setContent({ type: 'tensor', tensor: await this.tensorView(message.name, message.sliceIndex) });
        return;
      case 'openTensor':
        await this.showTensor(message.name);
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

  private async tensorView(name: string, sliceIndex: number | null): Promise<TensorPayload> {
    if (this.dataset.isDatasetTensor(name)) return this.dataset.tensorView(name, sliceIndex);
    if (name === PREDICTION_INPUT) {
      const last = this.controller.state.lastPrediction;
      if (!last) throw new Error('no prediction yet: run MNIST: Predict Digit in Image… first');
      return weightView(PREDICTION_INPUT, [MNIST_SIDE, MNIST_SIDE], last.prediction.input);
    }
    const tensor = await this.controller.getTensor(name);
    return weightView(tensor.name, tensor.shape, tensor.values);
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
      void vscode.window.showErrorMessage(vscode.l10n.t('Tensor Lens: {0}', (error as Error).message));
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
    void vscode.window.showInformationMessage(vscode.l10n.t('MNIST: saved {0}', target.fsPath));
  }

  /** Keras runs are not restored with the panel: they are the workspace's, read again when selected. */
  private runsMessage(records: RunRecord[], keras: readonly ComparedKerasRun[] = []): HostToWebview {
    const labels = runLabels(records);
    const kerasLabels = kerasRunLabels(keras);
    return {
      type: 'runs',
      runs: records.map((record, i) => ({ label: labels[i], record })),
      keras: keras.map((run, i) => ({ label: kerasLabels[i], run })),
    };
  }

  /** The image goes as a data: URI: no user folder has to become a webview resource root. */
  private predictionMessage(prediction: Prediction): HostToWebview {
    const mime = IMAGE_MIME[extname(prediction.file).toLowerCase()] ?? 'application/octet-stream';
    let imageUri = '';
    try {
      imageUri = `data:${mime};base64,${readFileSync(prediction.file).toString('base64')}`;
    } catch (error) {
      this.log(`could not read ${prediction.file} for display: ${(error as Error).message}`);
    }
    return { type: 'prediction', prediction, imageUri, fileName: basename(prediction.file) };
  }
}

/** The tab title of a panel, in the display language. */
function panelTitle(kind: PanelKind): string {
  switch (kind) {
    case 'dashboard':
      return vscode.l10n.t('MNIST Training');
    case 'tensor':
      return vscode.l10n.t('Tensor');
    case 'dataset':
      return vscode.l10n.t('MNIST Samples');
    case 'prediction':
      return vscode.l10n.t('Digit Prediction');
    case 'runs':
      return vscode.l10n.t('MNIST Runs');
    case 'draw':
      return vscode.l10n.t('Draw a Digit');
    case 'mistake':
      return vscode.l10n.t('A Mistake Explained');
  }
}
