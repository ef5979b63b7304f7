// The four panels, one of each kind: opening or revealing them, restoring them after a reload
// (serializers), and answering their requests from the host's data (MNIST) or the trainer (weights).
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import * as vscode from 'vscode';
import type { Prediction } from '../shared/protocol';
import type { HostToWebview, PanelKind, TensorView, WebviewToHost } from '../shared/webviewProtocol';
import { type DatasetStore, weightView } from './datasetStore';
import { TensorLensPanel, VIEW_TYPES, webviewOptions } from './panel';
import type { RunController } from './runController';

const COMMAND_IDS = {
  train: 'tensorLens.train',
  stop: 'tensorLens.stop',
  evaluate: 'tensorLens.evaluate',
  showDashboard: 'tensorLens.showDashboard',
} as const;

/** Name of the input the last prediction fed the model, openable in the inspector. */
export const PREDICTION_INPUT = 'prediction/input';

const MEMENTO = { tensor: 'tensorLens.lastTensor', prediction: 'tensorLens.lastPredictionFile' } as const;

const IMAGE_MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };

export class PanelManager implements vscode.Disposable {
  private readonly open = new Map<PanelKind, TensorLensPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: RunController,
    private readonly dataset: DatasetStore,
    private readonly log: (text: string) => void,
  ) {
    for (const kind of Object.keys(VIEW_TYPES) as PanelKind[]) {
      this.disposables.push(
        vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[kind], {
          deserializeWebviewPanel: async (panel) => this.restore(kind, panel),
        }),
      );
    }
    // The dataset panel colours mistakes once an evaluation exists.
    this.disposables.push({
      dispose: controller.onEvent((event) => {
        if (event.type === 'evaluation') this.open.get('dataset')?.show(this.datasetInfo());
      }),
    });
  }

  showDashboard(): void {
    this.panel('dashboard');
  }

  showDataset(): void {
    const panel = this.panel('dataset');
    try {
      panel.show(this.datasetInfo());
    } catch (error) {
      void vscode.window.showErrorMessage(`Tensor Lens: ${(error as Error).message}`);
    }
  }

  /** Opens the inspector on a dataset tensor, a weight (fetched from the trainer) or the last input. */
  async showTensor(name: string, sliceIndex: number | null = null): Promise<void> {
    const view = await this.tensorView(name, sliceIndex);
    await this.context.workspaceState.update(MEMENTO.tensor, name);
    const panel = this.panel('tensor');
    panel.setTitle(vscode.l10n.t('Tensor: {0}', name));
    panel.show({ type: 'tensor', tensor: view });
  }

  async showPrediction(prediction: Prediction): Promise<void> {
    await this.context.workspaceState.update(MEMENTO.prediction, prediction.file);
    this.panel('prediction').show(this.predictionMessage(prediction));
  }

  showNoModel(): void {
    this.panel('prediction').show({ type: 'noModel' });
  }

  dispose(): void {
    for (const panel of [...this.open.values()]) panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
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
      if (kind === 'dataset') panel.show(this.datasetInfo());
      if (kind === 'tensor') {
        const name = this.context.workspaceState.get<string>(MEMENTO.tensor);
        if (name) {
          panel.setTitle(vscode.l10n.t('Tensor: {0}', name));
          panel.show({ type: 'tensor', tensor: await this.tensorView(name, null) });
        }
      }
      if (kind === 'prediction') await this.restorePrediction(panel);
    } catch (error) {
      this.log(`could not restore the ${kind} panel's content: ${(error as Error).message}`);
    }
  }

  private async restorePrediction(panel: TensorLensPanel): Promise<void> {
    const last = this.controller.state.lastPrediction?.prediction;
    if (last) return panel.show(this.predictionMessage(last));
    const file = this.context.workspaceState.get<string>(MEMENTO.prediction);
    if (!file || !this.controller.hasModel) return panel.show({ type: 'noModel' });
    panel.show(this.predictionMessage((await this.controller.predict(file)).prediction));
  }

  private async handle(panel: TensorLensPanel, message: Exclude<WebviewToHost, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'command':
        await vscode.commands.executeCommand(COMMAND_IDS[message.command]);
        return;
      case 'requestSamples': {
        const page = this.dataset.samples(message.split, message.start, message.count);
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
        panel.show({ type: 'tensor', tensor: await this.tensorView(message.name, message.sliceIndex) });
        return;
      case 'openTensor':
        await this.showTensor(message.name);
        return;
      default: {
        const never: never = message;
        throw new Error(`unhandled panel message ${JSON.stringify(never)}`);
      }
    }
  }

  private async tensorView(name: string, sliceIndex: number | null): Promise<TensorView> {
    if (this.dataset.isDatasetTensor(name)) return this.dataset.tensorView(name, sliceIndex);
    if (name === PREDICTION_INPUT) {
      const last = this.controller.state.lastPrediction;
      if (!last) throw new Error('no prediction yet: run MNIST: Predict Digit in Image… first');
      return weightView(PREDICTION_INPUT, [28, 28], last.prediction.input);
    }
    const tensor = await this.controller.getTensor(name);
    return weightView(tensor.name, tensor.shape, tensor.values);
  }

  private datasetInfo(): HostToWebview {
    const data = this.dataset.data();
    return {
      type: 'datasetInfo',
      counts: { train: data.train.count, test: data.test.count },
      // Copies: views would carry their whole file buffer through postMessage.
      labels: { train: data.train.labels.slice(), test: data.test.labels.slice() },
      testPredictions: this.controller.state.evaluation?.predictedLabels ?? null,
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
  }
}
