// The kept runs: one JSON file per run in the extension's global storage (`runs/<id>.json`), shared
// by every window. Each record is read once, asynchronously, into an index (all but its epochs) that
// the Runs view and pruning use; a record's file is read again only to show its curves. Writes go to
// a temporary file created exclusively, then renamed over the record. Only files named like a run id
// and holding a valid record of ours are listed, counted or deleted: anything else in the folder is
// left as it is. No `vscode` here: unit-tested on a temp folder.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorLine } from '../shared/errors';
import {
  RUN_ID,
  type RunRecord,
  type RunSummary,
  type RunWriter,
  runRecordFault,
  summarize,
} from '../shared/runRecord';
import { type Logger, NO_LOG } from './logger';
import { currentWriter, sameWriter, writerState } from './runWriter';

/** A record of 1,000 epochs is ≈ 250 KB; anything larger is not one of ours. */
export const MAX_RECORD_BYTES = 1_000_000;
/**
 * A record "training" written before records named their writer is taken as abandoned once a day
 * has passed without a write (a live run writes after every epoch).
 */
export const UNOWNED_STALE_MS = 24 * 3600 * 1000;
/** Runs the limit may drop without asking: the one a new run pushes out. More need the user's word. */
export const SILENT_DROPS = 1;

/** Where the system has no O_NOFOLLOW (Windows), the file is lstat-ed first instead. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export function newRunId(now = Date.now()): string {
  return `run-${String(now).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
}

/** How many of `kept` runs are over `limit` (null: the setting is refused, so none are). */
export function runsOverLimit(kept: number, limit: number | null): number {
  return limit === null ? 0 : Math.max(0, kept - limit);
}

const byStart = (a: RunSummary, b: RunSummary) => a.startedAt - b.startedAt || a.id.localeCompare(b.id);

/**
 * A regular file of at most MAX_RECORD_BYTES holding a valid record, with its modification time.
 * Opened non-blocking and not through a link, and checked with fstat on that very descriptor: a
 * FIFO or a link put in a record's place cannot hang or redirect the read.
 */
export async function readRecordFile(
  file: string,
  now = Date.now(),
): Promise<{ record: RunRecord; modifiedMs: number }> {
  if (NOFOLLOW === 0 && (await lstat(file)).isSymbolicLink()) throw new Error('a link, not a record');
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | NOFOLLOW);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > MAX_RECORD_BYTES) throw new Error(`${stat.size} bytes, more than a run record holds`);
    const bytes = Buffer.alloc(stat.size);
    for (let read = 0; read < bytes.length;) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, read);
      if (bytesRead === 0) throw new Error('shorter than its size (changed while read)');
      read += bytesRead;
    }
    const raw: unknown = JSON.parse(bytes.toString('utf8'));
    const fault = runRecordFault(raw, now);
    if (fault) throw new Error(fault);
    return { record: raw as RunRecord, modifiedMs: stat.mtimeMs };
  } finally {
    await handle.close();
  }
}

export class RunStore {
  /** Every valid record in the folder as last read or written, by id. */
  private readonly index = new Map<string, RunSummary>();
  /** Files refused once (and logged): not read again while they stay. */
  private readonly refused = new Set<string>();
  /** Every change of the index or the files runs in this one queue, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly me: Promise<RunWriter> = currentWriter();

  constructor(
    readonly dir: string,
    /** How many runs to keep; null when the setting is refused (then every run is kept). */
    private readonly limit: () => number | null,
    private readonly log: Logger = NO_LOG,
  ) {}

  /** Reads the folder into the index (at activation); a run left "training" by a writer that is gone ends as failed. */
  load(): Promise<void> {
    return this.serial(() => this.scan());
  }

  /** Takes in records other windows added, changed (their runs still training) or removed since. */
  sync(): Promise<void> {
    return this.serial(() => this.scan());
  }

  /** Resolves once every change asked for so far is done. */
  async idle(): Promise<void> {
    await this.queue;
  }

  /** Every kept run, oldest first, from the index (no file is read). */
  list(): RunSummary[] {
    return [...this.index.values()].sort(byStart);
  }

  /** The full records of these ids, oldest first, read now (a run may have gone on); unreadable ones are skipped with a line. */
  async records(ids: readonly string[]): Promise<RunRecord[]> {
    await this.idle();
    const wanted = this.list().filter((s) => ids.includes(s.id));
    const records: RunRecord[] = [];
    for (const summary of wanted) {
      const file = this.fileOf(summary.id);
      try {
        records.push((await readRecordFile(file)).record);
      } catch (error) {
        this.log.warn(`runs: skipped ${file}: ${errorLine(error)}`);
      }
    }
    return records;
  }

  /** How many runs the limit would drop now (runs still training are never dropped). */
  excess(): number {
    const droppable = this.list().filter((s) => s.outcome !== 'training').length;
    return Math.min(droppable, runsOverLimit(this.index.size, this.limit()));
  }

  /**
   * Writes the record (replacing its earlier version) as this window's. If that puts the runs one
   * over the limit, the oldest goes; more than one goes only by prune(), when the user agreed.
   */
  save(record: RunRecord): Promise<void> {
    return this.serial(async () => {
      if (!RUN_ID.test(record.id)) throw new Error(`not a run id: ${record.id}`);
      await this.write({ ...record, writer: await this.me });
      if (this.excess() === SILENT_DROPS) await this.drop(SILENT_DROPS);
    });
  }

  /** Removes the `count` oldest runs that are not training (at most as many as are over the limit); nothing else. */
  prune(count: number): Promise<void> {
    return this.serial(() => this.drop(Math.min(count, this.excess())));
  }

  private serial(job: () => Promise<void>): Promise<void> {
    const next = this.queue.then(job);
    this.queue = next.catch(() => {});
    return next;
  }

  private fileOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private async drop(count: number): Promise<void> {
    for (const summary of this.list()
      .filter((s) => s.outcome !== 'training')
      .slice(0, count)) {
      await rm(this.fileOf(summary.id), { force: true });
      this.index.delete(summary.id);
    }
  }

  private async write(record: RunRecord): Promise<void> {
    // Never write what would be refused when read back (as JSON: a NaN loss is written as null).
    const json = JSON.stringify(record);
    const fault = runRecordFault(JSON.parse(json));
    if (fault) throw new Error(`not a valid record: ${fault}`);
    await mkdir(this.dir, { recursive: true });
    const file = this.fileOf(record.id);
    const temporary = `${file}.${process.pid}.tmp`;
    // Created exclusively and not through a link: whatever already has this name (a planted link)
    // is refused (EEXIST), never written through.
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
    try {
      try {
        await handle.writeFile(json);
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true }); // ours: created exclusively above
      throw error;
    }
    this.index.set(record.id, summarize(record));
  }

  private async candidates(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    return names.filter((n) => n.endsWith('.json') && RUN_ID.test(n.slice(0, -'.json'.length)));
  }

  /**
   * Brings the index in line with the folder: reads names it does not know and other writers' runs
   * still training (they may have gone on), drops names that are gone.
   */
  private async scan(): Promise<void> {
    const me = await this.me;
    const names = await this.candidates();
    const present = new Set(names.map((n) => n.slice(0, -'.json'.length)));
    for (const id of this.index.keys()) if (!present.has(id)) this.index.delete(id);
    for (const id of this.refused) if (!present.has(id)) this.refused.delete(id);
    for (const id of present) {
      const known = this.index.get(id);
      if (this.refused.has(id) || (known && (known.outcome !== 'training' || sameWriter(known.writer, me)))) continue;
      const file = this.fileOf(id);
      let read: { record: RunRecord; modifiedMs: number };
      try {
        read = await readRecordFile(file);
        if (read.record.id !== id) throw new Error(`holds the record of ${read.record.id}`);
      } catch (error) {
        this.index.delete(id);
        this.refused.add(id);
        this.log.warn(`runs: skipped ${file}: ${errorLine(error)}`);
        continue;
      }
      this.index.set(id, summarize(read.record));
      if (!(await this.abandoned(read.record, read.modifiedMs, me))) continue;
      try {
        await this.write({ ...read.record, outcome: 'failed', failedBecause: 'windowClosed' });
        this.log.info(`runs: ${id} was still training when its window closed; marked failed`);
      } catch (error) {
        this.log.error(`runs: could not mark ${file} failed: ${errorLine(error)}`);
      }
    }
  }

  /** A run left "training" whose writer is gone (or, unnamed, has not written for a day). */
  private async abandoned(record: RunRecord, modifiedMs: number, me: RunWriter): Promise<boolean> {
    if (record.outcome !== 'training') return false;
    if (record.writer === undefined) return Date.now() - modifiedMs > UNOWNED_STALE_MS;
    if (sameWriter(record.writer, me)) return false;
    return (await writerState(record.writer)) === 'gone';
  }
}
