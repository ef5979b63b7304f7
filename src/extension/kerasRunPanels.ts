// Where Keras runs meet the panels: the Runs view's selection (kept runs and Keras runs, both by run
// id) drawn together on the Runs panel and redrawn there as the Keras ones go on — also when the
// panel comes back after a reload, its Keras runs found again by id (now, or once the workspace's runs
// are read) — and the followed run's curves on the dashboard. Kept out of extension.ts so activation
// stays a wiring list.
import { comparedKerasRuns } from '../shared/kerasCompare';
import { kerasDashboardRun } from '../shared/kerasDashboard';
import { Disposable } from './dispose';
import type { KerasRunsService } from './kerasRunsService';
import type { PanelManager } from './panelManager';
import { type RunsNode, isKerasNode } from './runsTree';

export class KerasRunPanels extends Disposable {
  /** The Keras runs the Runs panel was last asked to show, by run id (what its webview saves). */
  private compared: string[] = [];

  constructor(
    private readonly keras: KerasRunsService,
    private readonly panels: PanelManager,
  ) {
    super();
    this.register(keras.onDidChange(() => this.changed()));
    panels.kerasRunsShown = (ids) => {
      this.compared = [...ids];
      return this.comparedRuns();
    };
  }

  /** Selected runs on the same axes; one Keras run selected alone is also followed in the Tensors view. */
  showSelection(nodes: readonly RunsNode[]): void {
    const kept = nodes.flatMap((node) => (isKerasNode(node) ? [] : [node.id]));
    const folders = nodes.flatMap((node) => (isKerasNode(node) ? [node.folder] : []));
    const selected = this.keras.runs.filter((run) => folders.includes(run.folder));
    this.compared = selected.map((run) => run.summary.id);
    void this.panels.showRuns(kept, this.comparedRuns());
    if (folders.length === 1 && kept.length === 0) this.keras.follow(folders[0]);
  }

  /** The compared runs found so far, in the order asked for. */
  private comparedRuns() {
    return comparedKerasRuns(this.keras.runs, this.compared);
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
