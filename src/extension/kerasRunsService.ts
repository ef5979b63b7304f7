// The host's view of the Keras runs in the workspace: KerasRunRegistry (kerasRuns.ts) fed by a file
// watcher on `**/.tensorlens/runs/**` and by its own polling (watching is not reliable everywhere),
// the run the tensor tree follows (KerasFollowing: remembered across a window reload), and the
// first-run notification. An untrusted workspace is read
// too: reading runs nothing, writes nothing, is bounded and validated, and links out of the
// workspace folder are refused whether it is trusted or not.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandIds } from './commandIds';
import { Disposable } from './dispose';
import { KerasFollowing } from './kerasFollowing';
import { type KerasRun, KerasRunRegistry } from './kerasRuns';
import { kerasRunName } from './kerasRunWords';
import type { Logger } from './logger';

/** Set once the first Keras run was offered: from then on the newest live run is followed. */
const OFFERED_KEY = 'tensorLens.kerasRunOffered';

export class KerasRunsService extends Disposable {
  private readonly registry: KerasRunRegistry;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** A run was found, read further, or changed state; or the followed run changed. */
  readonly onDidChange = this.changed.event;
  private readonly following: KerasFollowing;

  constructor(
    private readonly globalState: vscode.Memento,
    workspaceState: vscode.Memento,
    log: Logger,
  ) {
    super();
    const roots = () =>
      (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    this.registry = this.register(new KerasRunRegistry({ roots, log }));
    // The run followed before a reload is followed again once the registry's first look finds it.
    this.following = new KerasFollowing(this.registry, workspaceState, roots);
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/.tensorlens/runs/**'));
    const notice = (uri: vscode.Uri) => this.registry.notice(uri.fsPath);
    this.register(watcher.onDidCreate(notice));
    this.register(watcher.onDidChange(notice));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.registry.rescan()));
    this.register(this.registry.onDidChange(() => this.changed.fire()));
    this.register(this.registry.onDidStart((run) => void this.started(run)));
    this.registry.start();
  }

  /** Every Keras run found, newest first. */
  get runs(): KerasRun[] {
    return this.registry.runs;
  }

  /** The runs as found by a first look (a panel restored at start-up may ask before the first scheduled one). */
  private firstLook: Promise<void> | null = null;

  /** The run whose folder is named `runId` (what names a Keras run to the inspector), if it is still there. */
  async run(runId: string): Promise<KerasRun | undefined> {
    this.firstLook ??= this.registry.refresh();
    await this.firstLook;
    return this.runs.find((run) => path.basename(run.folder) === runId);
  }

  /** The run the tensor tree shows, if any. */
  get followed(): KerasRun | undefined {
    return this.following.run;
  }

  /** The run the tensor tree and the dashboard show: its every snapshot is read, for the histograms over time. */
  follow(folder: string): void {
    this.following.follow(folder);
    this.changed.fire();
  }

  private async started(run: KerasRun): Promise<void> {
    if (this.globalState.get<boolean>(OFFERED_KEY)) {
      this.following.followStarted(run);
      this.changed.fire();
      return;
    }
    await this.globalState.update(OFFERED_KEY, true);
    const show = vscode.l10n.t('Show in Tensor Lens');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'A Keras run started: {0} ({1}). Tensor Lens can show its weights live and list it in the Runs view.',
        kerasRunName(run),
        run.summary.header?.framework.backend ?? '?',
      ),
      show,
    );
    if (answer !== show) return;
    this.follow(run.folder);
    void vscode.commands.executeCommand(commandIds.showDashboard);
    void vscode.commands.executeCommand('tensorLens.tensors.focus');
  }
}
