// Gradient workers of the fused trainer started from the sources (tests, bench), where there is no
// dist/gradientWorker.js: Node 20's module hooks (tsx) do not reach worker threads, so each worker
// registers tsx first, then runs gradientWorker.ts. Pass it as fastFit's `startWorker`, or make
// the Engine with engineFromSources.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type EmitEvent, Engine, type EngineOptions } from '../../src/trainer/engine';
import type { WorkerStarter } from '../../src/trainer/fused/workerProtocol';

const WORKER_SOURCE = path.join(__dirname, '../../src/trainer/fused/gradientWorker.ts');

export const startWorkerFromSources: WorkerStarter = (workerData) =>
  new Worker(`require('tsx/cjs'); require(${JSON.stringify(WORKER_SOURCE)});`, { eval: true, workerData });

/** An Engine as the trainer process makes it, but whose worker threads run from the sources (unless `options` names a starter). */
export function engineFromSources(emit: EmitEvent, options: EngineOptions = {}): Engine {
  return new Engine(emit, { startWorker: startWorkerFromSources, ...options });
}
