// `npm run setup:native`: the native TensorFlow backend in the repo's node_modules (the work itself
// is scripts/nativeEngine.mjs, shared with the extension's Install Native TensorFlow command). Opt-in:
// the default wasm backend never needs it. Re-running it (for example after `npm ci`, which drops
// tfjs-node again) takes seconds: what it downloads or builds is cached outside the repo.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoSite, setupNative, STEP_LABELS } from './nativeEngine.mjs';
import { stopChildrenWhenStopped } from './tensorflowWheel.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

async function step(id, work) {
  const started = performance.now();
  const outcome = await work();
  console.log(`setup:native: ${STEP_LABELS[id]}: ${outcome} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

async function main() {
  const started = performance.now();
  stopChildrenWhenStopped('setup:native');
  await setupNative(repoSite(repo), step);
  console.log(`setup:native: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  // One line even for the unforeseen (a file system error names its path in its message).
  console.error(`setup:native: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  process.exitCode = 1;
});
