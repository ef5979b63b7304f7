// Reading Tensor Lens runs from disk (docs/run-format.md): following a run's growing event file by
// offset, reading its snapshot files within their stated sizes, deciding running/died (§4), and
// finding runs under a folder. One reader for the CLI (`runs`) and the extension host; everything
// is async, read in bounded chunks, yielding between them so the caller's event loop keeps turning.
import { lstat, opendir } from 'node:fs/promises';
import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  MAX_EVENT_FILE_BYTES,
  MAX_EVENT_LINE_BYTES,
  RunFormatError,
  type RunEvent,
  type SnapshotEvent,
  parseEventLine,
} from '../runFormat/events';
import {
  SNAPSHOT_PREAMBLE_BYTES,
  type SnapshotHeader,
  parseSnapshotHeader,
  parseSnapshotPreamble,
  weightValues,
} from '../runFormat/snapshot';
import { type RunState, type RunSummary, applyRunEvent, emptyRunSummary } from '../runFormat/summary';
import { UntrustedFileError, fsFault, openUntrusted, readExactly } from './untrustedFile';
import { writerLiveness } from './writerProcess';

export const EVENTS_FILE = 'events.jsonl';
/** Bytes read per step: parsing one chunk's lines (about 500) is the longest the caller's thread is held (bench/kerasRuns.ts: 1 MiB chunks held it 60–200 ms, 64 KiB 20–30 ms). */
const READ_CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Follows one run's event file: each `poll` reads only the bytes added since the last one, consumes
 * whole lines (up to the last `\n`; the rest is kept and completed by later bytes, never read
 * twice), and folds the events into `summary`. A fault (a bad line, a file replaced or beyond the
 * limits) is final: this and every later poll throws it, naming the file.
 */
export class EventFollower {
  readonly summary: RunSummary;
  /** Bytes read from disk so far (each byte of the file at most once). */
  bytesRead = 0;
  private consumed = 0;
  /** What follows the last `\n` read, as read (joined when its line ends). */
  private tail: Buffer[] = [];
  private tailLength = 0;
  private lineNumber = 0;
  private identity: { dev: number; ino: number } | null = null;
  private fault: UntrustedFileError | null = null;
  private polling: Promise<RunEvent[]> | null = null;

  /** `file`: the run's events.jsonl; `root`: the folder it must stay inside (links leaving it are refused). */
  constructor(
    readonly file: string,
    readonly root: string,
  ) {
    this.summary = emptyRunSummary(path.basename(path.dirname(file)));
  }

  /** The events added since the last poll (also folded into `summary`). Polls never overlap. */
  poll(): Promise<RunEvent[]> {
    this.polling ??= this.readNew().finally(() => (this.polling = null));
    return this.polling;
  }

  private async readNew(): Promise<RunEvent[]> {
    if (this.fault !== null) throw this.fault;
    try {
      return await this.readNewUnchecked();
    } catch (error) {
      this.fault =
        error instanceof UntrustedFileError
          ? error
          : new UntrustedFileError(this.file, error instanceof RunFormatError ? error.fault : fsFault(error));
      throw this.fault;
    }
  }

  private async readNewUnchecked(): Promise<RunEvent[]> {
    const opened = await openUntrusted(this.file, this.root);
    const events: RunEvent[] = [];
    try {
      if (this.identity !== null && (this.identity.dev !== opened.dev || this.identity.ino !== opened.ino))
        throw new RunFormatError({ kind: 'runFileReplaced' });
      this.identity = { dev: opened.dev, ino: opened.ino };
      let position = this.consumed + this.tailLength;
      if (opened.size < position) throw new RunFormatError({ kind: 'runFileShrank', from: position, to: opened.size });
      if (opened.size > MAX_EVENT_FILE_BYTES)
        throw new RunFormatError({ kind: 'runFileTooLarge', bytes: opened.size, max: MAX_EVENT_FILE_BYTES });
      // Up to the size seen now: bytes appended while reading wait for the next poll.
      const end = opened.size;
      while (position < end) {
        const length = Math.min(READ_CHUNK_BYTES, end - position);
        const chunk = await readExactly(opened, this.file, position, length);
        position += length;
        this.bytesRead += length;
        this.consume(chunk, events);
        if (position < end) await nextTurn();
      }
    } finally {
      await opened.handle.close();
    }
    return events;
  }

  /** Folds the whole lines of the kept tail + chunk; keeps what follows the last `\n`. */
  private consume(chunk: Buffer, events: RunEvent[]): void {
    let newline = chunk.indexOf(NEWLINE);
    if (newline === -1) return this.keep(chunk);
    // The pieces of a long line are joined once, when its newline arrives (never chunk by chunk).
    const first =
      this.tailLength === 0 ? chunk.subarray(0, newline) : Buffer.concat([...this.tail, chunk.subarray(0, newline)]);
    this.tail = [];
    this.tailLength = 0;
    this.line(first, events);
    let start = newline + 1;
    for (newline = chunk.indexOf(NEWLINE, start); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      this.line(chunk.subarray(start, newline), events);
      start = newline + 1;
    }
    // A copy: the tail outlives the chunk.
    if (start < chunk.length) this.keep(Buffer.from(chunk.subarray(start)));
  }

  private keep(piece: Buffer): void {
    this.tail.push(piece);
    this.tailLength += piece.length;
    if (this.tailLength > MAX_EVENT_LINE_BYTES)
      throw new RunFormatError({ kind: 'runLineTooLong', line: this.lineNumber + 1, max: MAX_EVENT_LINE_BYTES });
  }

  private line(bytes: Buffer, events: RunEvent[]): void {
    this.lineNumber++;
    this.consumed += bytes.length + 1;
    if (bytes.length > MAX_EVENT_LINE_BYTES)
      throw new RunFormatError({ kind: 'runLineTooLong', line: this.lineNumber, max: MAX_EVENT_LINE_BYTES });
    const text = bytes.toString('utf8');
    if (text.trim() === '') return;
    try {
      const parsed = parseEventLine(text);
      if (parsed.kind === 'skipped') {
        this.summary.skippedRecords++;
        return;
      }
      applyRunEvent(this.summary, parsed.event);
      events.push(parsed.event);
    } catch (error) {
      if (error instanceof RunFormatError)
        throw new RunFormatError({ kind: 'runLine', line: this.lineNumber, detail: error.fault });
      throw error;
    }
  }

  /** Bytes after the last `\n`: a record still being written, or torn by a kill. */
  get pendingBytes(): number {
    return this.tailLength;
  }
}

/** §4: the end record's state, else `died` when the writer's process on this machine is gone. */
export async function runState(summary: RunSummary): Promise<RunState> {
  if (summary.end !== null) return summary.end.state;
  if (summary.header === null) return 'running';
  return (await writerLiveness(summary.header.process)) === 'gone' ? 'died' : 'running';
}

export interface RunRead {
  folder: string;
  summary: RunSummary;
  state: RunState;
}

/** Reads a run folder's event file to its current end and decides its state. */
export async function readRun(folder: string, root: string): Promise<RunRead> {
  const follower = new EventFollower(path.join(folder, EVENTS_FILE), root);
  await follower.poll();
  return { folder, summary: follower.summary, state: await runState(follower.summary) };
}

export interface SnapshotRead {
  header: SnapshotHeader;
  /** The float32 values of the weights asked for that the snapshot carries. */
  values: Map<string, Float32Array>;
}

/**
 * One snapshot of a run: its size checked against the event's `bytes` and the preamble's
 * 24 + H + D before the header is read, and each values range against D before it is read.
 * `valuesOf`: the weights whose values to read (none by default).
 */
export async function readSnapshot(
  runFolder: string,
  event: SnapshotEvent,
  valuesOf: ReadonlySet<string> = new Set(),
): Promise<SnapshotRead> {
  // `file` was checked to be snapshots/NNNNNN.bin (summary.ts); links out of the folder are refused here.
  const file = path.join(runFolder, event.file);
  const opened = await openUntrusted(file, runFolder);
  try {
    if (opened.size !== event.bytes)
      throw new UntrustedFileError(file, { kind: 'snapshotWrongSize', bytes: opened.size, expected: event.bytes });
    const layout = parseSnapshotPreamble(
      await readExactly(opened, file, 0, Math.min(SNAPSHOT_PREAMBLE_BYTES, opened.size)),
      opened.size,
    );
    // parseSnapshotPreamble has bounded H (64 MiB) and checked 24 + H + D against the file's size.
    const headerText = (await readExactly(opened, file, SNAPSHOT_PREAMBLE_BYTES, layout.headerBytes)).toString('utf8');
    const header = parseSnapshotHeader(headerText, layout.dataBytes);
    if (header.index !== event.index)
      throw new RunFormatError({ kind: 'snapshotWrongIndex', header: header.index, record: event.index });
    const values = new Map<string, Float32Array>();
    const dataStart = SNAPSHOT_PREAMBLE_BYTES + layout.headerBytes;
    for (const weight of header.weights) {
      if (weight.values === null || !valuesOf.has(weight.name)) continue;
      const bytes = await readExactly(opened, file, dataStart + weight.values.offset, weight.values.length);
      values.set(weight.name, weightValues(bytes, { offset: 0, length: weight.values.length }));
    }
    return { header, values };
  } catch (error) {
    if (error instanceof UntrustedFileError) throw error;
    throw new UntrustedFileError(file, error instanceof RunFormatError ? error.fault : fsFault(error));
  } finally {
    await opened.handle.close();
  }
}

/** A folder's `.tensorlens/runs/` holds at most this many runs that a listing reads. */
export const MAX_RUNS_PER_FOLDER = 10_000;

/** The run folders under `base`/.tensorlens/runs/ that hold an event file, sorted by name (= start time). */
export async function runFoldersIn(base: string): Promise<string[]> {
  const runs = path.join(base, '.tensorlens', 'runs');
  const folders: string[] = [];
  let dir;
  try {
    dir = await opendir(runs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return [];
    throw new UntrustedFileError(runs, fsFault(error));
  }
  for await (const entry of dir) {
    if (folders.length >= MAX_RUNS_PER_FOLDER) break;
    if (!entry.isDirectory()) continue;
    const folder = path.join(runs, entry.name);
    // Any entry named events.jsonl counts (a FIFO too): the reader then refuses it in one line.
    if (
      await lstat(path.join(folder, EVENTS_FILE)).then(
        () => true,
        () => false,
      )
    )
      folders.push(folder);
  }
  return folders.sort();
}

export interface WalkLimits {
  /** Folder levels below the root searched for `.tensorlens`. */
  maxDepth: number;
  /** Folders listed, and entries read in them, at most; a larger tree is searched in part (`truncated`). */
  maxFolders: number;
  maxEntries: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxDepth: 6, maxFolders: 5_000, maxEntries: 200_000 };
/** Folders no run lives in, and that can be huge. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', 'site-packages']);

/**
 * Every run folder under `root` (`**\/.tensorlens/runs/*\/events.jsonl`, §1), breadth first,
 * never following links, within `limits`.
 */
export async function findRunFolders(
  root: string,
  limits: WalkLimits = DEFAULT_WALK_LIMITS,
): Promise<{ folders: string[]; truncated: boolean }> {
  const folders: string[] = [];
  let level = [root];
  let listed = 0;
  let entries = 0;
  for (let depth = 0; depth <= limits.maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      if (listed >= limits.maxFolders) return { folders, truncated: true };
      listed++;
      try {
        for await (const entry of await opendir(folder)) {
          if (++entries > limits.maxEntries) return { folders, truncated: true };
          if (!entry.isDirectory()) continue;
          if (entry.name === '.tensorlens') folders.push(...(await runFoldersIn(folder)));
          else if (!SKIPPED_FOLDERS.has(entry.name)) next.push(path.join(folder, entry.name));
        }
      } catch {
        // Unreadable (gone, no permission): the walk goes on; a run folder named directly is read with its error.
      }
    }
    level = next;
  }
  // Folders left below the deepest level searched: the tree was searched in part.
  return { folders, truncated: level.length > 0 };
}
