// A gradient worker of the fused trainer (see fusedStepper.ts): its own backend instance, attached
// to the shared parameters, gradients and control block; serves steps until told to exit.
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../backend';
import { FusedUpdate } from './fusedUpdate';
import { ThreadShard } from './fusedStepper';
import type { WorkerMessage, WorkerSetup } from './workerProtocol';

const post = (message: WorkerMessage) => parentPort?.postMessage(message);

async function main(): Promise<void> {
  const setup = workerData as WorkerSetup;
  await selectBackend(setup.backend);
  const { rule, size, threads, memory } = setup.share;
  const shard = new ThreadShard(setup, new FusedUpdate(rule, size, threads, memory));
  post({ type: 'ready' });
  shard.serve();
}

main().catch((e: unknown) => {
  post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
});
