// The MNIST commands of the palette, menus and panels. Each turns user intent into a RunController
// or PanelManager call and reports failures as one clear message (never a stack).
import { mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { FOREIGN_FOLDER_KINDS } from '../shared/faults';
import type { TrainConfig } from '../shared/protocol';
import type { TensorRef } from '../shared/webviewProtocol';
import type { PanelManager } from './panelManager';
import { NoModelError, type RunController } from './runController';
import { readTrainConfig } from './settings';
import { TrainerError } from './trainerClient';
import { errorText } from './faultWords';
import { openTensorPicks } from './openTensorPicks';
import { type TensorTreeProvider, openTensorArgument } from './tensorTree';
import type { RunStore } from './runStore';
import { outcomeWord } from './runsTree';
import { startTime } from '../shared/runRecord';
import { commandIds } from './commandIds';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  controller: RunController;
  panels: PanelManager;
  tree: TensorTreeProvider;
  modelDir: string;
  runStore: RunStore;
}

const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg'];
/** Offered when the chosen folder holds files the tool did not write (it never saves over them). */
export const MODEL_SUBFOLDER = 'mnist-model';

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { controller, panels, tree } = deps;
  const command = (id: string, run: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (error) {
        await reportError(error);
      }
    });

  return [
    command(commandIds.train, async () => {
      const config = trainConfig(deps.modelDir);
      let outcome = await controller.train(config);
      if (outcome === 'busy') {
        const stopAndRestart = vscode.l10n.t('Stop and Restart');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('Tensor Lens: a run is training already. Stop it and start a new one?'),
          { modal: true },
          stopAndRestart,
        );
        if (choice !== stopAndRestart) return;
        outcome = await controller.restart(config);
      }
      if (outcome === 'started') panels.showDashboard();
    }),
    command(commandIds.stop, async () => {
      if (!controller.isTraining) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Tensor Lens: no training run to stop.'));
        return;
      }
      await controller.stop();
    }),
    command(commandIds.step, async () => {
      if (!controller.canStep) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t(
            'Tensor Lens is training: pause the run (MNIST: Pause Training) to step through it one batch at a time.',
          ),
        );
        return;
      }
      panels.showDashboard();
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Tensor Lens: training one batch…') },
        () => controller.step(trainConfig(deps.modelDir)),
      );
    }),
    command(commandIds.pause, () => controller.pause()),
    command(commandIds.resume, () => controller.resume()),
    command(commandIds.showDashboard, () => panels.showDashboard()),
    command(commandIds.compareRuns, async () => {
      await deps.runStore.sync();
      const runs = deps.runStore.list().reverse();
      if (runs.length === 0) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Tensor Lens: no runs kept yet — train a model first.'),
        );
        return;
      }
      const picked = await vscode.window.showQuickPick(
        runs.map((record) => ({
          label: vscode.l10n.t('{0}, lr {1}', record.config.optimizer, record.config.learningRate),
          description: `${new Date(record.startedAt).toLocaleDateString()} ${startTime(record.startedAt)} · ${outcomeWord(record)}`,
          record,
          picked: true,
        })),
        { canPickMany: true, placeHolder: vscode.l10n.t('Runs to show on the same axes') },
      );
      if (picked && picked.length > 0) await panels.showRuns(picked.map((p) => p.record.id));
    }),
    command(commandIds.evaluate, async () => {
      await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Tensor Lens: evaluating on the 10,000 test images…'),
        },
        () => controller.evaluate(),
      );
      panels.showDashboard();
    }),
    command(commandIds.inspectDataset, () => panels.showDataset()),
    command(commandIds.explainMistake, async (arg) => {
      if (!controller.hasModel) return offerTraining(vscode.l10n.t('Explaining a mistake needs a trained model.'));
      const first = controller.state.evaluation?.misclassified[0];
      const index =
        typeof arg === 'number'
          ? arg
          : Number(
              await vscode.window.showInputBox({
                title: vscode.l10n.t('Explain a Mistake'),
                prompt: vscode.l10n.t('Index of a test digit (0–9999); the first one the model got wrong is filled in'),
                value: first === undefined ? '' : String(first),
                validateInput: (v) =>
                  /^\d{1,4}$/.test(v.trim()) ? null : vscode.l10n.t('A test sample index from 0 to 9999'),
              }),
            );
      if (!Number.isInteger(index) || index < 0) return;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Tensor Lens: explaining the mistake…') },
        () => panels.showMistake(index),
      );
    }),
    command(commandIds.drawDigit, async () => {
      if (!controller.hasModel) return offerTraining(vscode.l10n.t('The drawing pad needs a trained model.'));
      await panels.showDrawing();
    }),
    command(commandIds.predictImage, async (arg) => {
      const file = arg instanceof vscode.Uri ? arg : await pickImage();
      if (!file) return;
      if (!controller.hasModel) {
        panels.showNoModel();
        await offerTraining(vscode.l10n.t('Predicting a digit needs a trained model.'));
        return;
      }
      const answer = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Tensor Lens: predicting…') },
        () => controller.predict(file.fsPath),
      );
      await panels.showPrediction(answer.prediction);
    }),
    command(commandIds.openTensor, async (arg) => {
      const tensor = openTensorArgument(arg) ?? (await pickTensor(tree));
      if (tensor) await panels.showTensor(tensor);
    }),
    command(commandIds.loadModel, async (arg) => {
      // The tree passes the saved model's folder; the palette asks for one.
      const folder =
        typeof arg === 'string'
          ? arg
          : (await pickFolder(vscode.l10n.t('Load Model'), vscode.l10n.t('A folder with model.json and its weights')))
              ?.fsPath;
      if (!folder) return;
      await controller.load(folder);
      void vscode.window.showInformationMessage(vscode.l10n.t('Tensor Lens: loaded the model from {0}', folder));
    }),
    command(commandIds.saveModelAs, async () => {
      if (!controller.hasModel) return offerTraining(vscode.l10n.t('There is no model to save yet.'));
      const folder = await pickFolder(
        vscode.l10n.t('Save Model Here'),
        vscode.l10n.t('The folder that receives model.json and its weights'),
      );
      if (!folder) return;
      const saved = await saveOrOfferSubfolder(controller, folder.fsPath);
      if (saved !== undefined)
        void vscode.window.showInformationMessage(vscode.l10n.t('Tensor Lens: saved the model to {0}', saved));
    }),
  ];
}

/**
 * Saves into `folder`; when the trainer refuses it (files the tool did not write, nothing changed),
 * offers a new subfolder instead. Undefined when the person declines.
 */
async function saveOrOfferSubfolder(controller: RunController, folder: string): Promise<string | undefined> {
  try {
    return await controller.save(folder);
  } catch (error) {
    if (!(error instanceof TrainerError) || !FOREIGN_FOLDER_KINDS.has(error.fault.kind)) throw error;
    const offer = vscode.l10n.t('Save into a new subfolder {0}', `'${MODEL_SUBFOLDER}'`);
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Tensor Lens: this folder holds files Tensor Lens did not save, and it never replaces them.'),
      { modal: true, detail: errorText(error) },
      offer,
    );
    return choice === offer ? controller.save(join(folder, MODEL_SUBFOLDER)) : undefined;
  }
}

/** The settings as a TrainConfig; a relative tensorLens.dataDir is relative to the first workspace folder. */
function trainConfig(modelDir: string): TrainConfig {
  const settings = vscode.workspace.getConfiguration('tensorLens');
  mkdirSync(join(modelDir, '..'), { recursive: true });
  const config = readTrainConfig((key) => settings.get(key), modelDir, vscode.workspace.isTrusted);
  return { ...config, dataDir: resolveDataDir(config.dataDir) };
}

export function resolveDataDir(dataDir: string | null): string | null {
  if (dataDir === null || isAbsolute(dataDir)) return dataDir;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return root ? join(root, dataDir) : dataDir;
}

async function reportError(error: unknown): Promise<void> {
  if (error instanceof NoModelError)
    return offerTraining(
      vscode.l10n.t('No trained model yet: train one (MNIST: Train Model) or load a saved one (MNIST: Load Model…).'),
    );
  await vscode.window.showErrorMessage(vscode.l10n.t('Tensor Lens: {0}', errorText(error)));
}

async function offerTraining(message: string): Promise<void> {
  const train = vscode.l10n.t('Train Model');
  const load = vscode.l10n.t('Load Model…');
  const choice = await vscode.window.showInformationMessage(message, train, load);
  if (choice === train) await vscode.commands.executeCommand(commandIds.train);
  if (choice === load) await vscode.commands.executeCommand(commandIds.loadModel);
}

async function pickImage(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [vscode.l10n.t('Images')]: IMAGE_EXTENSIONS },
    openLabel: vscode.l10n.t('Predict Digit'),
  });
  return picked?.[0];
}

async function pickFolder(openLabel: string, title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel,
    title,
  });
  return picked?.[0];
}

/** Tensor Lens' own tensors, then the followed Keras run's weights under a separator naming the run. */
async function pickTensor(tree: TensorTreeProvider): Promise<TensorRef | undefined> {
  const items = openTensorPicks(tree.openableTensors(), tree.followedKerasRun, vscode.l10n).map(
    (pick): vscode.QuickPickItem & { tensor?: TensorRef } =>
      pick.kind === 'separator'
        ? { label: pick.label, kind: vscode.QuickPickItemKind.Separator }
        : { label: pick.label, description: pick.description, tensor: pick.tensor },
  );
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Tensor to inspect') });
  return picked?.tensor;
}
