// What a run looks like outside the dashboard: a cancellable progress notification (Cancel = Stop)
// and a short status bar item that opens the dashboard. Both read the run state only.
import * as vscode from 'vscode';
import type { TrainerEvent } from '../shared/protocol';
import { Disposable } from './dispose';
import { faultLine } from './faultWords';
import type { RunController } from './runController';
import { type RunWords, progressMessage, runFraction, statusText } from './runText';

/** The status bar's and the progress notification's words in the display language. */
function runWords(): RunWords {
  return {
    paused: vscode.l10n.t('paused'),
    loss: vscode.l10n.t('loss'),
    acc: vscode.l10n.t('acc'),
    epoch: vscode.l10n.t('epoch'),
    batch: vscode.l10n.t('batch'),
    samplesPerSecond: vscode.l10n.t('samples/s'),
  };
}
import { formatNumber } from '../shared/format';
import { commandIds } from './commandIds';

export class TrainingStatus extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private progress: { report: (fraction: number, message: string) => void } | null = null;

  constructor(private readonly controller: RunController) {
    super();
    this.item = this.register(
      vscode.window.createStatusBarItem('tensorLens.status', vscode.StatusBarAlignment.Left, 10),
    );
    this.item.name = vscode.l10n.t('Tensor Lens training');
    this.item.command = commandIds.showDashboard;
    this.register(controller.onEvent((event) => this.update(event)));
  }

  private update(event: TrainerEvent): void {
    const state = this.controller.state;
    switch (event.type) {
      case 'trainStart':
        this.showProgress();
        this.showItem(
          `$(pulse) ${statusText(state, runWords())}`,
          vscode.l10n.t('Training MNIST — click for the dashboard'),
        );
        break;
      case 'batches':
        this.showItem(
          `$(pulse) ${statusText(state, runWords())}`,
          vscode.l10n.t('Training MNIST — click for the dashboard'),
        );
        this.progress?.report(runFraction(state), progressMessage(state, runWords()));
        break;
      case 'trainEnd':
        this.showItem(
          `$(check) ${event.reason === 'completed' ? vscode.l10n.t('Tensor Lens: trained') : vscode.l10n.t('Tensor Lens: stopped')}`,
          vscode.l10n.t(
            '{0} epoch(s) in {1} s — click for the dashboard',
            event.epochsCompleted,
            Math.round(event.seconds),
          ),
        );
        break;
      case 'evaluation':
        this.showItem(
          `$(check) ${vscode.l10n.t('Tensor Lens: test acc {0}', formatNumber(event.evaluation.testAccuracy))}`,
          vscode.l10n.t('Test-set accuracy of the model — click for the dashboard'),
        );
        break;
      case 'error':
        if (state.status === 'failed')
          this.showItem(
            `$(error) ${vscode.l10n.t('Tensor Lens: training failed')}`,
            state.error ? faultLine(state.error) : '',
          );
        break;
      default:
        break;
    }
  }

  private showItem(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  /** One notification per run; it closes when the run ends, and its Cancel stops the run. */
  private showProgress(): void {
    if (this.progress) return;
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Tensor Lens: training'),
        cancellable: true,
      },
      async (progress, token) => {
        let reported = 0;
        this.progress = {
          report: (fraction, message) => {
            const increment = Math.max(0, fraction * 100 - reported);
            reported += increment;
            progress.report({ increment, message });
          },
        };
        const cancel = token.onCancellationRequested(() => void this.controller.stop());
        try {
          await this.controller.whenTrainingEnds();
        } finally {
          cancel.dispose();
          this.progress = null;
        }
      },
    );
  }
}
