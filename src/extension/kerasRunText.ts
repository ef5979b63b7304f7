// How a Keras run reads in the Runs view and the tensor tree, in the display language.
import * as vscode from 'vscode';
import { formatNumber } from '../shared/format';
import type { RunState } from '../shared/runFormat/summary';
import { localFaultWording } from './faultWords';
import { kerasRunName, kerasRunReason } from './kerasRunWords';
import type { KerasRun } from './kerasRuns';

export function kerasStateWord(state: RunState): string {
  switch (state) {
    case 'running':
      return vscode.l10n.t('running');
    case 'ended':
      return vscode.l10n.t('ended');
    case 'failed':
      return vscode.l10n.t('failed');
    case 'died':
      return vscode.l10n.t('died (its process is gone)');
  }
}

/** `loss 0.31 · accuracy 0.9` of the last epoch (validation too), in Keras' own names. */
export function kerasMetricsText(run: KerasRun): string {
  return Object.entries(run.summary.lastMetrics)
    .map(([name, value]) => `${name} ${value === null ? '—' : formatNumber(value)}`)
    .join(' · ');
}

/** One line: backend, state (why it failed), epochs done of planned, last metrics. */
export function kerasRunDescription(run: KerasRun): string {
  const header = run.summary.header;
  const planned = header?.params.epochs;
  const epochs =
    planned === null || planned === undefined
      ? vscode.l10n.t('{0} epochs', run.summary.epochs)
      : vscode.l10n.t('{0}/{1} epochs', run.summary.epochs, planned);
  const state = run.fault === null ? kerasStateWord(run.state) : vscode.l10n.t('unreadable');
  return [header?.framework.backend ?? 'Keras', state, epochs, kerasMetricsText(run)].filter(Boolean).join(' · ');
}

/** The tooltip: the run's id, folder, state and its reason (a failure's error, a fault of its files). */
export function kerasRunTooltip(run: KerasRun): vscode.MarkdownString {
  const header = run.summary.header;
  const reason = kerasRunReason(run, vscode.l10n, localFaultWording());
  const md = new vscode.MarkdownString();
  // Names and messages come from a workspace's file: appended as text, never as markdown.
  md.appendMarkdown('**');
  md.appendText(kerasRunName(run));
  md.appendMarkdown(`** — ${kerasStateWord(run.state)}\n\n`);
  if (reason !== null) md.appendText(`${reason}\n\n`);
  if (header)
    md.appendText(
      `${header.framework.name} ${header.framework.version} (${header.framework.backend}) · ${header.model.className} ${header.model.name}\n\n`,
    );
  md.appendText(
    `${vscode.l10n.t('{0} batches · {1} snapshots', run.summary.batches, run.summary.snapshots.length)}\n\n`,
  );
  md.appendText(run.folder);
  return md;
}
