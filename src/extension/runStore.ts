// The kept runs: one JSON file per run in the extension's global storage (`runs/<id>.json`), each
// written atomically (a temporary file renamed over it), at most `limit()` of them (the oldest
// dropped). Only files named like a run id and marked as our record are read, counted or deleted:
// anything else in the folder is left as it is. No `vscode` here: unit-tested on a temp folder.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { RUN_ID, type RunRecord, parseRunRecord } from '../shared/runRecord';

/** A record of 1,000 epochs is ≈ 250 KB; anything larger is not one of ours. */
export const MAX_RECORD_BYTES = 1_000_000;

export function newRunId(now = Date.now()): string {
  return `run-${String(now).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
}

export class RunStore {
  constructor(
    readonly dir: string,
    private readonly limit: () => number,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Writes the record (replacing its earlier version), then drops the oldest records past the limit. */
  save(record: RunRecord): void {
    if (!RUN_ID.test(record.id)) throw new Error(`not a run id: ${record.id}`);
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${record.id}.json`);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(record));
    renameSync(temporary, file);
    this.prune();
  }

  /** Every kept record, oldest first; unreadable or foreign files are skipped (and logged once per read). */
  list(): RunRecord[] {
    const records: RunRecord[] = [];
    for (const name of this.candidates()) {
      const record = this.read(name);
      if (record) records.push(record);
    }
    return records.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
  }

  /** Removes the oldest of our records beyond the limit; nothing else. */
  prune(): void {
    const ours = this.list();
    const excess = ours.length - Math.max(1, this.limit());
    for (const record of ours.slice(0, Math.max(0, excess)))
      rmSync(join(this.dir, `${record.id}.json`), { force: true });
  }

  private candidates(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.filter((n) => n.endsWith('.json') && RUN_ID.test(n.slice(0, -'.json'.length)));
  }

  /** A regular file of at most MAX_RECORD_BYTES holding our record under its own id, else null. */
  private read(name: string): RunRecord | null {
    const file = join(this.dir, name);
    let fd: number | undefined;
    try {
      // Not followed: a link could point anywhere.
      if (!lstatSync(file).isFile()) throw new Error('not a regular file');
      fd = openSync(file, 'r');
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new Error('not a regular file');
      if (stat.size > MAX_RECORD_BYTES) throw new Error(`${stat.size} bytes, more than a run record holds`);
      const bytes = Buffer.alloc(stat.size);
      readSync(fd, bytes, 0, stat.size, 0);
      const record = parseRunRecord(JSON.parse(bytes.toString('utf8')));
      if (record === null || `${record.id}.json` !== name) throw new Error('not a Tensor Lens run record');
      return record;
    } catch (error) {
      this.log(`runs: skipped ${file}: ${(error as Error).message}`);
      return null;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
