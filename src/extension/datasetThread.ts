// The host's end of one dataset worker (dist/datasetWorker.js, for one data folder): the data it
// read, then nearest-digit searches answered by id. The thread holds the host process open only
// while the host waits for it, and ends with dispose (no thread outlives the extension).
import { Worker } from 'node:worker_threads';
import type { DatasetWorkerAnswer, DatasetWorkerRequest } from '../shared/datasetWorker';
import { type Fault, FaultError, describeFault } from '../shared/faults';
import type { Neighbour } from '../shared/mistake';
import type { DataFolder, MnistData } from '../shared/mnist';
import type { TensorSummary } from '../shared/protocol';
import type { IDisposable } from './dispose';

export class DatasetThread implements IDisposable {
  /** The worker's data and summaries, or its one-line error. */
  readonly loaded: Promise<{ data: MnistData; summaries: TensorSummary[] }>;
  private readonly worker: Worker;
  private readonly searches = new Map<number, { resolve: (n: Neighbour[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private stopped: Error | null = null;
  private closing = false;

  /** `onStop` is called once if the thread ends by itself (a failed read, a crash), not on dispose. */
  constructor(script: string, folder: DataFolder, onStop: () => void) {
    this.worker = new Worker(script, { workerData: folder });
    let settleLoad: {
      resolve: (v: { data: MnistData; summaries: TensorSummary[] }) => void;
      reject: (e: Error) => void;
    };
    this.loaded = new Promise((resolve, reject) => (settleLoad = { resolve, reject }));
    let answeredLoad = false;
    this.worker.on('message', (message: DatasetWorkerAnswer) => {
      switch (message.type) {
        case 'loaded':
          answeredLoad = true;
          settleLoad.resolve({ data: message.data, summaries: message.summaries });
          break;
        case 'error':
          answeredLoad = true;
          settleLoad.reject(new FaultError(message.fault));
          break;
        case 'nearest':
          this.searches.get(message.id)?.resolve(message.neighbours);
          this.searches.delete(message.id);
          break;
        default: {
          const never: never = message;
          throw new Error(`unknown dataset worker answer ${JSON.stringify(never)}`);
        }
      }
      this.holdWhileWaiting();
    });
    const stop = (why: Fault) => {
      if (this.stopped) return;
      // Only a load that never got its answer is shown (the Tensors view's note); the rest is logged.
      this.stopped = this.closing
        ? new Error('the MNIST reader was closed')
        : answeredLoad
          ? new Error(`the MNIST search stopped: ${describeFault(why)}`)
          : new FaultError(why);
      if (!answeredLoad) settleLoad.reject(this.stopped);
      for (const search of this.searches.values()) search.reject(this.stopped);
      this.searches.clear();
      if (!this.closing) onStop();
    };
    this.worker.once('error', (error) => stop({ kind: 'mnistReaderFailed', reason: error.message }));
    this.worker.once('exit', (code) => stop({ kind: 'mnistReaderExited', code }));
  }

  /** The `k` training digits nearest to `image` (784 uint8 pixels), searched on the worker's thread. */
  nearest(image: Uint8Array, k: number): Promise<Neighbour[]> {
    if (this.stopped || this.closing) return Promise.reject(this.stopped ?? new Error('the MNIST reader was closed'));
    const id = this.nextId++;
    const request: DatasetWorkerRequest = { type: 'nearest', id, image, k };
    const answer = new Promise<Neighbour[]>((resolve, reject) => this.searches.set(id, { resolve, reject }));
    this.worker.postMessage(request);
    this.holdWhileWaiting();
    return answer;
  }

  /** Ends the thread; what still waits for it is refused when it has gone. */
  dispose(): void {
    this.closing = true;
    void this.worker.terminate();
  }

  /** An idle worker must not keep the host (or a test) running; one the host waits for must. */
  private holdWhileWaiting(): void {
    if (this.searches.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}
