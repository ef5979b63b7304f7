// Entry point of the VS Code host. Activation wires the run controller, tree, panels, status and
// commands, and loads no tfjs: training runs in the trainer child process (dist/trainer.js),
// started on first need and ended on deactivate.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunState } from '../shared/runState';
import { registerCommands, resolveDataDir } from './commands';
import { DatasetStore } from './datasetStore';
import { faultLine } from './faultWords';
import { KerasRunPanels } from './kerasRunPanels';
import { KerasRunsService } from './kerasRunsService';
import { toDisposable } from './dispose';
import { registerInstallNative } from './installNative';
import { registerSetupKeras } from './setupKeras';
import type { Logger } from './logger';
import { storageModelFolder } from './modelFolder';
import { installedEngineFolder, tfjsModulesOf, withInstalledEngine } from './nativeInstaller';
import { chooseTrainerRuntime, probeNodeMajor } from './nodeRuntime';
import { PanelManager } from './panelManager';
import { RunController } from './runController';
import { RunRecorder } from './runRecorder';
import { RunStore, SILENT_DROPS } from './runStore';
import { RunsTreeProvider } from './runsTree';
import { KEPT_RUNS_SETTING, type KeptRuns, readKeptRuns } from './settings';
import { TensorTreeProvider, type TreeNode } from './tensorTree';
import { TrainingStatus } from './trainingStatus';

/** For the extension-host tests only (test/ext): a window onto the host's state, returned by activate() only in ExtensionMode.Test. */
export interface TensorLensTestApi {
  runState(): RunState;
  trainerPid(): number | undefined;
  /** One weight of the trainer's current model, as Open Tensor asks for it. */
  getTensor(name: string): Promise<{ name: string; shape: number[]; values: Float32Array }>;
  treeItems(parent?: unknown): Promise<{ label: string; description?: string; tooltip?: string; element: unknown }[]>;
  whenTrainingEnds(): Promise<RunState>;
}

/** The log line for a change of any tensorLens.* setting (test/e2e waits for it). */
const SETTINGS_CHANGED = 'settings: a tensorLens setting changed; the next run uses it';

/** The run controller of this activation, kept for deactivate() to end its trainer process. */
let activeController: RunController | undefined;
/** The kept runs, for deactivate() to let the last writes (a stopped run's record) finish. */
let keptRunStore: RunStore | undefined;

export function activate(context: vscode.ExtensionContext): TensorLensTestApi | undefined {
  const log = vscode.window.createOutputChannel('Tensor Lens', { log: true });
  const settings = () => vscode.workspace.getConfiguration('tensorLens');
  const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
  const modelDir = storageModelFolder(storage);
  // Probing a Node binary runs it (up to 5 s): once per binary per session is enough.
  const probed = new Map<string, number | null>();
  const probeOnce = (file: string) => {
    if (!probed.has(file)) probed.set(file, probeNodeMajor(file));
    return probed.get(file) ?? null;
  };

  const launch = () =>
    chooseTrainerRuntime({
      configuredNodePath: settings().get<string>('nodePath') ?? '',
      electron: process.versions.electron,
      hostExecPath: process.execPath,
      env: process.env,
      probeNodeMajor: probeOnce,
    });
  const controller = new RunController({
    trainerScript: join(context.extensionPath, 'dist', 'trainer.js'),
    // The native engine Install Native TensorFlow put in global storage is within the trainer's reach.
    launch: () =>
      withInstalledEngine(
        launch(),
        installedEngineFolder(context.globalStorageUri.fsPath),
        tfjsModulesOf(context.extensionPath),
      ),
    modelDir,
    log,
  });
  activeController = controller;
  const dataset = new DatasetStore(
    () => ({
      dir: resolveDataDir(settings().get<string>('dataDir')?.trim() || null),
      followDataLinks: vscode.workspace.isTrusted,
    }),
    join(context.extensionPath, 'dist', 'datasetWorker.js'),
  );
  // Runs are kept across workspaces; the setting (application scope) bounds how many.
  const keptRuns = () => readKeptRuns((key) => settings().get(key));
  const runStore = new RunStore(
    join(context.globalStorageUri.fsPath, 'runs'),
    () => {
      const kept = keptRuns();
      return kept.ok ? kept.limit : null;
    },
    log,
  );
  keptRunStore = runStore;
  const recorder = new RunRecorder(controller, runStore, log);
  const kerasRuns = new KerasRunsService(context.globalState, context.workspaceState, log);
  const runsTree = new RunsTreeProvider(runStore, kerasRuns);
  const runsView = vscode.window.createTreeView('tensorLens.runList', {
    treeDataProvider: runsTree,
    canSelectMany: true,
  });
  const panels = new PanelManager(context, controller, dataset, log, runStore, kerasRuns);
  const kerasPanels = new KerasRunPanels(kerasRuns, panels);
  const limitRuns = keptRunsLimiter(runStore, log, () => runsTree.refresh());
  void runStore.load().then(() => {
    runsTree.refresh();
    return limitRuns(keptRuns(), false);
  });
  const tree = new TensorTreeProvider(controller, dataset, kerasRuns);
  const view = vscode.window.createTreeView('tensorLens.tensors', { treeDataProvider: tree, showCollapseAll: true });

  // Context keys for `when` clauses: the welcome view (no model yet), Stop versus Train, Pause versus Resume and Step.
  const updateContext = () => {
    void vscode.commands.executeCommand(
      'setContext',
      'tensorLens.hasModel',
      controller.hasModel || controller.isTraining,
    );
    void vscode.commands.executeCommand('setContext', 'tensorLens.training', controller.isTraining);
    void vscode.commands.executeCommand('setContext', 'tensorLens.paused', controller.isPaused);
  };
  updateContext();
  openWalkthroughOnce(context, log);

  context.subscriptions.push(
    log,
    kerasRuns,
    dataset,
    panels,
    tree,
    view,
    new TrainingStatus(controller),
    recorder,
    runsTree,
    runsView,
    recorder.onDidWrite(() => runsTree.refresh()),
    kerasPanels,
    // Selecting runs shows them together (one run alone, or two or more overlaid).
    runsView.onDidChangeSelection((e) => {
      if (e.selection.length > 0) kerasPanels.showSelection(e.selection);
    }),
    ...registerCommands({ context, controller, panels, tree, modelDir, runStore }),
    registerInstallNative({ context, launch, log, showLog: () => log.show(true) }),
    registerSetupKeras({ context, log, showLog: () => log.show(true) }),
    controller.onEvent((event) => {
      if (['trainStart', 'trainEnd', 'paused', 'loaded', 'saved', 'error'].includes(event.type)) updateContext();
      if (event.type === 'error' && event.requestId === null)
        void vscode.window.showErrorMessage(vscode.l10n.t('Tensor Lens: {0}', faultLine(event.fault)));
      if (event.type === 'evaluation') {
        const e = event.evaluation;
        void vscode.window.showInformationMessage(
          vscode.l10n.t(
            'Tensor Lens: test accuracy {0} % (loss {1}, {2} of {3} test digits wrong)',
            (e.testAccuracy * 100).toFixed(2),
            e.testLoss.toFixed(4),
            e.misclassified.length,
            e.predictedLabels.length,
          ),
        );
      }
    }),
    // Trust lets data files link out of the data folder: a dataset refused before may read now.
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Said in the log, so a user (and the UI tests) can see when the editor took a settings change.
      if (e.affectsConfiguration('tensorLens')) log.info(SETTINGS_CHANGED);
      if (e.affectsConfiguration('tensorLens.dataDir')) tree.refresh();
      // Every window hears of a change of this application-wide setting; the one in front asks.
      if (e.affectsConfiguration('tensorLens.keptRuns')) void limitRuns(keptRuns(), vscode.window.state.focused);
    }),
    // The trainer process is ended by deactivate(), whose promise VS Code awaits on shutdown.
  );

  // What the extension-host tests (test/ext, run through extensionTestsPath) look at; nobody else gets it.
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    runState: () => controller.state,
    trainerPid: () => controller.trainerPid,
    getTensor: (name) => controller.getTensor(name),
    whenTrainingEnds: () => controller.whenTrainingEnds(),
    treeItems: async (parent) => {
      const children = await tree.getChildren(parent as TreeNode | undefined);
      return children.map((element) => {
        const item = tree.getTreeItem(element);
        const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
        const description = typeof item.description === 'string' ? item.description : undefined;
        const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
        return { label, description, tooltip, element };
      });
    },
  };
}

/** Ends the trainer process, then lets the run's last record be written (VS Code awaits the promise on shutdown). */
export async function deactivate(): Promise<void> {
  const running = activeController;
  const store = keptRunStore;
  activeController = undefined;
  keptRunStore = undefined;
  await running?.dispose();
  await store?.idle();
}

/**
 * Applies tensorLens.keptRuns to the kept runs: a refused value is said once (and every run kept);
 * one run over the limit goes silently; more go only when the user agrees in a modal question, asked
 * when `ask` (else, and on Cancel, they are kept until the setting changes again).
 */
function keptRunsLimiter(
  store: RunStore,
  log: Logger,
  changed: () => void,
): (kept: KeptRuns, ask: boolean) => Promise<void> {
  let refusedShown: string | null = null;
  return async (kept, ask) => {
    if (!kept.ok) {
      const value = JSON.stringify(kept.value) ?? String(kept.value);
      if (refusedShown === value) return;
      refusedShown = value;
      const message = vscode.l10n.t(
        'Setting tensorLens.keptRuns must be an integer from {0} to {1}, got {2}: every kept run stays.',
        KEPT_RUNS_SETTING.min,
        KEPT_RUNS_SETTING.max,
        value,
      );
      log.warn(message);
      void vscode.window.showWarningMessage(message);
      return;
    }
    refusedShown = null;
    await store.idle();
    const over = store.excess();
    if (over === 0) return;
    if (over > SILENT_DROPS) {
      if (!ask) return;
      const drop = vscode.l10n.t('Delete {0} runs', over);
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t(
          'tensorLens.keptRuns is now {0}: delete the {1} oldest kept runs? Cancel keeps them all.',
          kept.limit,
          over,
        ),
        { modal: true },
        drop,
      );
      if (answer !== drop) return;
    }
    await store.prune(over);
    changed();
  };
}

const WALKTHROUGH_SHOWN_KEY = 'tensorLens.walkthroughShown';
const WALKTHROUGH_DELAY_MS = 3000;

/**
 * The walkthrough on the first activation of an installed copy, once (not under development or tests).
 * VS Code opens an extension's walkthrough itself only when the extension is installed into a running
 * window (workbench.welcomePage.walkthroughs.openOnInstall follows the session's install events). The
 * README's way, `code --install-extension tensor-lens.vsix` before the window starts, gets none: this
 * (and the manifest's onStartupFinished) is for that case. Tested by test/e2e/installed.mjs
 * (firstStartShowsWalkthrough, walkthroughOnlyOnce, which waits for the line logged here).
 */
function openWalkthroughOnce(context: vscode.ExtensionContext, log: Logger): void {
  if (context.extensionMode !== vscode.ExtensionMode.Production) return;
  if (context.globalState.get<boolean>(WALKTHROUGH_SHOWN_KEY)) {
    log.info('walkthrough: shown before, not opened again');
    return;
  }
  log.info('walkthrough: first start of an installed copy, opening it');
  void context.globalState.update(WALKTHROUGH_SHOWN_KEY, true);
  // The workbench registers an extension's walkthroughs asynchronously (it races an experiment
  // lookup against a 1 s timer); opened at startup before that, it shows the plain Welcome page.
  const timer = setTimeout(
    () =>
      void vscode.commands.executeCommand(
        'workbench.action.openWalkthrough',
        `${context.extension.id}#tensorLens.start`,
        false,
      ),
    WALKTHROUGH_DELAY_MS,
  );
  context.subscriptions.push(toDisposable(() => clearTimeout(timer)));
}
