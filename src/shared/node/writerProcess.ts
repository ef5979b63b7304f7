// Whether the process that writes a file still lives (docs/run-format.md §4): the pid, the host, and
// on Linux the boot id and the process' start time (field 22 of /proc/<pid>/stat), so a pid reused
// after the writer died, or a reboot, is not taken for the writer. Async: /proc reads never block
// the caller's thread.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Field 22 of /proc/<pid>/stat (clock ticks after boot); null where the system does not say. */
  startTicks: number | null;
  /** /proc/sys/kernel/random/boot_id; null where the system does not say. */
  bootId: string | null;
}

export type WriterLiveness = 'alive' | 'gone' | 'elsewhere';

let cachedBootId: Promise<string | null> | undefined;

/** This machine's boot id (Linux), read once. */
export function bootId(): Promise<string | null> {
  cachedBootId ??=
    process.platform === 'linux'
      ? readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
          (text) => text.trim() || null,
          () => null,
        )
      : Promise.resolve(null);
  return cachedBootId;
}

/** When process `pid` started, in clock ticks after boot (Linux); null when unknown or gone. */
export async function startTicks(pid: number): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const ticks = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .at(22 - 3);
    return ticks !== undefined && /^\d+$/.test(ticks) ? Number(ticks) : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists; EPERM (someone else's process) counts as existing. */
function pidExists(pid: number): boolean {
  // No process has a pid beyond a C int (process.kill would refuse it as an argument error).
  if (!Number.isSafeInteger(pid) || pid < 1 || pid > 0x7fffffff) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** This process, as a writer names itself. */
export async function currentProcess(): Promise<ProcessIdentity> {
  const [ticks, boot] = await Promise.all([startTicks(process.pid), bootId()]);
  return { pid: process.pid, host: hostname(), startTicks: ticks, bootId: boot };
}

/** Whether the writer ran on this machine, whose processes can be asked (§4). */
export function writtenHere(writer: ProcessIdentity): boolean {
  return writer.host === hostname();
}

/** §4's rule: `elsewhere` when the writer ran on another host, which cannot be asked. */
export async function writerLiveness(writer: ProcessIdentity): Promise<WriterLiveness> {
  if (!writtenHere(writer)) return 'elsewhere';
  if (writer.bootId !== null) {
    const boot = await bootId();
    if (boot !== null && boot !== writer.bootId) return 'gone';
  }
  if (!pidExists(writer.pid)) return 'gone';
  if (writer.startTicks === null) return 'alive';
  const ticks = await startTicks(writer.pid);
  // Gone between the two questions (null) counts as alive until the next look.
  return ticks !== null && ticks !== writer.startTicks ? 'gone' : 'alive';
}
