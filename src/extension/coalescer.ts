// The shared Coalescer (src/shared/coalesce.ts) driven by a timer, for pushes from the host's event
// stream: a trainer that floods events cannot flood a webview (each postMessage is a structured
// clone and a render there), and a group that is waiting goes out when its interval ends even if no
// further item arrives to trigger it.
import { Coalescer } from '../shared/coalesce';

export class TimedCoalescer<T> {
  private readonly groups: Coalescer<T>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (items: T[]) => void,
    private readonly intervalMs: number,
  ) {
    this.groups = new Coalescer<T>(intervalMs, () => performance.now());
  }

  push(item: T): void {
    const group = this.groups.add(item);
    if (group !== null) {
      this.cancelTimer();
      this.send(group);
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const waiting = this.groups.flush();
      if (waiting.length > 0) this.send(waiting);
    }, this.intervalMs);
  }

  /** Drops what is waiting (a fresh snapshot made it redundant) and what was scheduled. */
  clear(): void {
    this.cancelTimer();
    this.groups.flush();
  }

  private cancelTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
