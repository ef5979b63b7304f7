// Coalesces a fast stream of items (one per training batch) into groups sent at most once per
// interval, so a trainer doing hundreds of batches a second sends ~20 events a second and still
// delivers every item. Pure: the clock is injected, so tests can drive time.

/** Milliseconds between two groups: ≤ 20 events per second. */
export const DEFAULT_COALESCE_INTERVAL_MS = 50;

export class Coalescer<T> {
  private pending: T[] = [];
  private lastEmit: number;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {
    this.lastEmit = now();
  }

  /** Queues an item; returns every queued item (oldest first) once the interval has passed, else null. */
  add(item: T): T[] | null {
    this.pending.push(item);
    return this.now() - this.lastEmit >= this.intervalMs ? this.flush() : null;
  }

  /** Returns and clears every queued item now (e.g. at the end of an epoch); the next interval starts now. */
  flush(): T[] {
    const group = this.pending;
    this.pending = [];
    this.lastEmit = this.now();
    return group;
  }
}
