// The Keras runs (docs/run-format.md) under the workspace's folders, followed live: the core of the
// host's KerasRunsService without `vscode`, so it is tested on real files and real writers. Each run
// folder has one shared EventFollower (new bytes only, in chunks that yield); its state is the
// shared §4 rule; its newest snapshot's statistics are read when a new one is recorded, and for the
// run whose history is kept (the dashboard's) every snapshot's, once each. A bad run
// costs one log line and its own entry; the others go on. Nothing here writes or deletes a file.
import { lstat } from 'node:fs/promises';
import * as path from 'node:path';
import { errorLine } from '../shared/errors';
import { type Fault, describeFault, faultOf } from '../shared/faults';
import {
  DEFAULT_WALK_LIMITS,
  EVENTS_FILE,
  EventFollower,
  type WalkLimits,
  findRunFolders,
  readSnapshot,
  runState,
} from '../shared/node/runFiles';
import { writerLiveness, writtenHere } from '../shared/node/writerProcess';
import type { SnapshotHeader } from '../shared/runFormat/snapshot';
import type { RunState, RunSummary } from '../shared/runFormat/summary';
import { type IDisposable, toDisposable } from './dispose';
import type { Logger } from './logger';

export interface KerasRun {
  readonly folder: string;
  readonly summary: RunSummary;
  state: RunState;
  /** Why the run could not be read further (a `runFile` fault naming the file), or null. */
  fault: Fault | null;
  /** The newest snapshot's statistics (every weight), or null before the first. */
  snapshot: SnapshotHeader | null;
  /** Every snapshot's statistics read, in order, for the run whose history is kept (else empty); at most MAX_KEPT_SNAPSHOTS. */
  history: SnapshotHeader[];
}

export interface KerasRunTiming {
  /** Between looks while a run is live (no end record, its writer alive): latency of a batch ≤ this. */
  liveMs: number;
  /** Between looks when no run is live. */
  idleMs: number;
  /** Between walks of the workspace for new run folders (file watching is not reliable everywhere). */
  scanMs: number;
  /** A running run written on another machine (whose writer cannot be asked) that has not grown for this long is looked at on the idle pace. */
  quietMs: number;
}

// A live look every 500 ms keeps a batch within issue 21's 1 s on screen by polling alone (bench: batch latency).
export const DEFAULT_TIMING: KerasRunTiming = { liveMs: 500, idleMs: 5000, scanMs: 10_000, quietMs: 60_000 };
/** Runs followed at most: the newest by folder name (= start time, §1); older ones are not read. */
export const MAX_FOLLOWED_RUNS = 50;
/** A kept history longer than this is thinned to every other snapshot (the first and newest stay). */
export const MAX_KEPT_SNAPSHOTS = 500;

export interface KerasRunOptions {
  /** The folders whose `**\/.tensorlens/runs/*` are followed (the workspace's folders). */
  roots: () => readonly string[];
  log: Logger;
  timing?: KerasRunTiming;
  walkLimits?: WalkLimits;
}

interface Followed {
  run: KerasRun;
  follower: EventFollower;
  /** An end record was read, the writer died, or the file is at fault: nothing more to read. */
  final: boolean;
  /** The snapshot index last asked for (read or refused), so each is read once. */
  snapshotAsked: number;
  /** Snapshot records taken into the history (read or refused). */
  historyAsked: number;
  /** Whether the run was seen starting: onDidStart fires once per run. */
  startTold: boolean;
  /** When a look last found the file grown (not counting the first read); -Infinity before. */
  grewAt: number;
}

const RUNS_DIR = `${path.sep}.tensorlens${path.sep}runs${path.sep}`;

/** The run folder a watched path lies in (`…/.tensorlens/runs/<id>/…`), or null. */
export function runFolderOf(file: string): string | null {
  const at = file.lastIndexOf(RUNS_DIR);
  if (at === -1) return null;
  const id = file.slice(at + RUNS_DIR.length).split(path.sep)[0];
  return id === '' ? null : file.slice(0, at + RUNS_DIR.length) + id;
}

export class KerasRunRegistry implements IDisposable {
  private readonly followed = new Map<string, Followed>();
  private readonly timing: KerasRunTiming;
  private readonly changeListeners = new Set<(runs: KerasRun[]) => void>();
  private readonly startListeners = new Set<(run: KerasRun) => void>();
  /** Folders a watcher named since the last look. */
  private readonly noticed = new Set<string>();
  private lastScan = -Infinity;
  private scanDue = true;
  private cycle: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private overflowLogged = false;
  /** A run left the list since the last look's listeners heard. */
  private forgotten = false;
  /** Runs let go over the bound: not read again (a walk finds them every time). */
  private readonly dropped = new Set<string>();
  /** The run folder whose every snapshot is read (the dashboard's run), or null. */
  private historyFolder: string | null = null;

  /** When this registry began to watch (Unix seconds, as a header's `time`). */
  private readonly watchingSince = Date.now() / 1000;

  constructor(private readonly options: KerasRunOptions) {
    this.timing = options.timing ?? DEFAULT_TIMING;
  }

  /** Every followed run, newest first. */
  get runs(): KerasRun[] {
    return [...this.followed.values()].map((f) => f.run).sort(newestFirst);
  }

  /**
   * The newest run still running, if any. One written on another machine counts only while it grows:
   * its writer cannot be asked (§4), and a folder synced or copied from there would keep the live pace forever.
   */
  newestLive(): KerasRun | undefined {
    const now = performance.now();
    const live = (f: Followed) =>
      f.run.state === 'running' &&
      f.run.summary.header !== null &&
      (writtenHere(f.run.summary.header.process) || now - f.grewAt < this.timing.quietMs);
    return [...this.followed.values()]
      .filter(live)
      .map((f) => f.run)
      .sort(newestFirst)[0];
  }

  /** Called with the runs that changed after each look that changed any. */
  onDidChange(listener: (runs: KerasRun[]) => void): IDisposable {
    this.changeListeners.add(listener);
    return toDisposable(() => this.changeListeners.delete(listener));
  }

  /** Called once per run first seen running with its header read (a run that started, or was live when found). */
  onDidStart(listener: (run: KerasRun) => void): IDisposable {
    this.startListeners.add(listener);
    return toDisposable(() => this.startListeners.delete(listener));
  }

  /** Looks now, then again on the timing's schedule until disposed. */
  start(): void {
    this.schedule(0);
  }

  /** A watcher saw `file` (under a run folder) change: that folder is looked at soon. */
  notice(file: string): void {
    const folder = runFolderOf(file);
    if (folder === null) this.scanDue = true;
    else this.noticed.add(folder);
    this.schedule(WATCH_DELAY_MS);
  }

  /**
   * From now on every snapshot of `folder`'s run is read (once each) into its `history`, for the
   * dashboard's histograms over time; the run kept before lets its history go.
   */
  keepHistory(folder: string | null): void {
    if (folder === this.historyFolder) return;
    const before = this.historyFolder === null ? undefined : this.followed.get(this.historyFolder);
    if (before) {
      before.run.history = [];
      before.historyAsked = 0;
    }
    this.historyFolder = folder;
    this.schedule(0);
  }

  /** The roots changed (a folder added to the workspace): walk them again at the next look. */
  rescan(): void {
    this.scanDue = true;
    this.schedule(0);
  }

  /** One look: new folders found, every unfinished run read to its end; never two at once. */
  async refresh(): Promise<void> {
    while (this.cycle !== null) await this.cycle;
    if (this.disposed) return;
    this.cycle = this.look().finally(() => (this.cycle = null));
    return this.cycle;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.changeListeners.clear();
    this.startListeners.clear();
  }

  private schedule(delay: number): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh()
        .catch((error: unknown) => this.options.log.error(`Keras runs: a look failed: ${errorLine(error)}`))
        .finally(() => {
          // A watcher's notice during the look has set its own, sooner timer.
          if (this.timer === undefined) this.schedule(this.newestLive() ? this.timing.liveMs : this.timing.idleMs);
        });
    }, delay);
  }

  private async look(): Promise<void> {
    if (this.scanDue || performance.now() - this.lastScan >= this.timing.scanMs) await this.scan();
    for (const folder of [...this.noticed]) {
      this.noticed.delete(folder);
      // A folder is noticed as it is made, before its event file: it is followed once the file is there.
      if (await exists(path.join(folder, EVENTS_FILE))) this.follow(folder);
    }
    const changed: KerasRun[] = [];
    const forgotten = this.forgotten;
    this.forgotten = false;
    // One run at a time: a big run's chunks yield, and the others wait their turn rather than pile up.
    for (const followed of this.followed.values()) {
      if (this.disposed) return;
      if (await this.read(followed)) changed.push(followed.run);
    }
    if (changed.length > 0 || forgotten || this.forgotten)
      for (const listener of this.changeListeners) listener(changed);
  }

  private async scan(): Promise<void> {
    this.scanDue = false;
    this.lastScan = performance.now();
    const found: string[] = [];
    for (const root of this.options.roots()) {
      const { folders } = await findRunFolders(root, this.options.walkLimits ?? DEFAULT_WALK_LIMITS);
      found.push(...folders);
    }
    const newest = found.sort((a, b) => (path.basename(a) < path.basename(b) ? 1 : -1));
    const seen = new Set(found);
    for (const folder of [...this.followed.keys()])
      if (!seen.has(folder) && !(await exists(path.join(folder, EVENTS_FILE)))) this.forget(folder);
    if (newest.length > MAX_FOLLOWED_RUNS && !this.overflowLogged) {
      this.overflowLogged = true;
      this.options.log.info(
        `Keras runs: ${newest.length} run folders found, following the newest ${MAX_FOLLOWED_RUNS}`,
      );
    }
    for (const folder of newest.slice(0, MAX_FOLLOWED_RUNS)) this.follow(folder);
  }

  private follow(folder: string): void {
    if (this.followed.has(folder) || this.dropped.has(folder)) return;
    const root = this.rootOf(folder);
    if (root === null) return;
    const follower = new EventFollower(path.join(folder, EVENTS_FILE), root);
    this.followed.set(folder, {
      run: { folder, summary: follower.summary, state: 'running', fault: null, snapshot: null, history: [] },
      follower,
      final: false,
      snapshotAsked: 0,
      historyAsked: 0,
      startTold: false,
      grewAt: -Infinity,
    });
    // Over the bound, the oldest runs that are over (ended, failed, died, unreadable) leave for good.
    for (const old of this.runs.reverse()) {
      if (this.followed.size <= MAX_FOLLOWED_RUNS) break;
      if (this.followed.get(old.folder)?.final) {
        this.followed.delete(old.folder);
        this.dropped.add(old.folder);
      }
    }
  }

  /** A run folder that is gone (the user deleted it) leaves the list without a word. */
  private forget(folder: string): void {
    this.followed.delete(folder);
    this.forgotten = true;
  }

  /** The workspace root a folder lies in: its files may not link out of it. */
  private rootOf(folder: string): string | null {
    const roots = this.options.roots().filter((root) => folder.startsWith(root + path.sep));
    return roots.sort((a, b) => b.length - a.length)[0] ?? null;
  }

  /** Reads what the run added; true when anything shown changed. */
  private async read(followed: Followed): Promise<boolean> {
    // A run that is over has no new events, but its history may be asked for now.
    if (followed.final) return this.readSnapshots(followed);
    const { run, follower } = followed;
    const firstRead = follower.bytesRead === 0;
    let changed: boolean;
    try {
      changed = (await follower.poll()).length > 0;
    } catch (error) {
      if (!(await exists(run.folder))) {
        this.forget(run.folder);
        return false;
      }
      followed.final = true;
      run.fault = faultOf(error);
      this.options.log.warn(`Keras run not read further: ${describeFault(run.fault)}`);
      return true;
    }
    if (changed && !firstRead) followed.grewAt = performance.now();
    const state = await runState(run.summary);
    if (state !== run.state) changed = true;
    run.state = state;
    followed.final = state !== 'running';
    if (await this.readSnapshots(followed)) changed = true;
    if (!followed.startTold && (await this.isStarting(run, state, firstRead, changed))) {
      followed.startTold = true;
      for (const listener of this.startListeners) listener(run);
    }
    return changed;
  }

  /**
   * A running run is starting when its writer lives on this machine, or when its file grows while
   * followed: a run left without an end record by another machine (a synced folder, §4 cannot ask
   * its pid) is listed as running but is not offered as a new run until it writes again. A run that
   * is over is new when it began while this registry watched: a fit of a second or two may start and
   * end between two looks, and its user still expects to see it.
   */
  private async isStarting(run: KerasRun, state: RunState, firstRead: boolean, grew: boolean): Promise<boolean> {
    const header = run.summary.header;
    if (header === null) return false;
    if (state !== 'running') return header.time >= this.watchingSince;
    if (grew && !firstRead) return true;
    return (await writerLiveness(header.process)) === 'alive';
  }

  private readSnapshots(followed: Followed): Promise<boolean> {
    return followed.run.folder === this.historyFolder ? this.readHistory(followed) : this.readNewestSnapshot(followed);
  }

  /** Every snapshot not yet read, in order; a bad one costs a log line and a gap, the rest read on. */
  private async readHistory(followed: Followed): Promise<boolean> {
    const { run } = followed;
    const events = run.summary.snapshots;
    let changed = false;
    while (followed.historyAsked < events.length && !this.disposed) {
      const event = events[followed.historyAsked++];
      try {
        const header =
          run.snapshot?.index === event.index ? run.snapshot : (await readSnapshot(run.folder, event)).header;
        run.history.push(header);
        if (run.history.length > MAX_KEPT_SNAPSHOTS) run.history = thinned(run.history);
        run.snapshot = header;
        followed.snapshotAsked = event.index;
        changed = true;
      } catch (error) {
        this.options.log.warn(`Keras run snapshot not read: ${errorLine(error)}`);
      }
    }
    return changed;
  }

  private async readNewestSnapshot(followed: Followed): Promise<boolean> {
    const newest = followed.run.summary.snapshots.at(-1);
    if (newest === undefined || newest.index === followed.snapshotAsked) return false;
    followed.snapshotAsked = newest.index;
    try {
      followed.run.snapshot = (await readSnapshot(followed.run.folder, newest)).header;
      return true;
    } catch (error) {
      // The run's events stay shown; the tree keeps the last snapshot that read.
      this.options.log.warn(`Keras run snapshot not read: ${errorLine(error)}`);
      return false;
    }
  }
}

/** Every other snapshot, the newest kept: a history thinned evenly, still spanning the whole run. */
export function thinned<T>(history: readonly T[]): T[] {
  const kept = history.filter((_, i) => i % 2 === 0);
  if (history.length % 2 === 0) kept.push(history[history.length - 1]);
  return kept;
}

const newestFirst = (a: KerasRun, b: KerasRun): number =>
  path.basename(a.folder) < path.basename(b.folder) ? 1 : path.basename(a.folder) > path.basename(b.folder) ? -1 : 0;

const exists = (file: string): Promise<boolean> =>
  lstat(file).then(
    () => true,
    () => false,
  );

/** Watchers report a burst of changes per write: one look after the burst. */
const WATCH_DELAY_MS = 100;
