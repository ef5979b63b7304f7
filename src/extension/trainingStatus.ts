// What a run looks like outside the dashboard: a cancellable progress notification (Cancel = Stop)
// and a short status bar item that opens the dashboard. Both read the run state only.
import * as vscode from 'vscode';
import type { TrainerEvent } from '../shared/protocol';
import type { RunState } from '../shared/runState';
import type { RunController } from './runController';
import { formatNumber } from './tensorText';

/** `MNIST 2/5 · loss 0.21 · acc 0.94` from the newest batch point. */
export function statusText(state: RunState): string {
  const last = state.batches.at(-1);
  const epochs = state.run?.config.epochs ?? 0;
  const epoch = last ? last.epoch : 1;
  const metrics = last ? ` · loss ${last.loss.toFixed(2)} · acc ${last.accuracy.toFixed(2)}` : '';
  return `MNIST ${epoch}/${epochs}${metrics}`;
}

/** Fraction of the run done, 0..1, from the batches seen. */
export function runFraction(state: RunState): number {
  const run = state.run;
  const last = state.batches.at(-1);
  if (!run || !last) return 0;
  return Math.min(1, last.step / (run.batchesPerEpoch * run.config.epochs));
}

export class TrainingStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly unsubscribe: () => void;
  private progress: { report: (fraction: number, message: string) => void } | null = null;

  constructor(private readonly controller: RunController) {
    this.item = vscode.window.createStatusBarItem('tensorLens.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Tensor Lens training';
    this.item.command = 'tensorLens.showDashboard';
    this.unsubscribe = controller.onEvent((event) => this.update(event));
  }

  dispose(): void {
    this.unsubscribe();
    this.item.dispose();
  }

  private update(event: TrainerEvent): void {
    const state = this.controller.state;
    switch (event.type) {
      case 'trainStart':
        this.showProgress();
        this.showItem(`$(pulse) ${statusText(state)}`, 'Training MNIST — click for the dashboard');
        break;
      case 'batches':
        this.showItem(`$(pulse) ${statusText(state)}`, 'Training MNIST — click for the dashboard');
        this.progress?.report(runFraction(state), progressMessage(state));
        break;
      case 'trainEnd':
        this.showItem(`$(check) MNIST ${event.reason === 'completed' ? 'trained' : 'stopped'}`, `${event.epochsCompleted} epoch(s) in ${Math.round(event.seconds)} s — click for the dashboard`);
        break;
      case 'evaluation':
        this.showItem(`$(check) MNIST test acc ${formatNumber(event.evaluation.testAccuracy)}`, 'Test-set accuracy of the model — click for the dashboard');
        break;
      case 'error':
        if (state.status === 'failed') this.showItem('$(error) MNIST failed', state.error ?? '');
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
      { location: vscode.ProgressLocation.Notification, title: 'MNIST: training', cancellable: true },
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

function progressMessage(state: RunState): string {
  const last = state.batches.at(-1);
  if (!last || !state.run) return '';
  const { batchesPerEpoch, config } = state.run;
  return `epoch ${last.epoch}/${config.epochs} · batch ${last.batch + 1}/${batchesPerEpoch} · loss ${last.loss.toFixed(3)} · ${Math.round(state.samplesPerSecond).toLocaleString('en-US')} samples/s`;
}
