// Tensor Lens: Set Up Keras in a Python Environment…: installs the extension's Python package
// (<extension>/python, `tensorlens`) into the interpreter the Python extension has selected (its public
// environments API), else one the user picks (python3/python on PATH, or Browse…), with progress and
// Cancel; pip's output goes to the log. Running an interpreter is running code, so an untrusted workspace
// (whose settings and .venv the Python extension's choice may come from) is refused.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { errorLine, oneLine } from '../shared/errors';
import { commandIds } from './commandIds';
import { errorText } from './faultWords';
import { pythonsOnPath, setUpKeras, type KerasSetupOutcome } from './kerasSetup';
import { IMPORT_LINE, kerasSetupOutcomeText, kerasSetupStepText } from './kerasSetupText';
import type { Logger } from './logger';
import { environmentsOf, executableOf, PYTHON_EXTENSION_ID } from './pythonExtension';

export interface SetupKerasDeps {
  context: vscode.ExtensionContext;
  log: Logger;
  showLog: () => void;
}

/** The interpreter the Python extension has selected for the first workspace folder, or null (none, or no extension). */
async function selectedInterpreter(log: Logger): Promise<string | null> {
  const extension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
  if (!extension) return null;
  try {
    const environments = environmentsOf(extension.isActive ? extension.exports : await extension.activate());
    if (!environments) {
      log.warn('Set Up Keras: the Python extension has no environments API; asking for an interpreter');
      return null;
    }
    const active = environments.getActiveEnvironmentPath(vscode.workspace.workspaceFolders?.[0]?.uri);
    const python = executableOf(await environments.resolveEnvironment(active));
    const selected = python ?? `nothing runnable (${String(active?.path)})`;
    log.info(`Set Up Keras: the Python extension has selected ${oneLine(selected)}`);
    return python;
  } catch (error) {
    log.warn(`Set Up Keras: the Python extension did not answer (${errorLine(error)}); asking for an interpreter`);
    return null;
  }
}

/** Asks for an interpreter: python3/python on PATH, or Browse…; null when dismissed. */
async function pickInterpreter(): Promise<string | null> {
  const browse: vscode.QuickPickItem = { label: vscode.l10n.t('Browse…') };
  const found = pythonsOnPath(process.env).map((p): vscode.QuickPickItem => ({
    label: p.path,
    description: p.target === p.path ? vscode.l10n.t('on PATH') : `${vscode.l10n.t('on PATH')} → ${p.target}`,
  }));
  const choice = await vscode.window.showQuickPick([...found, browse], {
    title: vscode.l10n.t('The Python interpreter to install the tensorlens package into'),
    ignoreFocusOut: true,
  });
  if (!choice) return null;
  if (choice !== browse) return choice.label;
  const files = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Use This Interpreter'),
  });
  return files?.[0]?.fsPath ?? null;
}

/** The setup running in this window, if any: one at a time, and ended with the extension. */
let running: AbortController | null = null;

export async function setupKeras(deps: SetupKerasDeps): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Tensor Lens: Set Up Keras runs a Python interpreter, and this workspace is not trusted to choose one. Trust the workspace (Manage Workspace Trust), then try again.',
      ),
    );
    return;
  }
  if (running) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tensor Lens: Keras is being set up already.'));
    return;
  }
  const abort = new AbortController();
  running = abort;
  try {
    const python = (await selectedInterpreter(deps.log)) ?? (await pickInterpreter());
    if (python === null) return;
    const outcome = await install(deps, python, abort);
    await tell(deps, outcome);
  } finally {
    running = null;
  }
}

function install(
  { context, log }: SetupKerasDeps,
  python: string,
  abort: AbortController,
): Thenable<KerasSetupOutcome> {
  const packageDir = join(context.extensionPath, 'python');
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Tensor Lens: Set Up Keras in {0}', python),
      cancellable: true,
    },
    (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      log.info(`Set Up Keras: ${python} -m pip install ${packageDir}`);
      return setUpKeras({
        python,
        packageDir,
        env: process.env,
        onStep: (step) => progress.report({ message: kerasSetupStepText(vscode.l10n, step) }),
        onLog: (line) => log.info(`Set Up Keras: ${line}`),
        signal: abort.signal,
      });
    },
  );
}

async function tell({ log, showLog }: SetupKerasDeps, outcome: KerasSetupOutcome): Promise<void> {
  if (outcome.kind === 'cancelled') {
    log.info('Set Up Keras: cancelled');
    void vscode.window.showInformationMessage(vscode.l10n.t('Tensor Lens: the Keras setup was cancelled.'));
    return;
  }
  const { level, text } = kerasSetupOutcomeText(vscode.l10n, outcome);
  log[level === 'warning' ? 'warn' : level](`Set Up Keras: ${text}`);
  if (level === 'error') {
    const openLog = vscode.l10n.t('Show Log');
    if ((await vscode.window.showErrorMessage(text, openLog)) === openLog) showLog();
    return;
  }
  const copy = vscode.l10n.t('Copy Import Line');
  const show = level === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  if ((await show(text, copy)) === copy) await vscode.env.clipboard.writeText(IMPORT_LINE);
}

/** The command, and on dispose (the extension ends) the end of a running pip with its children. */
export function registerSetupKeras(deps: SetupKerasDeps): vscode.Disposable {
  const command = vscode.commands.registerCommand(commandIds.setupKeras, async () => {
    try {
      await setupKeras(deps);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tensor Lens: {0}', errorText(error)));
    }
  });
  return vscode.Disposable.from(command, { dispose: () => running?.abort() });
}
