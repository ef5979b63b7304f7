// Which Keras run the Tensors view and the dashboard follow, remembered in the workspace's state so
// the run comes back after a window reload. Without `vscode` (the state is read through the two
// methods of its Memento), so the choice is tested on real run folders and a real registry. What the
// state says is untrusted, like every file the workspace names: a run folder gone, outside the
// workspace's folders or not a run folder's path is dropped without a word.
import { lstat } from 'node:fs/promises';
import * as path from 'node:path';
import { type KerasRun, type KerasRunRegistry, runFolderOf } from './kerasRuns';

/** The two methods of vscode.Memento used here (context.workspaceState). */
export interface WorkspaceMemory {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** `{ folder, since }`: the followed run's folder and when it was followed (Unix seconds, as run headers' `time`). */
export const FOLLOWED_KEY = 'tensorLens.followedKerasRun';

interface Remembered {
  folder: string;
  since: number;
}

export class KerasFollowing {
  private folder: string | null = null;
  /** When the followed run was chosen (Unix seconds, the remembered time for one restored after a reload), or null. */
  private followedSince: number | null = null;
  /** Settles once the remembered run folder was checked (and dropped when it is gone). */
  readonly restored: Promise<void>;

  constructor(
    private readonly registry: KerasRunRegistry,
    private readonly memory: WorkspaceMemory,
    private readonly roots: () => readonly string[],
  ) {
    // Before the registry's first look: a run it finds starting then is weighed against this one.
    this.restored = this.restore();
  }

  /** The followed run, once the registry has found it. */
  get run(): KerasRun | undefined {
    return this.registry.runs.find((run) => run.folder === this.folder);
  }

  /** Follows `folder`'s run (its every snapshot is read, for the histograms over time) and remembers it. */
  follow(folder: string): void {
    const since = Date.now() / 1000;
    this.folder = folder;
    this.followedSince = since;
    this.registry.keepHistory(folder);
    void this.memory.update(FOLLOWED_KEY, { folder, since } satisfies Remembered);
  }

  /**
   * A run seen starting (once the first run was offered) is followed, unless it began before the
   * followed run was chosen: the user chose that one while it ran (also before a reload), and of
   * several runs found live at once (the registry tells them newest first) the newest stays followed.
   */
  followStarted(run: KerasRun): void {
    const began = run.summary.header?.time;
    if (this.followedSince !== null && began !== undefined && began <= this.followedSince) return;
    this.follow(run.folder);
  }

  private async restore(): Promise<void> {
    const value = this.memory.get(FOLLOWED_KEY);
    if (value === undefined) return;
    const remembered = this.valid(value);
    if (remembered === null) return this.forget();
    this.folder = remembered.folder;
    this.followedSince = remembered.since;
    this.registry.keepHistory(remembered.folder);
    // A run folder deleted since (lstat: a link is not a run folder, and its target is not looked at).
    const here = await lstat(remembered.folder).then(
      (stat) => stat.isDirectory(),
      () => false,
    );
    if (!here && this.folder === remembered.folder) {
      this.folder = null;
      this.followedSince = null;
      this.registry.keepHistory(null);
      await this.forget();
    }
  }

  /** The remembered entry when it names a run folder's path inside one of the workspace's folders, else null. */
  private valid(value: unknown): Remembered | null {
    if (typeof value !== 'object' || value === null) return null;
    const { folder, since } = value as Record<string, unknown>;
    if (typeof folder !== 'string' || typeof since !== 'number' || !Number.isFinite(since)) return null;
    if (!path.isAbsolute(folder) || path.normalize(folder) !== folder || runFolderOf(folder) !== folder) return null;
    if (!this.roots().some((root) => folder.startsWith(root + path.sep))) return null;
    return { folder, since };
  }

  private async forget(): Promise<void> {
    await this.memory.update(FOLLOWED_KEY, undefined);
  }
}
