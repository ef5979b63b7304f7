// What a gradient worker of the fused trainer is started with, and what it says back. After
// `ready`, the threads talk only through shared memory: the control block and the arrays of
// FusedUpdate (the diagram at the top of fusedStepper.ts).
import type { Worker } from 'node:worker_threads';
import type { DenseLayout } from './denseStep';
import type { FusedUpdateShare } from './fusedUpdate';

/**
 * The backends the fused trainer runs on: wasm (weights written in place) and native TensorFlow
 * (measured there: tfjs' optimizer took 1.76 of 4.44 ms a batch, more than the matMuls).
 */
export type FusedBackend = 'wasm' | 'tensorflow';

export const isFusedBackend = (name: string): name is FusedBackend => name === 'wasm' || name === 'tensorflow';

/** A gradient worker's `workerData` (shared buffers and arrays are shared, not copied). */
export interface WorkerSetup {
  /** The backend every thread runs: each worker loads its own instance. */
  backend: FusedBackend;
  /** This worker's thread index (the main thread is 0). */
  thread: number;
  share: FusedUpdateShare;
  layout: DenseLayout;
  /** The ControlBlock's memory. */
  control: SharedArrayBuffer;
  images: Float32Array;
  labels: Uint8Array;
  order: Uint32Array;
  batchSize: number;
  epsilon: number;
}

/** What a gradient worker posts to the thread that started it. */
export type WorkerMessage = { type: 'ready' } | { type: 'failed'; message: string };

/**
 * Starts a gradient worker thread. The default runs dist/gradientWorker.js, built next to the
 * bundle; code run from the sources (tests, bench) passes one that loads gradientWorker.ts.
 */
export type WorkerStarter = (setup: WorkerSetup) => Worker;
