// A gradient worker of the fused trainer (see fusedTrainer.ts): its own backend instance, attached
// to the shared parameters, gradients and control buffer; serves steps until told to exit.
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../backend';
import { FusedUpdate } from './fusedUpdate';
import { ShardWorker, type WorkerSetup } from './fusedTrainer';

async function main(): Promise<void> {
  const setup = workerData as WorkerSetup;
  await selectBackend(setup.backend);
  const { rule, size, slots, memory } = setup.share;
  const shard = new ShardWorker(setup, new FusedUpdate(rule, size, slots, memory));
  parentPort?.postMessage({ type: 'ready' });
  shard.serve();
}

main().catch((e: unknown) => {
  parentPort?.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
});
