// A program the host runs to its end in a process group of its own (the native installer, pip), so that
// Cancel can end all of it: the program and whatever it started (npm, a compiler, pip's build of a
// package). Its stdout comes a line at a time, its stderr as it arrives. No `vscode` here.
import { spawn } from 'node:child_process';

export interface GroupRun {
  command: string;
  /** Passed as they are, without a shell. */
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Each complete line of stdout, without its newline (a last line without one when it ends). */
  onStdoutLine: (line: string) => void;
  onStderr: (text: string) => void;
  /** Aborting ends the group: SIGTERM, then SIGKILL after `stopGraceMs`. */
  signal?: AbortSignal;
  stopGraceMs?: number;
}

export type GroupEnd =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'cancelled' }
  /** It could not be started (ENOENT, EACCES): Node's message. */
  | { kind: 'notStarted'; code: string | undefined; message: string };

export function runInProcessGroup(run: GroupRun): Promise<GroupEnd> {
  return new Promise((resolve) => {
    const child = spawn(run.command, run.args, {
      env: run.env,
      cwd: run.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A group of its own, so that cancelling can signal all of it.
      detached: true,
    });
    let cancelled = false;
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) run.onStdoutLine(line);
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => run.onStderr(text));
    let killTimer: NodeJS.Timeout | undefined;
    const cancel = () => {
      cancelled = true;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), run.stopGraceMs ?? 20_000);
    };
    if (run.signal?.aborted) cancel();
    else run.signal?.addEventListener('abort', cancel, { once: true });
    let failedToStart: GroupEnd | null = null;
    child.on('error', (error: NodeJS.ErrnoException) => {
      failedToStart = { kind: 'notStarted', code: error.code, message: error.message };
    });
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      run.signal?.removeEventListener('abort', cancel);
      if (pending) run.onStdoutLine(pending);
      if (failedToStart) resolve(failedToStart);
      else if (cancelled) resolve({ kind: 'cancelled' });
      else resolve({ kind: 'exited', code, signal });
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has ended already.
  }
}
