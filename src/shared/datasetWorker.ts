// What the host and its dataset worker (src/trainer/datasetWorker.ts, run as dist/datasetWorker.js)
// say to each other. The worker reads MNIST once and answers `loaded` (or the fault); then it
// stays and searches the training digits it shares with the host for the ones nearest a digit, so
// neither the 47 MB read nor a 60,000-digit search runs on the host's event loop.
import type { Fault } from './faults';
import type { Neighbour } from './mistake';
import type { MnistData } from './mnist';
import type { TensorSummary } from './protocol';

export type DatasetWorkerRequest =
  /** The `k` training digits nearest to `image` (784 uint8 pixels); answered with the same `id`. */
  { type: 'nearest'; id: number; image: Uint8Array; k: number };

export type DatasetWorkerAnswer =
  /** The training split's arrays are views of SharedArrayBuffers the worker keeps searching. */
  | { type: 'loaded'; data: MnistData; summaries: TensorSummary[] }
  /** Why MNIST could not be read: a fault the host words in the display language. */
  | { type: 'error'; fault: Fault }
  | { type: 'nearest'; id: number; neighbours: Neighbour[] };
