// What Set Up Keras in a Python Environment… says, in the user's language: each fault in one line that
// names the interpreter and what to do, the steps, and the outcome. vscode.l10n is passed in, so the unit
// tests read every line in English and in Korean.
import { oneLine } from '../shared/errors';
import { MIN_PYTHON, type KerasSetupFault, type KerasSetupOutcome, type KerasSetupStep } from './kerasSetup';

/** The part of vscode.l10n used here. */
export interface L10n {
  t(message: string, ...args: (string | number | boolean)[]): string;
}

/** What the user adds to their program (the button copies the import; the message names both). */
export const IMPORT_LINE = 'from tensorlens import TensorLens';

export function kerasSetupStepText(l10n: L10n, step: KerasSetupStep): string {
  switch (step) {
    case 'probe':
      return l10n.t('checking the interpreter…');
    case 'pip':
      return l10n.t('installing the tensorlens package with pip (it may download Keras and NumPy)…');
    case 'check':
      return l10n.t('checking that tensorlens and Keras import…');
  }
}

/** One line: what is wrong with the interpreter or the install, and what to do. */
export function kerasSetupFaultText(l10n: L10n, fault: KerasSetupFault): string {
  switch (fault.kind) {
    case 'noInterpreter':
      return l10n.t(
        'no Python interpreter can run at {0} ({1}). Select one (Python: Select Interpreter) or pick another, then try again.',
        fault.python,
        fault.reason,
      );
    case 'notPython':
      return fault.said
        ? l10n.t('{0} did not answer as a Python interpreter does (it said: {1}).', fault.python, fault.said)
        : l10n.t('{0} did not answer as a Python interpreter does.', fault.python);
    case 'tooOld':
      return l10n.t(
        '{0} is Python {1}; the tensorlens package needs Python {2} or newer. Pick a newer interpreter, then try again.',
        fault.python,
        fault.version,
        `${MIN_PYTHON.major}.${MIN_PYTHON.minor}`,
      );
    case 'noPip':
      return l10n.t(
        'pip is missing in {0} (No module named pip). Install it (python -m ensurepip, or apt-get install python3-pip), then try again.',
        fault.python,
      );
    case 'keras2':
      return l10n.t(
        '{0} has Keras {1}, and Tensor Lens needs Keras 3: installing here would replace the Keras your code uses. Pick an environment with Keras 3 (or upgrade it: pip install -U keras), then try again.',
        fault.python,
        fault.keras,
      );
    case 'externallyManaged':
      return l10n.t(
        '{0} is managed by the system (externally-managed-environment), so pip will not install into it. Make a virtual environment (python3 -m venv .venv), select it, then try again.',
        fault.python,
      );
    case 'network':
      return l10n.t(
        'pip could not download from PyPI (building the package needs hatchling, and Keras and NumPy come from there if missing): {0}. Check the network, or set PIP_INDEX_URL to an index you can reach, then try again.',
        fault.line,
      );
    case 'pip':
      return l10n.t(
        'pip failed in {0} (exit code {1}): {2}. The log has pip’s full output.',
        fault.python,
        String(fault.code),
        fault.line,
      );
    case 'notFound':
      return l10n.t(
        'pip installed the package, but {0} does not find it: {1}. The log has pip’s full output.',
        fault.python,
        fault.line,
      );
  }
}

/** The notification for an outcome (null when cancelled: said by its own line), always one line. */
export function kerasSetupOutcomeText(
  l10n: L10n,
  outcome: Exclude<KerasSetupOutcome, { kind: 'cancelled' }>,
): { level: 'info' | 'warning' | 'error'; text: string } {
  switch (outcome.kind) {
    case 'installed':
      return {
        level: 'info',
        text: oneLine(
          l10n.t(
            'Tensor Lens: {0} has tensorlens {1} with Keras {2} ({3} backend). Add {4} to your program and callbacks=[TensorLens()] to model.fit.',
            outcome.python,
            outcome.tensorlens,
            outcome.keras,
            outcome.backend,
            IMPORT_LINE,
          ),
        ),
      };
    case 'noBackend':
      return {
        level: 'warning',
        text: oneLine(
          l10n.t(
            'Tensor Lens: {0} has tensorlens {1} with Keras {2}, but Keras cannot start: {3}. Install a backend for it (pip install tensorflow, or jax), then add callbacks=[TensorLens()] to model.fit.',
            outcome.python,
            outcome.tensorlens,
            outcome.keras,
            outcome.line,
          ),
        ),
      };
    case 'failed':
      return {
        level: 'error',
        text: oneLine(l10n.t('Tensor Lens: Keras was not set up: {0}', kerasSetupFaultText(l10n, outcome.fault))),
      };
  }
}
