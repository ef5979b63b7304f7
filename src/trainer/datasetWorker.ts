// A worker thread the VS Code host starts (dist/datasetWorker.js): it reads MNIST and computes the
// 47 MB of statistics, then stays to search the training digits nearest a test digit for the
// mistake panel, so the host's event loop never waits for either. Protocol: src/shared/datasetWorker.ts.
import { parentPort, workerData } from 'node:worker_threads';
import type { DatasetWorkerAnswer, DatasetWorkerRequest } from '../shared/datasetWorker';
import { nearestImages } from '../shared/mistake';
import { type DataFolder, describeMnist, type MnistSplit } from '../shared/mnist';
import { faultOf } from '../shared/faults';
import { loadMnist } from './mnistLoader';

/** `array` in shared memory: the host and this thread read the same bytes, with no copy each. */
function shared(array: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

function answer(message: DatasetWorkerAnswer, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

const { dir, followDataLinks } = workerData as DataFolder;
let train: MnistSplit | null = null;
try {
  const data = loadMnist(dir, { followDataLinks });
  const summaries = describeMnist(data);
  train = { images: shared(data.train.images), labels: shared(data.train.labels), count: data.train.count };
  // The test files' buffers are moved to the host, not copied (each file has its own buffer).
  const transfer = [...new Set([data.test.images.buffer, data.test.labels.buffer])].filter(
    (b): b is ArrayBuffer => b instanceof ArrayBuffer,
  );
  answer({ type: 'loaded', data: { ...data, train }, summaries }, transfer);
} catch (error) {
  // Nothing to search: the thread ends once this is sent.
  answer({ type: 'error', fault: faultOf(error) });
}

const searched = train;
if (searched !== null) {
  parentPort?.on('message', (request: DatasetWorkerRequest) => {
    switch (request.type) {
      case 'nearest':
        answer({
          type: 'nearest',
          id: request.id,
          neighbours: nearestImages(request.image, searched.images, searched.labels, request.k),
        });
        return;
      default: {
        const never: never = request.type;
        throw new Error(`unknown dataset worker request ${String(never)}`);
      }
    }
  });
}
