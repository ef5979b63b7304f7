// The fused trainer's step, on this thread alone or data-parallel with worker threads: each
// thread (this one is thread 0) computes the gradients of its shard of the batch on its own wasm
// backend into its gradient array in a shared memory; once all are written, each thread sums the
// arrays and runs the fused update over its own slice of the parameters. There is one set of
// parameters, so the weights are identical everywhere by construction. The threads meet at two
// barriers (Atomics counters); this thread waits at them without blocking its event loop, so it
// notices a worker that fails or exits.
//
//   FusedUpdate's wasm memory (shared)               ControlBlock (shared)
//   ┌────────┬────────┬────────┬──────────────────┐  generation, gradientsDone, updatesDone,
//   │ params │ stateA │ stateB │ gradients × T    │  from, count, exit, failed,
//   └────────┴────────┴────────┴──────────────────┘  adamScalars, sums × T
//
//   thread 0      setBatch, adamScalars; generation + 1: the workers wake
//   every thread  the gradients of its rows → its gradient array, its sums; gradientsDone + 1
//   ── barrier 1: gradientsDone = T ──
//   every thread  sums the T gradient arrays over its slice of params, updates it; updatesDone + 1
//   ── barrier 2: updatesDone = T ──
//   thread 0      adds up the T sums: the batch's [loss sum, correct count]
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkersChoice } from '../../shared/trainConfigRules';
import type { BackendName } from '../../shared/protocol';
import { type FitData, BatchStager } from '../fitData';
import type { StepClock } from '../stepClock';
import { type Counter, ControlBlock } from './controlBlock';
import { type DenseLayout, DeviceWeights, shardGradients } from './denseStep';
import type { FusedUpdate } from './fusedUpdate';
import type { FusedBackend, WorkerMessage, WorkerSetup, WorkerStarter } from './workerProtocol';

/** `auto` stops where 128-sample shards stop paying (measured: 2 here). */
const AUTO_MAX_WORKERS = 4;

/** What `auto` depends on besides the setting. */
export interface WorkersContext {
  backend: BackendName;
  /** Leave a core to the editor (the extension's trainer), or take them all (the CLI). */
  spareCore: boolean;
  cores?: number;
}

/**
 * The threads a run uses for a `workers` setting. `auto` on wasm: the cores, less one when an
 * editor shares the machine, at most 4. On native TensorFlow one thread was measured fastest (a
 * second worker's own copies of the weights and gradients cost more than its half batch saves).
 */
export function resolveThreads(
  choice: WorkersChoice,
  { backend, spareCore, cores = availableParallelism() }: WorkersContext,
): number {
  if (choice !== 'auto') return choice;
  if (backend !== 'wasm') return 1;
  return Math.max(1, Math.min(AUTO_MAX_WORKERS, spareCore ? cores - 1 : cores));
}

/** Rows [from, to) of a batch of n that thread `thread` of `threads` trains on. */
export function shardRows(n: number, thread: number, threads: number): [number, number] {
  return [Math.floor((thread * n) / threads), Math.floor(((thread + 1) * n) / threads)];
}

/** Parameters [from, to) that thread `thread` updates (multiples of 4, for the SIMD kernel). */
export function updateSlice(size: number, thread: number, threads: number): [number, number] {
  const quads = size / 4;
  return [4 * Math.floor((thread * quads) / threads), 4 * Math.floor(((thread + 1) * quads) / threads)];
}

/** One thread's part of a step, run by this thread (thread 0) and by every worker. */
export class ThreadShard {
  private readonly stager: BatchStager;
  private readonly weights: DeviceWeights;
  private readonly data: FitData;
  readonly control: ControlBlock;

  constructor(
    private readonly setup: Omit<WorkerSetup, 'share'>,
    readonly update: FusedUpdate,
  ) {
    this.stager = new BatchStager(setup.batchSize);
    this.weights = new DeviceWeights(setup.layout);
    this.data = { images: setup.images, labels: setup.labels, count: setup.labels.length };
    this.control = new ControlBlock(setup.control);
  }

  /** This shard's gradients and [loss sum, correct] for the step the control block describes. */
  gradients(clock?: StepClock): void {
    const { thread, layout, epsilon, order } = this.setup;
    const { from, count: n } = this.control;
    const [lo, hi] = shardRows(n, thread, this.update.threads);
    const gradients = this.update.gradients(thread);
    let sums: [number, number] = [0, 0];
    if (hi > lo) {
      this.weights.load(this.update.params);
      // shardGradients reads its tensors back before returning: nothing of the batch outlives the tidy.
      sums = tf.tidy(() =>
        shardGradients(
          this.stager.tensors(this.data, order, from + lo, hi - lo),
          // The mean over this batch's samples: a short last batch is averaged over its own count.
          n,
          this.weights,
          layout,
          epsilon,
          gradients,
          clock,
        ),
      );
    } else {
      gradients.fill(0);
    }
    this.control.setSums(thread, sums);
  }

  /** Sums all threads' gradients over this thread's slice of the parameters and updates it. */
  applySlice(): void {
    const [from, to] = updateSlice(this.update.size, this.setup.thread, this.update.threads);
    this.update.apply(from, to, this.control.adamScalars);
  }

  dispose(): void {
    this.weights.dispose();
  }

  /** The worker side: serves steps until told to exit. Blocks its thread between steps. */
  serve(): void {
    const { control } = this;
    const threads = this.update.threads;
    // Generation 0 is the state before the first step: the first step may start before this runs.
    let seen = 0;
    for (;;) {
      control.waitWhile('generation', seen);
      seen = control.load('generation');
      if (control.exit) return;
      this.gradients();
      control.arrive('gradientsDone');
      for (let done = control.load('gradientsDone'); done < threads; done = control.load('gradientsDone')) {
        if (control.exit) return;
        control.waitWhile('gradientsDone', done);
      }
      this.applySlice();
      control.arrive('updatesDone');
    }
  }
}

/** Runs dist/gradientWorker.js, which the build puts next to the trainer's and the CLI's bundles. */
const startBundledWorker: WorkerStarter = (workerData) =>
  new Worker(path.join(__dirname, 'gradientWorker.js'), { workerData });

/** Copies an array into shared memory unless it already is there (workers then share, not copy, it). */
function sharedCopy<T extends Float32Array | Uint8Array | Uint32Array>(
  array: T,
  make: (buffer: SharedArrayBuffer) => T,
): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = make(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/** Runs the steps of one fit: this thread plus `threads - 1` workers. */
export class FusedStepper {
  /** The epoch's sample order, shared with the workers. */
  readonly order: Uint32Array;
  private readonly local: ThreadShard;
  private readonly control: ControlBlock;
  private readonly workers: Worker[] = [];
  private failure: string | null = null;
  private exiting = false;

  private constructor(
    readonly update: FusedUpdate,
    private readonly setup: Omit<WorkerSetup, 'share' | 'thread'>,
  ) {
    this.order = setup.order;
    this.local = new ThreadShard({ ...setup, thread: 0 }, update);
    this.control = this.local.control;
  }

  static async start(
    backend: FusedBackend,
    update: FusedUpdate,
    layout: DenseLayout,
    data: FitData,
    batchSize: number,
    epsilon: number,
    startWorker: WorkerStarter = startBundledWorker,
  ): Promise<FusedStepper> {
    const threads = update.threads;
    const setup = {
      backend,
      layout,
      control: ControlBlock.create(threads).buffer,
      images: threads > 1 ? sharedCopy(data.images, (b) => new Float32Array(b)) : data.images,
      labels: threads > 1 ? sharedCopy(data.labels, (b) => new Uint8Array(b)) : data.labels,
      order: threads > 1 ? new Uint32Array(new SharedArrayBuffer(data.count * 4)) : new Uint32Array(data.count),
      batchSize,
      epsilon,
    };
    const stepper = new FusedStepper(update, setup);
    try {
      await Promise.all(Array.from({ length: threads - 1 }, (_, i) => stepper.spawn(i + 1, startWorker)));
    } catch (e) {
      await stepper.dispose();
      throw e;
    }
    return stepper;
  }

  get threads(): number {
    return this.update.threads;
  }

  private spawn(thread: number, startWorker: WorkerStarter): Promise<void> {
    const worker = startWorker({ ...this.setup, thread, share: this.update.share });
    this.workers.push(worker);
    return new Promise((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'ready':
            return resolve();
          case 'failed':
            return this.fail(`gradient worker ${thread} failed: ${message.message}`, reject);
        }
      });
      worker.on('error', (e) => this.fail(`gradient worker ${thread} failed: ${e.message}`, reject));
      worker.on('exit', (code) => {
        if (!this.exiting) this.fail(`gradient worker ${thread} exited (code ${code})`, reject);
      });
    });
  }

  private fail(message: string, reject: (e: Error) => void): void {
    this.failure ??= message;
    reject(new Error(message));
    // Wakes this thread's waits; workers wake too and see the exit flag.
    this.control.markFailed();
    this.control.requestExit();
    this.control.wakeAll();
  }

  /** Trains the batch order[from, from + n) and returns its [loss sum, correct count]. */
  async step(from: number, n: number, clock?: StepClock): Promise<[number, number]> {
    const { control, local } = this;
    control.adamScalars = this.update.nextStepScalars();
    control.setBatch(from, n);
    if (this.workers.length === 0) {
      local.gradients(clock);
      local.applySlice();
      clock?.lap('update');
      return control.sums(0);
    }
    control.reset('gradientsDone');
    control.reset('updatesDone');
    control.arrive('generation');
    local.gradients(clock);
    control.arrive('gradientsDone');
    await this.until('gradientsDone');
    clock?.lap('wait for workers');
    local.applySlice();
    control.arrive('updatesDone');
    await this.until('updatesDone');
    clock?.lap('update');
    let lossSum = 0;
    let correct = 0;
    for (let thread = 0; thread < this.threads; thread++) {
      const sums = control.sums(thread);
      lossSum += sums[0];
      correct += sums[1];
    }
    return [lossSum, correct];
  }

  /** Resolves when every thread has arrived at `counter`; throws when a worker failed. */
  private async until(counter: Counter): Promise<void> {
    const { control } = this;
    for (;;) {
      if (control.failed) throw new Error(this.failure ?? 'a gradient worker failed');
      const done = control.load(counter);
      if (done >= this.threads) return;
      await control.waitForChange(counter, done);
    }
  }

  /** Ends the workers; resolves when their threads are gone. */
  async dispose(): Promise<void> {
    this.exiting = true;
    this.control.requestExit();
    this.control.arrive('generation');
    this.control.wakeAll();
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.local.dispose();
  }
}
