// The "Runs" view: the Keras runs found in the workspace (live, beside), then every kept run, newest
// first, with what it was (optimizer, learning rate, epochs) and how it ended. Selecting runs
// (Ctrl/Shift-click for several) shows their curves together. Keras runs are read, never kept: the
// RunStore's records stay Tensor Lens' own.
import * as vscode from 'vscode';
import { formatPercent } from '../shared/format';
import { type RunSummary, startTime } from '../shared/runRecord';
import { Disposable } from './dispose';
import type { KerasRun } from './kerasRuns';
import { kerasRunDescription, kerasRunTooltip } from './kerasRunText';
import { kerasRunName } from './kerasRunWords';
import type { RunStore } from './runStore';

/** A row of the view: a kept run (its index entry) or a Keras run (by its folder). */
export type RunsNode = RunSummary | { kind: 'keras'; folder: string };

/** The Keras runs the view lists beside the kept ones (KerasRunsService). */
export interface KerasRunList {
  readonly runs: KerasRun[];
  readonly onDidChange: vscode.Event<void>;
}

export const isKerasNode = (node: RunsNode): node is { kind: 'keras'; folder: string } => 'folder' in node;

export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunsNode> {
  private readonly changed = this.register(new vscode.EventEmitter<RunsNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly store: RunStore,
    private readonly keras?: KerasRunList,
  ) {
    super();
    if (keras) this.register(keras.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** From the store's index, after taking in what other windows wrote (no record is read for this). */
  async getChildren(element?: RunsNode): Promise<RunsNode[]> {
    if (element) return [];
    await this.store.sync();
    const keras = (this.keras?.runs ?? []).map((run): RunsNode => ({ kind: 'keras', folder: run.folder }));
    return [...keras, ...this.store.list().reverse()];
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (isKerasNode(node)) return this.kerasItem(node.folder);
    const record = node;
    const c = record.config;
    const item = new vscode.TreeItem(
      vscode.l10n.t('{0}, lr {1} · {2}', c.optimizer, c.learningRate, new Date(record.startedAt).toLocaleDateString()),
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = record.id;
    const result = record.evaluation
      ? vscode.l10n.t('test {0}', formatPercent(record.evaluation.testAccuracy))
      : outcomeWord(record);
    item.description = vscode.l10n.t(
      '{0} · {1}/{2} epochs · {3}',
      startTime(record.startedAt),
      record.epochsDone,
      c.epochs,
      result,
    );
    item.tooltip = new vscode.MarkdownString(
      [
        `**${record.id}** — ${outcomeWord(record)}`,
        '',
        `| | |`,
        `|---|---|`,
        ...Object.entries(c)
          .filter(([key]) => key !== 'modelDir' && key !== 'stream')
          .map(([key, value]) => `| ${key} | ${value === null ? '—' : String(value)} |`),
      ].join('\n'),
    );
    item.iconPath = new vscode.ThemeIcon(
      record.outcome === 'completed' ? 'pass' : record.outcome === 'failed' ? 'error' : 'circle-outline',
    );
    item.contextValue = 'run';
    return item;
  }

  private kerasItem(folder: string): vscode.TreeItem {
    const run = this.keras?.runs.find((r) => r.folder === folder);
    const item = new vscode.TreeItem(
      run ? vscode.l10n.t('Keras · {0}', kerasRunName(run)) : folder,
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `keras:${folder}`;
    item.contextValue = 'kerasRun';
    if (!run) return item;
    item.description = kerasRunDescription(run);
    item.tooltip = kerasRunTooltip(run);
    item.iconPath = new vscode.ThemeIcon(
      run.fault !== null
        ? 'warning'
        : run.state === 'running'
          ? 'sync~spin'
          : run.state === 'ended'
            ? 'pass'
            : run.state === 'failed'
              ? 'error'
              : 'debug-disconnect',
    );
    return item;
  }
}

/** How a run ended (and why it failed, when the store knows), in the display language. */
export function outcomeWord(record: Pick<RunSummary, 'outcome' | 'failedBecause'>): string {
  switch (record.outcome) {
    case 'training':
      return vscode.l10n.t('training');
    case 'completed':
      return vscode.l10n.t('completed');
    case 'stopped':
      return vscode.l10n.t('stopped');
    case 'failed':
      return record.failedBecause === 'windowClosed'
        ? vscode.l10n.t('failed: its window closed while it trained')
        : vscode.l10n.t('failed');
  }
}
