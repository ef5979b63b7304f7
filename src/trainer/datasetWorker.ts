// A worker thread the VS Code host starts to read MNIST (dist/datasetWorker.js): the reads and the
// 47 MB of statistics happen here, so the host's event loop never waits for them. Answers once.
import { parentPort, workerData } from 'node:worker_threads';
import { type DataFolder, type DatasetWorkerResult, describeMnist } from '../shared/mnist';
import { loadMnist } from './mnistLoader';

const { dir, followDataLinks } = workerData as DataFolder;
let result: DatasetWorkerResult;
let transfer: ArrayBuffer[] = [];
try {
  const data = loadMnist(dir, { followDataLinks });
  result = { type: 'loaded', data, summaries: describeMnist(data) };
  // Each file has its own buffer: moved to the host, not copied.
  const buffers = [data.train.images, data.train.labels, data.test.images, data.test.labels].map((a) => a.buffer);
  transfer = [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
} catch (error) {
  result = { type: 'error', message: error instanceof Error ? error.message : String(error) };
}
parentPort?.postMessage(result, transfer);
