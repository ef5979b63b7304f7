// Where Keras runs meet the panels: the Runs view's selection (kept runs by id, Keras runs by
// folder) drawn together on the Runs panel and redrawn there as the Keras ones go on, and the
// followed run's curves on the dashboard. Kept out of extension.ts so activation stays a wiring list.
import { comparedKerasRun } from '../shared/kerasCompare';
import { kerasDashboardRun } from '../shared/kerasDashboard';
import { Disposable } from './dispose';
import type { KerasRunsService } from './kerasRunsService';
import type { PanelManager } from './panelManager';
import { type RunsNode, isKerasNode } from './runsTree';

export class KerasRunPanels extends Disposable {
  /** The Keras run folders the Runs panel was last asked to show. */
  private compared: string[] = [];

  constructor(
    private readonly keras: KerasRunsService,
    private readonly panels: PanelManager,
  ) {
    super();
    this.register(keras.onDidChange(() => this.changed()));
  }

  /** Selected runs on the same axes; one Keras run selected alone is also followed in the Tensors view. */
  showSelection(nodes: readonly RunsNode[]): void {
    const kept = nodes.flatMap((node) => (isKerasNode(node) ? [] : [node.id]));
    this.compared = nodes.flatMap((node) => (isKerasNode(node) ? [node.folder] : []));
    void this.panels.showRuns(kept, this.comparedRuns());
    if (this.compared.length === 1 && kept.length === 0) this.keras.follow(this.compared[0]);
  }

  private comparedRuns() {
    return this.keras.runs
      .filter((run) => this.compared.includes(run.folder))
      .map((run) => comparedKerasRun(run.summary, run.state));
  }

  /** A change fires at most once a look (1 s while a run is live); the kept records are not read again. */
  private changed(): void {
    if (this.compared.length > 0) this.panels.updateComparedKerasRuns(this.comparedRuns());
    const followed = this.keras.followed;
    if (followed)
      this.panels.showKerasRun(() => ({
        type: 'kerasRun',
        run: kerasDashboardRun(followed.summary, followed.state, followed.history),
      }));
  }
}
