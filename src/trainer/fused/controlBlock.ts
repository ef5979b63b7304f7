// The control block of the fused trainer: the small shared memory in which the threads of one fit
// agree on each step (the diagram at the top of fusedStepper.ts). Int32 fields, read and written
// with Atomics where threads race on them, then float32 ones:
//
//   ints    generation | gradientsDone | updatesDone | from | count | exit | failed
//   floats  adamScalars[2] | sums of thread 0 [loss, correct] | of thread 1 | …
//
// `from`, `count` and `adamScalars` are written by the main thread before it advances `generation`,
// and each thread's `sums` before it arrives at `gradientsDone`: the Atomics write publishes them.
import type { StepScalars } from './fusedUpdate';

/** The counters the threads meet at: a step's start, and the two barriers within it. */
export type Counter = 'generation' | 'gradientsDone' | 'updatesDone';

const INTS = { generation: 0, gradientsDone: 1, updatesDone: 2, from: 3, count: 4, exit: 5, failed: 6 } as const;
const INT_COUNT = 7;
const ADAM_SCALARS = 0;
const SUMS = 2;

/**
 * How long a worker spins at a barrier before it blocks. The main thread is usually due within it
 * (the rest of its shard, or its turn of the event loop between steps), and a blocked thread's idle
 * core took 0.05–0.2 ms to wake here, once or twice a step. Measured over the book's run: 2 threads
 * went from ≈ 33,000 to ≈ 35,500 samples/s in the epochs after warm-up.
 */
const SPIN_BEFORE_WAIT_MS = 1;

/** Node 20 has Atomics.waitAsync; TypeScript's ES2022 lib does not declare it. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(ints: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

export class ControlBlock {
  private readonly ints: Int32Array;
  private readonly floats: Float32Array;

  /** A new block for `threads` threads (all zero: generation 0 is the state before the first step). */
  static create(threads: number): ControlBlock {
    return new ControlBlock(new SharedArrayBuffer(INT_COUNT * 4 + (SUMS + 2 * threads) * 4));
  }

  /** Attaches to a block, `create`d on this thread or another. */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.ints = new Int32Array(buffer, 0, INT_COUNT);
    this.floats = new Float32Array(buffer, INT_COUNT * 4);
  }

  /** The step's batch: samples order[from, from + count). */
  get from(): number {
    return this.ints[INTS.from];
  }

  get count(): number {
    return this.ints[INTS.count];
  }

  setBatch(from: number, count: number): void {
    this.ints[INTS.from] = from;
    this.ints[INTS.count] = count;
  }

  /** Adam's bias-correction scalars of this step (zeros for the other rules). */
  get adamScalars(): StepScalars {
    return [this.floats[ADAM_SCALARS], this.floats[ADAM_SCALARS + 1]];
  }

  set adamScalars([oneMinusAccBeta1, oneMinusAccBeta2]: StepScalars) {
    this.floats[ADAM_SCALARS] = oneMinusAccBeta1;
    this.floats[ADAM_SCALARS + 1] = oneMinusAccBeta2;
  }

  /** Thread `thread`'s [loss sum, correct count] of its shard of the step. */
  sums(thread: number): [number, number] {
    return [this.floats[SUMS + 2 * thread], this.floats[SUMS + 2 * thread + 1]];
  }

  setSums(thread: number, [lossSum, correct]: [number, number]): void {
    this.floats[SUMS + 2 * thread] = lossSum;
    this.floats[SUMS + 2 * thread + 1] = correct;
  }

  load(counter: Counter): number {
    return Atomics.load(this.ints, INTS[counter]);
  }

  reset(counter: Counter): void {
    Atomics.store(this.ints, INTS[counter], 0);
  }

  /** Counts this thread in at `counter` and wakes whoever waits on it. */
  arrive(counter: Counter): void {
    Atomics.add(this.ints, INTS[counter], 1);
    Atomics.notify(this.ints, INTS[counter]);
  }

  /** Blocks this thread (a worker's) while `counter` holds `value`, after spinning up to SPIN_BEFORE_WAIT_MS. */
  waitWhile(counter: Counter, value: number): void {
    const index = INTS[counter];
    const start = performance.now();
    while (Atomics.load(this.ints, index) === value && performance.now() - start < SPIN_BEFORE_WAIT_MS);
    Atomics.wait(this.ints, index, value);
  }

  /** Resolves once `counter` no longer holds `value`, without blocking this thread's event loop (the main thread's). */
  async waitForChange(counter: Counter, value: number): Promise<void> {
    const wait = waitAsync(this.ints, INTS[counter], value);
    if (wait.async) await wait.value;
  }

  wakeAll(): void {
    for (const counter of ['generation', 'gradientsDone', 'updatesDone'] as const)
      Atomics.notify(this.ints, INTS[counter]);
  }

  /** Set when the fit ends or a thread failed: every thread leaves its loop. */
  get exit(): boolean {
    return Atomics.load(this.ints, INTS.exit) !== 0;
  }

  requestExit(): void {
    Atomics.store(this.ints, INTS.exit, 1);
  }

  /** Set when a worker failed or exited early: the main thread stops waiting and throws. */
  get failed(): boolean {
    return Atomics.load(this.ints, INTS.failed) !== 0;
  }

  markFailed(): void {
    Atomics.store(this.ints, INTS.failed, 1);
  }
}
