// The fused trainer's step, on this thread alone or data-parallel with worker threads: each
// thread (this one is shard 0) computes the gradients of its shard of the batch on its own wasm
// backend into its slot of a shared memory; once all are written, each thread sums the slots and
// runs the fused update over its own slice of the parameters. There is one set of parameters, so
// the weights are identical everywhere by construction. The threads meet at two counters
// (Atomics); this thread waits for them without blocking its event loop, so it notices a worker
// that fails or exits.
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type DenseLayout, DeviceWeights, shardGradients } from './denseStep';
import type { WorkersChoice } from '../../shared/trainConfigRules';
import type { BackendName } from '../../shared/protocol';
import { type FitData, StepStager } from '../fitData';
import type { StepClock } from '../stepClock';
import { FusedUpdate, type FusedUpdateShare } from './fusedUpdate';

/**
 * The backends the fused trainer runs on: wasm (weights written in place) and native TensorFlow
 * (measured there: tfjs' optimizer took 1.76 of 4.44 ms a batch, more than the matMuls).
 */
export type FusedBackend = 'wasm' | 'tensorflow';

export const isFusedBackend = (name: string): name is FusedBackend => name === 'wasm' || name === 'tensorflow';

/** Int32 slots of the control buffer. */
const GENERATION = 0;
const GRADIENTS_DONE = 1;
const UPDATES_DONE = 2;
const FROM = 3;
const COUNT = 4;
const EXIT = 5;
const FAILED = 6;
const CONTROL_INTS = 8;
/** Float32 slots after the ints: Adam's two step scalars, then [loss sum, correct] per thread. */
const SUMS = 2;

/** What a gradient worker receives (shared buffers and arrays are shared, not copied). */
export interface WorkerSetup {
  /** The backend every thread runs: each worker loads its own instance. */
  backend: FusedBackend;
  slot: number;
  share: FusedUpdateShare;
  layout: DenseLayout;
  control: SharedArrayBuffer;
  images: Float32Array;
  labels: Uint8Array;
  order: Uint32Array;
  batchSize: number;
  epsilon: number;
}

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
export function resolveWorkers(
  choice: WorkersChoice,
  { backend, spareCore, cores = availableParallelism() }: WorkersContext,
): number {
  if (choice !== 'auto') return choice;
  if (backend !== 'wasm') return 1;
  return Math.max(1, Math.min(AUTO_MAX_WORKERS, spareCore ? cores - 1 : cores));
}

/** Rows [from, to) of a batch of n that thread `slot` of `slots` trains on. */
export function shardRows(n: number, slot: number, slots: number): [number, number] {
  return [Math.floor((slot * n) / slots), Math.floor(((slot + 1) * n) / slots)];
}

/** Parameters [from, to) that thread `slot` updates (multiples of 4, for the SIMD kernel). */
export function updateSlice(size: number, slot: number, slots: number): [number, number] {
  const quads = size / 4;
  return [4 * Math.floor((slot * quads) / slots), 4 * Math.floor(((slot + 1) * quads) / slots)];
}

/** One thread's part of a step, run by this thread (slot 0) and by every worker. */
export class ShardWorker {
  private readonly stager: StepStager;
  private readonly weights: DeviceWeights;
  private readonly data: FitData;
  readonly ints: Int32Array;
  readonly floats: Float32Array;

  constructor(
    private readonly setup: Omit<WorkerSetup, 'share'>,
    readonly update: FusedUpdate,
  ) {
    this.stager = new StepStager(setup.batchSize);
    this.weights = new DeviceWeights(setup.layout);
    this.data = { images: setup.images, labels: setup.labels, count: setup.labels.length };
    this.ints = new Int32Array(setup.control, 0, CONTROL_INTS);
    this.floats = new Float32Array(setup.control, CONTROL_INTS * 4);
  }

  /** This shard's gradients and [loss sum, correct] for the step the control buffer describes. */
  gradients(clock?: StepClock): void {
    const { slot, layout, epsilon, order } = this.setup;
    const from = this.ints[FROM];
    const n = this.ints[COUNT];
    const [lo, hi] = shardRows(n, slot, this.update.slots);
    const gradients = this.update.gradients(slot);
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
    this.floats[SUMS + 2 * slot] = sums[0];
    this.floats[SUMS + 2 * slot + 1] = sums[1];
  }

  /** Sums all threads' gradients over this thread's slice of the parameters and updates it. */
  applySlice(): void {
    const slots = this.update.slots;
    const [from, to] = updateSlice(this.update.size, this.setup.slot, slots);
    this.update.apply(from, to, slots, [this.floats[0], this.floats[1]]);
  }

  dispose(): void {
    this.weights.dispose();
  }

  /** The worker side: serves steps until told to exit. Blocks its thread between steps. */
  serve(): void {
    const { ints } = this;
    const slots = this.update.slots;
    // Generation 0 is the state before the first step: the first step may start before this runs.
    let seen = 0;
    for (;;) {
      spinWhile(ints, GENERATION, seen);
      Atomics.wait(ints, GENERATION, seen);
      seen = Atomics.load(ints, GENERATION);
      if (Atomics.load(ints, EXIT)) return;
      this.gradients();
      arrive(ints, GRADIENTS_DONE);
      for (let done = Atomics.load(ints, GRADIENTS_DONE); done < slots; done = Atomics.load(ints, GRADIENTS_DONE)) {
        if (Atomics.load(ints, EXIT)) return;
        spinWhile(ints, GRADIENTS_DONE, done);
        Atomics.wait(ints, GRADIENTS_DONE, done);
      }
      this.applySlice();
      arrive(ints, UPDATES_DONE);
    }
  }
}

/**
 * How long a worker spins at a barrier before it blocks. The main thread is usually due within it
 * (the rest of its shard, or its turn of the event loop between steps), and a blocked thread's idle
 * core took 0.05–0.2 ms to wake here, once or twice a step. Measured over the book's run: 2 threads
 * went from ≈ 33,000 to ≈ 35,500 samples/s in the epochs after warm-up.
 */
const SPIN_BEFORE_WAIT_MS = 1;

/** Spins while ints[index] holds `value`, for at most SPIN_BEFORE_WAIT_MS. */
function spinWhile(ints: Int32Array, index: number, value: number): void {
  const start = performance.now();
  while (Atomics.load(ints, index) === value && performance.now() - start < SPIN_BEFORE_WAIT_MS);
}

function arrive(ints: Int32Array, counter: number): void {
  Atomics.add(ints, counter, 1);
  Atomics.notify(ints, counter);
}

/** Node 20 has Atomics.waitAsync; TypeScript's ES2022 lib does not declare it. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(ints: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

/** The module the workers run: gradientWorker.js next to the bundle, or gradientWorker.ts from the sources. */
const WORKER_FILE = path.join(__dirname, `gradientWorker${path.extname(__filename)}`);

/** From the sources (tests, bench), a worker registers tsx first: Node 20's module hooks do not reach workers. */
function startWorker(workerData: WorkerSetup): Worker {
  if (WORKER_FILE.endsWith('.js')) return new Worker(WORKER_FILE, { workerData });
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(WORKER_FILE)});`, { eval: true, workerData });
}

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
  private readonly local: ShardWorker;
  private readonly ints: Int32Array;
  private readonly workers: Worker[] = [];
  private failure: string | null = null;
  private exiting = false;

  private constructor(
    readonly update: FusedUpdate,
    private readonly setup: Omit<WorkerSetup, 'share' | 'slot'>,
  ) {
    this.order = setup.order;
    this.local = new ShardWorker({ ...setup, slot: 0 }, update);
    this.ints = this.local.ints;
  }

  static async start(
    backend: FusedBackend,
    update: FusedUpdate,
    layout: DenseLayout,
    data: FitData,
    batchSize: number,
    epsilon: number,
  ): Promise<FusedStepper> {
    const threads = update.slots;
    const setup = {
      backend,
      layout,
      control: new SharedArrayBuffer(CONTROL_INTS * 4 + (SUMS + 2 * threads) * 4),
      images: threads > 1 ? sharedCopy(data.images, (b) => new Float32Array(b)) : data.images,
      labels: threads > 1 ? sharedCopy(data.labels, (b) => new Uint8Array(b)) : data.labels,
      order: threads > 1 ? new Uint32Array(new SharedArrayBuffer(data.count * 4)) : new Uint32Array(data.count),
      batchSize,
      epsilon,
    };
    const stepper = new FusedStepper(update, setup);
    try {
      await Promise.all(Array.from({ length: threads - 1 }, (_, i) => stepper.spawn(i + 1)));
    } catch (e) {
      await stepper.dispose();
      throw e;
    }
    return stepper;
  }

  get threads(): number {
    return this.update.slots;
  }

  private spawn(slot: number): Promise<void> {
    const workerData: WorkerSetup = { ...this.setup, slot, share: this.update.share };
    const worker = startWorker(workerData);
    this.workers.push(worker);
    return new Promise((resolve, reject) => {
      worker.on('message', (message: { type: 'ready' } | { type: 'failed'; message: string }) => {
        if (message.type === 'ready') resolve();
        else this.fail(`gradient worker ${slot} failed: ${message.message}`, reject);
      });
      worker.on('error', (e) => this.fail(`gradient worker ${slot} failed: ${e.message}`, reject));
      worker.on('exit', (code) => {
        if (!this.exiting) this.fail(`gradient worker ${slot} exited (code ${code})`, reject);
      });
    });
  }

  private fail(message: string, reject: (e: Error) => void): void {
    this.failure ??= message;
    reject(new Error(message));
    // Wakes this thread's waits; workers wake too and see the exit flag.
    Atomics.store(this.ints, FAILED, 1);
    Atomics.store(this.ints, EXIT, 1);
    for (const counter of [GENERATION, GRADIENTS_DONE, UPDATES_DONE]) Atomics.notify(this.ints, counter);
  }

  /** Trains the batch order[from, from + n) and returns its [loss sum, correct count]. */
  async step(from: number, n: number, clock?: StepClock): Promise<[number, number]> {
    const { ints, local } = this;
    const scalars = this.update.nextStepScalars();
    local.floats[0] = scalars[0];
    local.floats[1] = scalars[1];
    ints[FROM] = from;
    ints[COUNT] = n;
    if (this.workers.length === 0) {
      local.gradients(clock);
      local.applySlice();
      clock?.lap('update');
      return [local.floats[SUMS], local.floats[SUMS + 1]];
    }
    Atomics.store(ints, GRADIENTS_DONE, 0);
    Atomics.store(ints, UPDATES_DONE, 0);
    arrive(ints, GENERATION);
    local.gradients(clock);
    arrive(ints, GRADIENTS_DONE);
    await this.until(GRADIENTS_DONE);
    clock?.lap('wait for workers');
    local.applySlice();
    arrive(ints, UPDATES_DONE);
    await this.until(UPDATES_DONE);
    clock?.lap('update');
    let lossSum = 0;
    let correct = 0;
    for (let slot = 0; slot < this.threads; slot++) {
      lossSum += local.floats[SUMS + 2 * slot];
      correct += local.floats[SUMS + 2 * slot + 1];
    }
    return [lossSum, correct];
  }

  private async until(counter: number): Promise<void> {
    for (;;) {
      if (Atomics.load(this.ints, FAILED)) throw new Error(this.failure ?? 'a gradient worker failed');
      const done = Atomics.load(this.ints, counter);
      if (done >= this.threads) return;
      const wait = waitAsync(this.ints, counter, done);
      if (wait.async) await wait.value;
    }
  }

  /** Ends the workers; resolves when their threads are gone. */
  async dispose(): Promise<void> {
    this.exiting = true;
    Atomics.store(this.ints, EXIT, 1);
    arrive(this.ints, GENERATION);
    Atomics.notify(this.ints, GRADIENTS_DONE);
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.local.dispose();
  }
}
