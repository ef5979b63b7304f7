// MNIST: Install Native TensorFlow…: puts @tensorflow/tfjs-node, built against the C library of
// PyPI's tensorflow-cpu wheel, into the extension's global storage (an update of the extension keeps
// it), with progress and Cancel; the trainer finds it there from its next start. A failure is one
// line that says what is missing and what to do; the installer's own words go to the log.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { commandIds } from './commandIds';
import { errorText } from './faultWords';
import {
  installedEngineFolder,
  runNativeSetup,
  type SetupFault,
  tfjsModulesOf,
  type SetupMessage,
  type SetupStep,
} from './nativeInstaller';
import type { TrainerLaunch } from './trainerClient';
import type { Logger } from './logger';

export interface InstallNativeDeps {
  context: vscode.ExtensionContext;
  /** How the trainer is started: the installer runs with the same Node. */
  launch: () => TrainerLaunch;
  log: Logger;
  showLog: () => void;
}

/** Each step's share of the progress bar (the wheel's download and the compile are the long ones). */
const STEP_WEIGHT: Record<SetupStep, number> = {
  tfjsNode: 30,
  library: 30,
  addon: 30,
  check: 10,
  cache: 0,
  manifest: 0,
};

function stepText(step: SetupStep): string {
  switch (step) {
    case 'tfjsNode':
      return vscode.l10n.t('installing @tensorflow/tfjs-node with npm…');
    case 'library':
      return vscode.l10n.t('getting TensorFlow’s C library (the first time, a 274 MB download from PyPI)…');
    case 'addon':
      return vscode.l10n.t('building the native addon…');
    case 'check':
      return vscode.l10n.t('checking that it runs…');
    case 'cache':
      return vscode.l10n.t('caching the addon for the next install…');
    case 'manifest':
      return vscode.l10n.t('finishing…');
  }
}

/** What failed and what to do, in the user's language; `message` is the installer's English line. */
export function faultText(fault: SetupFault, message: string): string {
  switch (fault) {
    case 'npm':
      return vscode.l10n.t('npm was not found. Install Node.js with npm (or put npm on PATH), then try again.');
    case 'npmRegistry':
      return vscode.l10n.t(
        'npm could not reach its registry. Check the network, or set npm’s registry to a mirror you can reach (npm config set registry <url>), then try again.',
      );
    case 'npmInstall':
      return vscode.l10n.t('npm could not install @tensorflow/tfjs-node: {0}. The log has npm’s full output.', message);
    case 'python':
      return vscode.l10n.t('python3 was not found. Install Python 3 with pip, then try again.');
    case 'pip':
      return vscode.l10n.t(
        'pip is missing for python3. Install it (e.g. apt-get install python3-pip), then try again.',
      );
    case 'pypi':
      return vscode.l10n.t(
        'pip could not download TensorFlow from PyPI. Check the network, or set PIP_INDEX_URL to an index or mirror you can reach, then try again.',
      );
    case 'compiler':
      return vscode.l10n.t('no C++ compiler was found. Install g++ (e.g. apt-get install g++), then try again.');
    case 'make':
      return vscode.l10n.t('make was not found. Install it (e.g. apt-get install make), then try again.');
    case 'nodeHeaders':
      return vscode.l10n.t(
        'Node’s headers were not found, and npm could not fetch them. Install Node’s development headers, then try again.',
      );
    case 'nodeGyp':
      return vscode.l10n.t('node-gyp was not found. Install it (npm install --global node-gyp), then try again.');
    case 'build':
      return vscode.l10n.t('building the native addon failed: {0}. The log has the compiler’s output.', message);
    case 'busy':
      return vscode.l10n.t('another window is installing it right now. Wait for that install to end.');
    case 'platform':
    case 'cache':
    case 'wheel':
    case 'load':
    case 'tfjsVersion':
    case 'usage':
    case 'other':
      // The installer's line names the file or the platform and what to do.
      return message;
  }
}

/**
 * The install running in this window, if any: one at a time (a second click says so instead of racing
 * it), and ended with the extension (the installer runs in a process group of its own, which would
 * otherwise outlive the window).
 */
let running: AbortController | null = null;

export async function installNative(deps: InstallNativeDeps): Promise<void> {
  if (running) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Tensor Lens: native TensorFlow is being installed already.'),
    );
    return;
  }
  const abort = new AbortController();
  running = abort;
  try {
    await runInstall(deps, abort);
  } finally {
    running = null;
  }
}

async function runInstall({ context, launch, log, showLog }: InstallNativeDeps, abort: AbortController): Promise<void> {
  const folder = installedEngineFolder(context.globalStorageUri.fsPath);
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Tensor Lens: native TensorFlow'),
      cancellable: true,
    },
    (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      log.info(`native TensorFlow: installing into ${folder}`);
      // Steps nest (the library is fetched inside the addon's step): the innermost running one is shown.
      const runningSteps: SetupStep[] = [];
      const onMessage = (message: SetupMessage) => {
        if (message.type !== 'step') return;
        if (message.phase === 'start') {
          runningSteps.push(message.step);
          progress.report({ message: stepText(message.step) });
          return;
        }
        log.info(`native TensorFlow: ${message.step}: ${message.outcome} (${message.seconds} s)`);
        const at = runningSteps.lastIndexOf(message.step);
        if (at >= 0) runningSteps.splice(at, 1);
        const shown = runningSteps.at(-1);
        progress.report({ increment: STEP_WEIGHT[message.step], ...(shown ? { message: stepText(shown) } : {}) });
      };
      return runNativeSetup({
        script: join(context.extensionPath, 'dist', 'nativeSetup.js'),
        launch: launch(),
        folder,
        tfjsModules: tfjsModulesOf(context.extensionPath),
        onMessage,
        onLog: (text) => log.info(`native TensorFlow installer: ${text.trimEnd()}`),
        signal: abort.signal,
      });
    },
  );
  switch (outcome.kind) {
    case 'installed': {
      log.info(`native TensorFlow: installed in ${outcome.folder} (${outcome.seconds} s)`);
      const reload = vscode.l10n.t('Reload Window');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Tensor Lens: native TensorFlow is installed. The trainer uses it from its next start (reload the window to start it now).',
        ),
        reload,
      );
      if (choice === reload) await vscode.commands.executeCommand('workbench.action.reloadWindow');
      return;
    }
    case 'cancelled':
      log.info('native TensorFlow: install cancelled');
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Tensor Lens: the install of native TensorFlow was cancelled.'),
      );
      return;
    case 'failed': {
      log.error(`native TensorFlow: ${outcome.fault}: ${outcome.message}`);
      const openLog = vscode.l10n.t('Show Log');
      const choice = await vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Tensor Lens: native TensorFlow was not installed: {0}',
          faultText(outcome.fault, outcome.message),
        ),
        openLog,
      );
      if (choice === openLog) showLog();
      return;
    }
  }
}

/** The command, and on dispose (the extension ends) the end of a running install with its children. */
export function registerInstallNative(deps: InstallNativeDeps): vscode.Disposable {
  const command = vscode.commands.registerCommand(commandIds.installNative, async () => {
    try {
      await installNative(deps);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tensor Lens: {0}', errorText(error)));
    }
  });
  return vscode.Disposable.from(command, { dispose: () => running?.abort() });
}
