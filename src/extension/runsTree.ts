// The "Runs" view: every kept run, newest first, with what it was (optimizer, learning rate, epochs)
// and how it ended. Selecting runs (Ctrl/Shift-click for several) shows their curves together.
import * as vscode from 'vscode';
import { formatPercent } from '../shared/format';
import { type RunSummary, startTime } from '../shared/runRecord';
import { Disposable } from './dispose';
import type { RunStore } from './runStore';

export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunSummary> {
  private readonly changed = this.register(new vscode.EventEmitter<RunSummary | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly store: RunStore) {
    super();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** From the store's index, after taking in what other windows wrote (no record is read for this). */
  async getChildren(element?: RunSummary): Promise<RunSummary[]> {
    if (element) return [];
    await this.store.sync();
    return this.store.list().reverse();
  }

  getTreeItem(record: RunSummary): vscode.TreeItem {
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
