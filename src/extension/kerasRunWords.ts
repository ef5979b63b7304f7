// How a Keras run is named, and why it is shown as it is, in the display language: a fault of its files
// (worded from the fault table), a failure's error (as Keras wrote it), or a writer gone without an end
// record. No `vscode`: the l10n and the fault table are passed in, so the unit tests read them in English
// and Korean.
import { type FaultWording, describeFault } from '../shared/faults';
import type { L10n } from './kerasSetupText';
import type { KerasRun } from './kerasRuns';

/** The header's run name, else the run's id. */
export function kerasRunName(run: Pick<KerasRun, 'summary'>): string {
  return run.summary.header?.name ?? run.summary.id;
}

/** One line, or null when nothing needs saying (a run that is running or ended). */
export function kerasRunReason(run: KerasRun, l10n: L10n, faults: FaultWording): string | null {
  if (run.fault !== null) return describeFault(run.fault, faults);
  const error = run.summary.end?.error;
  if (error) return `${error.type ?? 'Error'}: ${error.message}`;
  return run.state === 'died' ? l10n.t('no end record, and the process that wrote it is gone') : null;
}
