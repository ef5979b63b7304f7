// Ends the trainer child when the process that forked it dies, even while the main thread is stuck
// in a long synchronous tfjs op (then neither 'disconnect' nor a timer of the main thread can run):
// a worker thread notices the parent change (the orphan is re-parented) and kills this process.
import { Worker } from 'node:worker_threads';

const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(workerData.self, 'SIGKILL');
}, workerData.intervalMs);
`;

/** Checks every `intervalMs`; the worker never keeps the process alive by itself. */
export function watchParent(intervalMs = 100): void {
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    workerData: { parent: process.ppid, self: process.pid, intervalMs },
  });
  worker.unref();
}
