// Waiting on real processes: polling until something holds, and whether a pid is still running.

type Falsy = undefined | null | false;

/**
 * Polls `probe` (sync or async) until it gives a truthy value, which it resolves to; fails after
 * `timeoutMs`. `what` may be a function, to name in the failure what was last seen.
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => T | Falsy | Promise<T | Falsy>,
  timeoutMs = 60_000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
