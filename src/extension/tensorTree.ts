// The "Tensors" view: the dataset as the book first looks at it, the model's weights (live while
// training), the layers' output shapes and the last prediction. Every figure comes from the run
// state or the host's MNIST data; refreshes are throttled because weights arrive every epoch.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TensorSummary } from '../shared/protocol';
import { PREDICTION_INPUT, type TensorRef, isTensorRef } from '../shared/webviewProtocol';
import { summarizeTensor } from '../shared/stats';
import type { DatasetStore } from './datasetStore';
import { Disposable, toDisposable } from './dispose';
import { histogramDataUri } from './histogramPng';
import type { RunController } from './runController';
import { formatCount, formatNumber, formatShape } from '../shared/format';
import { type ShownTensor, type TensorWords, tensorDescription, tensorTooltipMarkdown } from './tensorText';
import { commandIds } from './commandIds';
import { MNIST_SIDE } from '../shared/mnist';
import { errorText } from './faultWords';
import type { SnapshotHeader } from '../shared/runFormat/snapshot';
import type { KerasRun } from './kerasRuns';
import { kerasRunDescription, kerasRunTooltip } from './kerasRunText';
import { kerasRunName } from './kerasRunWords';
import { kerasWeightTensor } from './kerasTensors';

/** The Keras run the tree follows (KerasRunsService), if any. */
export interface FollowedKerasRun {
  readonly followed: KerasRun | undefined;
  readonly onDidChange: vscode.Event<void>;
}

export type RootId = 'keras' | 'dataset' | 'weights' | 'step' | 'layers' | 'prediction';

/** A tensor's tooltip words in the display language (the templates keep their {0}, {1}…). */
function tensorWords(): TensorWords {
  return {
    rank: vscode.l10n.t('rank (ndim)'),
    shape: vscode.l10n.t('shape'),
    dtype: vscode.l10n.t('dtype'),
    elements: vscode.l10n.t('elements'),
    bytes: vscode.l10n.t('bytes'),
    minMax: vscode.l10n.t('min / max'),
    meanStd: vscode.l10n.t('mean ± std'),
    zeros: vscode.l10n.t('zeros'),
    nanInf: vscode.l10n.t('NaN / ±Inf'),
    histogramAlt: vscode.l10n.t('histogram of {0} from {1} to {2}'),
    bins: vscode.l10n.t('{0} bins, log-scaled counts{1}'),
    sampled: vscode.l10n.t(', {0} of the values sampled'),
  };
}

export type TreeNode =
  | { kind: 'root'; root: RootId }
  /** `runId`: the Keras run a weight under the `keras` root belongs to. */
  | { kind: 'tensor'; root: RootId; name: string; runId?: string }
  | { kind: 'note'; root: RootId; label: string; description?: string; tooltip?: string; command?: vscode.Command };

/** What names the tensor a tree node shows, to the inspector. */
function tensorRefOf(node: Extract<TreeNode, { kind: 'tensor' }>): TensorRef {
  return node.root === 'keras' && node.runId !== undefined
    ? { source: 'keras', runId: node.runId, name: node.name }
    : { source: 'tensorLens', name: node.name };
}

/**
 * The tensor the Open Tensor command was given: a name (Tensor Lens' own), a TensorRef (a tree item's
 * click), or the tree's node (its context menu); undefined for anything else (the palette: pick one).
 */
export function openTensorArgument(arg: unknown): TensorRef | undefined {
  if (typeof arg === 'string') return { source: 'tensorLens', name: arg };
  if (isTensorRef(arg)) return arg;
  if (typeof arg === 'object' && arg !== null && (arg as TreeNode).kind === 'tensor')
    return tensorRefOf(arg as Extract<TreeNode, { kind: 'tensor' }>);
  return undefined;
}

const ROOTS: readonly RootId[] = ['dataset', 'weights', 'step', 'layers', 'prediction'];

/** Looked up when shown: the strings of the display language load with the extension. */
function rootLabel(root: RootId): string {
  switch (root) {
    case 'keras':
      return vscode.l10n.t('Keras run');
    case 'dataset':
      return vscode.l10n.t('Dataset');
    case 'weights':
      return vscode.l10n.t('Model weights');
    case 'step':
      return vscode.l10n.t('Last training step');
    case 'layers':
      return vscode.l10n.t('Layer outputs');
    case 'prediction':
      return vscode.l10n.t('Last prediction');
  }
}

const REFRESH_MS = 500;

export class TensorTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly histogramUris = new WeakMap<ShownTensor, string>();
  /** A Keras snapshot's weights as tensors, made once per snapshot read. */
  private kerasTensors: { of: SnapshotHeader; tensors: ShownTensor[] } | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private inputSummary: { of: object; summary: TensorSummary } | undefined;
  /**
   * Stats of the weights of a loaded model (a load reports shapes only) or of a stopped run's model
   * (it moved on since the last epoch's summary), fetched once from the trainer; [] while a loaded
   * model's are on their way; null when the run's streamed summaries describe the model in use.
   */
  private fetchedWeights: TensorSummary[] | null = null;
  /** Counts the model changes, so a fetch that a newer model overtook is dropped. */
  private modelGeneration = 0;

  constructor(
    private readonly controller: RunController,
    private readonly dataset: DatasetStore,
    private readonly keras?: FollowedKerasRun,
  ) {
    super();
    if (keras) this.register(keras.onDidChange(() => this.scheduleRefresh()));
    this.register(toDisposable(() => clearTimeout(this.refreshTimer)));
    this.register(
      controller.onEvent((event) => {
        if (event.type === 'trainStart' || event.type === 'loaded') this.modelGeneration++;
        if (event.type === 'trainStart') this.fetchedWeights = null;
        if (event.type === 'loaded') this.fetchedWeights = [];
        if (event.type === 'loaded') void this.fetchWeights(event.summary.weights.map((w) => w.name));
        // The trainer keeps a stopped run's model as of its last batch: the tree shows that model
        // (the last epoch's summary stays until its weights arrive).
        if (event.type === 'trainEnd' && event.reason === 'stopped') {
          void this.fetchWeights(controller.state.summary?.weights.map((w) => w.name) ?? []);
        }
        if (['modelSummary', 'weights', 'step', 'loaded', 'prediction', 'trainStart', 'error'].includes(event.type))
          this.scheduleRefresh();
      }),
    );
  }

  getChildren(node?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (!node) {
      const roots = ROOTS.map((root): TreeNode => ({ kind: 'root', root }));
      return this.keras?.followed ? [{ kind: 'root', root: 'keras' }, ...roots] : roots;
    }
    if (node.kind !== 'root') return [];
    switch (node.root) {
      case 'keras':
        return this.kerasChildren();
      case 'dataset':
        return this.datasetChildren();
      case 'weights':
        return this.weightChildren();
      case 'step':
        return this.stepChildren();
      case 'layers':
        return this.layerChildren();
      case 'prediction':
        return this.predictionChildren();
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'root') {
      const run = node.root === 'keras' ? this.keras?.followed : undefined;
      const item = new vscode.TreeItem(
        rootLabel(node.root),
        run ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = `root:${node.root}`;
      item.contextValue = `root.${node.root}`;
      if (run) {
        item.description = kerasRunName(run);
        item.tooltip = kerasRunTooltip(run);
      }
      return item;
    }
    if (node.kind === 'note') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = `${node.root}:note:${node.label}`;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.command = node.command;
      return item;
    }
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.root}:tensor:${node.name}`;
    const summary = this.summaryOf(node);
    if (summary) {
      item.description = tensorDescription(summary);
      item.tooltip = new vscode.MarkdownString(
        tensorTooltipMarkdown(summary, this.histogramUri(summary), tensorWords()),
      );
      item.tooltip.supportHtml = false;
    }
    item.iconPath = new vscode.ThemeIcon(summary && summary.shape.length >= 2 ? 'symbol-array' : 'symbol-numeric');
    item.contextValue = 'tensor';
    if (node.root === 'keras') {
      item.contextValue = 'kerasTensor';
      if (!summary) item.description = this.kerasHeaderDescription(node.name);
    }
    item.command = {
      command: commandIds.openTensor,
      title: vscode.l10n.t('Open Tensor'),
      arguments: [tensorRefOf(node)],
    };
    return item;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The Keras run whose weights the tree lists, if any (the Open Tensor picker lists them too). */
  get followedKerasRun(): KerasRun | undefined {
    return this.keras?.followed;
  }

  /** Names the inspector can open right now, for the Open Tensor picker. */
  openableTensors(): { name: string; description: string }[] {
    const named = (t: TensorSummary) => ({ name: t.name, description: tensorDescription(t) });
    const dataset = this.datasetSummaries().map(named);
    const weights = this.weightSummaries().map(named);
    const step = this.stepSummaries().map(named);
    const input = this.controller.state.lastPrediction
      ? [{ name: PREDICTION_INPUT, description: `float32 [${MNIST_SIDE}, ${MNIST_SIDE}]` }]
      : [];
    return [...dataset, ...weights, ...step, ...input];
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh();
    }, REFRESH_MS);
  }

  /** The followed run's state, then every weight the header names (statistics once a snapshot is read). */
  private kerasChildren(): TreeNode[] {
    const run = this.keras?.followed;
    if (!run) return [];
    const state: TreeNode = {
      kind: 'note',
      root: 'keras',
      label: kerasRunDescription(run),
      tooltip: kerasRunTooltip(run).value,
    };
    const weights = run.summary.header?.model.weights ?? [];
    const runId = path.basename(run.folder);
    return [state, ...weights.map((w): TreeNode => ({ kind: 'tensor', root: 'keras', name: w.name, runId }))];
  }

  private kerasWeightSummaries(): ShownTensor[] {
    const snapshot = this.keras?.followed?.snapshot;
    if (!snapshot) return [];
    if (this.kerasTensors?.of !== snapshot)
      this.kerasTensors = { of: snapshot, tensors: snapshot.weights.map(kerasWeightTensor) };
    return this.kerasTensors.tensors;
  }

  /** Before the first snapshot: the dtype and shape the header names. */
  private kerasHeaderDescription(name: string): string | undefined {
    const weight = this.keras?.followed?.summary.header?.model.weights.find((w) => w.name === name);
    return weight ? tensorDescription(weight) : undefined;
  }

  /** Read by the dataset worker on first expand; the view shows its progress bar meanwhile. */
  private async datasetChildren(): Promise<TreeNode[]> {
    try {
      const { summaries } = await vscode.window.withProgress(
        { location: { viewId: 'tensorLens.tensors' }, title: vscode.l10n.t('Reading MNIST…') },
        () => this.dataset.load(),
      );
      return summaries.map((t) => ({ kind: 'tensor', root: 'dataset', name: t.name }));
    } catch (error) {
      return [
        {
          kind: 'note',
          root: 'dataset',
          label: vscode.l10n.t('MNIST could not be read'),
          description: errorText(error),
          tooltip: errorText(error),
        },
      ];
    }
  }

  /** The host's own MNIST summaries if read already, else the trainer's if it read them. */
  private datasetSummaries(): TensorSummary[] {
    return this.dataset.current()?.summaries ?? this.controller.state.dataset?.tensors ?? [];
  }

  /** The newest weight summaries: they change every epoch while training; a loaded model's otherwise. */
  private weightSummaries(): TensorSummary[] {
    if (this.fetchedWeights !== null) return this.fetchedWeights;
    const weights = this.controller.state.weights;
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]) return weights[i].tensors;
    return [];
  }

  private weightChildren(): TreeNode[] {
    const summaries = this.weightSummaries();
    if (summaries.length > 0) return summaries.map((t) => ({ kind: 'tensor', root: 'weights', name: t.name }));
    if (this.controller.state.summary)
      return [{ kind: 'note', root: 'weights', label: vscode.l10n.t('reading the weights…') }];
    const saved = this.controller.savedModelDir();
    if (saved) {
      return [
        {
          kind: 'note',
          root: 'weights',
          label: vscode.l10n.t('saved model — click to load'),
          tooltip: saved,
          command: { command: commandIds.loadModel, title: vscode.l10n.t('Load Model'), arguments: [saved] },
        },
      ];
    }
    return [
      {
        kind: 'note',
        root: 'weights',
        label: vscode.l10n.t('no model yet'),
        tooltip: vscode.l10n.t('MNIST: Train Model'),
      },
    ];
  }

  private async fetchWeights(names: string[]): Promise<void> {
    if (names.length === 0) return;
    const generation = this.modelGeneration;
    try {
      const tensors = await Promise.all(names.map((name) => this.controller.getTensor(name)));
      // A run may have started (or a model loaded) meanwhile: its weights win.
      if (generation === this.modelGeneration)
        this.fetchedWeights = tensors.map((t) => summarizeTensor(t.name, t.shape, t.dtype, t.values));
    } catch {
      // The model went away (trainer ended): the tree falls back to what the state knows.
      if (generation === this.modelGeneration) this.fetchedWeights = null;
    }
    this.refresh();
  }

  /** The last step's gradients, then its updates, in the model's weight order. */
  private stepSummaries(): TensorSummary[] {
    const tensors = this.controller.state.lastStep?.tensors ?? [];
    return [...tensors.map((t) => t.gradient), ...tensors.map((t) => t.update)];
  }

  private stepChildren(): TreeNode[] {
    const step = this.controller.state.lastStep;
    if (!step)
      return [
        {
          kind: 'note',
          root: 'step',
          label: vscode.l10n.t('none yet'),
          tooltip: vscode.l10n.t('MNIST: Train One Batch trains one batch and shows its gradients and updates here'),
          command: { command: commandIds.step, title: vscode.l10n.t('Train One Batch') },
        },
      ];
    const loss = {
      kind: 'note' as const,
      root: 'step' as const,
      label: vscode.l10n.t('loss {0} → {1}', formatNumber(step.lossBefore), formatNumber(step.lossAfter)),
      description: vscode.l10n.t('epoch {0}, batch {1}', step.epoch, step.batch + 1),
      tooltip: vscode.l10n.t(
        'The loss of the same {0} digits before and after this step changed the weights',
        step.labels.length,
      ),
    };
    return [loss, ...this.stepSummaries().map((t): TreeNode => ({ kind: 'tensor', root: 'step', name: t.name }))];
  }

  private layerChildren(): TreeNode[] {
    const summary = this.controller.state.summary;
    if (!summary) return [{ kind: 'note', root: 'layers', label: vscode.l10n.t('no model yet') }];
    const activations = this.controller.state.lastPrediction?.activations ?? [];
    return summary.layers.map((layer): TreeNode => {
      const seen = activations.find((a) => a.name === layer.name);
      const tooltip = [
        vscode.l10n.t('{0} ({1}), {2} parameters', layer.className, layer.activation, formatCount(layer.params)),
        vscode.l10n.t('output shape {0}', formatShape(layer.outputShape)),
        seen
          ? vscode.l10n.t(
              'last prediction: min {0}, max {1}, mean {2}, zeros {3} %',
              formatNumber(seen.stats.min),
              formatNumber(seen.stats.max),
              formatNumber(seen.stats.mean),
              (seen.stats.zeroFraction * 100).toFixed(1),
            )
          : '',
      ]
        .filter(Boolean)
        .join('\n');
      return {
        kind: 'note',
        root: 'layers',
        label: layer.name,
        description: `float32 ${formatShape(layer.outputShape)}`,
        tooltip,
      };
    });
  }

  private predictionChildren(): TreeNode[] {
    const last = this.controller.state.lastPrediction;
    if (!last)
      return [
        {
          kind: 'note',
          root: 'prediction',
          label: vscode.l10n.t('none yet'),
          tooltip: vscode.l10n.t('MNIST: Predict Digit in Image… on a .png or .jpg'),
        },
      ];
    const { prediction } = last;
    const p = prediction.probabilities[prediction.digit];
    const file = prediction.file.split(/[\\/]/).pop() ?? prediction.file;
    return [
      {
        kind: 'note',
        root: 'prediction',
        label: vscode.l10n.t('digit {0}', prediction.digit),
        description: `p = ${formatNumber(p)} · ${file}`,
        tooltip: prediction.file,
      },
      { kind: 'tensor', root: 'prediction', name: PREDICTION_INPUT },
    ];
  }

  private summaryOf(node: Extract<TreeNode, { kind: 'tensor' }>): ShownTensor | undefined {
    switch (node.root) {
      case 'keras':
        return this.kerasWeightSummaries().find((t) => t.name === node.name);
      case 'dataset':
        return this.datasetSummaries().find((t) => t.name === node.name);
      case 'weights':
        return this.weightSummaries().find((t) => t.name === node.name);
      case 'step':
        return this.stepSummaries().find((t) => t.name === node.name);
      case 'prediction':
        return this.predictionInputSummary();
      case 'layers':
        return undefined;
    }
  }

  private predictionInputSummary(): TensorSummary | undefined {
    const last = this.controller.state.lastPrediction;
    if (!last) return undefined;
    // Computed once per prediction object (784 values).
    this.inputSummary =
      this.inputSummary?.of === last
        ? this.inputSummary
        : {
            of: last,
            summary: summarizeTensor(PREDICTION_INPUT, [MNIST_SIDE, MNIST_SIDE], 'float32', last.prediction.input),
          };
    return this.inputSummary.summary;
  }

  private histogramUri(summary: ShownTensor): string {
    let uri = this.histogramUris.get(summary);
    if (!uri) {
      uri = histogramDataUri(summary.histogram.counts);
      this.histogramUris.set(summary, uri);
    }
    return uri;
  }
}
