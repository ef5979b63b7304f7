// Which Keras run the Tensors view and the dashboard follow. Without `vscode`, so the choice is tested
// on real run folders and a real registry.
import type { KerasRun, KerasRunRegistry } from './kerasRuns';

export class KerasFollowing {
  private folder: string | null = null;

  constructor(private readonly registry: KerasRunRegistry) {}

  /** The followed run, once the registry has found it. */
  get run(): KerasRun | undefined {
    return this.registry.runs.find((run) => run.folder === this.folder);
  }

  /** Follows `folder`'s run: its every snapshot is read, for the histograms over time. */
  follow(folder: string): void {
    this.folder = folder;
    this.registry.keepHistory(folder);
  }

  /** A run seen starting (once the first run was offered) is followed. */
  followStarted(run: KerasRun): void {
    this.follow(run.folder);
  }
}
