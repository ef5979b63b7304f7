// Coalesces a fast stream of items (one per training batch) into groups sent at most once per
// interval, so a trainer doing hundreds of batches a second sends ~20 events a second and still
// delivers every item. Pure: the clock is injected, so tests can drive time. LatestOnly does the
// same for requests that each start work: one runs at a time and only the newest waits.

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

/**
 * Runs an asynchronous job one request at a time, keeping only the newest request that arrives while
 * one runs: a key held down asks many times a second, and every answer but the last would be stale
 * before it was shown. The running job is never cancelled; its answer still arrives.
 */
export class LatestOnly<A, R> {
  private running = false;
  private waiting: { arg: A; answer: (result: Promise<R | null>) => void } | null = null;

  constructor(private readonly job: (arg: A) => Promise<R>) {}

  /** The job's answer for `arg`, or null when a newer request took its place before it started. */
  run(arg: A): Promise<R | null> {
    if (!this.running) return this.start(arg);
    this.waiting?.answer(Promise.resolve(null));
    return new Promise((answer) => {
      this.waiting = { arg, answer };
    });
  }

  private start(arg: A): Promise<R> {
    this.running = true;
    // async: a job that throws at once rejects its own promise like one that fails later.
    const result = (async () => this.job(arg))();
    const next = () => {
      this.running = false;
      const waiting = this.waiting;
      this.waiting = null;
      if (waiting) waiting.answer(this.start(waiting.arg));
    };
    result.then(next, next);
    return result;
  }
}
