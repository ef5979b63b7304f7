// Who writes a kept run while it trains, and whether that process still lives. Global storage is
// shared by every window of the editor, so a record still "training" may be another window's live
// run: it is ended only when its own writer is gone.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { RunWriter } from '../shared/runRecord';

/**
 * When process `pid` started, as the system counts it, to tell a reused pid apart: on Linux the boot
 * id and field 22 of /proc/<pid>/stat (clock ticks since boot). Null where the system does not say
 * (or the process is gone).
 */
export async function processStart(pid: number): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  try {
    const [boot, stat] = await Promise.all([
      readFile('/proc/sys/kernel/random/boot_id', 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const ticks = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .at(22 - 3);
    return ticks && /^\d+$/.test(ticks) ? `${boot.trim()}:${ticks}` : null;
  } catch {
    return null;
  }
}

/** This process, as a record's writer. */
export async function currentWriter(): Promise<RunWriter> {
  return { pid: process.pid, host: hostname(), start: await processStart(process.pid) };
}

export type WriterState = 'alive' | 'gone' | 'elsewhere';

export const sameWriter = (a: RunWriter | undefined, b: RunWriter): boolean =>
  a !== undefined && a.pid === b.pid && a.host === b.host && a.start === b.start;

/** Whether `writer` still runs: `elsewhere` when it ran on another machine (a home folder shared over the network), which cannot be asked. */
export async function writerState(writer: RunWriter): Promise<WriterState> {
  if (writer.host !== hostname()) return 'elsewhere';
  try {
    process.kill(writer.pid, 0);
  } catch (error) {
    // EPERM: the process exists (someone else's): only ESRCH says it is gone.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
  }
  if (writer.start === null) return 'alive';
  const start = await processStart(writer.pid);
  // Gone between the two questions (null) counts as alive until the next look.
  return start !== null && start !== writer.start ? 'gone' : 'alive';
}
