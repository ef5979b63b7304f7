// Passes items on in groups, at most once per interval: a trainer that floods events cannot flood a
// webview (each postMessage is a structured clone and a render there). The first item after a quiet
// interval goes at once, so a lone event is not delayed.
export class Coalescer<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = -Infinity;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly intervalMs: number,
  ) {}

  push(item: T): void {
    this.queue.push(item);
    if (this.timer) return;
    const wait = this.lastFlush + this.intervalMs - performance.now();
    if (wait <= 0) this.flushNow();
    else this.timer = setTimeout(() => this.flushNow(), wait);
  }

  /** Drops what is waiting (a fresh snapshot made it redundant) and what was scheduled. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  private flushNow(): void {
    this.timer = undefined;
    this.lastFlush = performance.now();
    const items = this.queue;
    this.queue = [];
    if (items.length > 0) this.flush(items);
  }
}
