// Picks the tfjs backend: native TensorFlow when @tensorflow/tfjs-node is installed, else the
// wasm backend (SIMD), else the pure-JS cpu backend. A forced choice fails with the reason.
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { BackendChoice, BackendName } from '../shared/protocol';
import { messageOf } from '../shared/errors';

export interface ActiveBackend {
  backend: BackendName;
  /** Human-readable, e.g. "wasm (SIMD, 1 thread)". */
  detail: string;
}

export class BackendUnavailableError extends Error {}

/** The part of tfjs-node's backend read here: its addon reports the version of the TensorFlow C library it runs. */
interface NativeBackend {
  binding: { TF_Version: string };
}

async function tryTensorflow(): Promise<ActiveBackend> {
  // TensorFlow's C library logs a banner on stderr when it loads, which would break the CLI's
  // one-error-line contract; both variables are needed to silence it (an explicit setting wins).
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '3';
  process.env.TF_ENABLE_ONEDNN_OPTS ??= '0';
  try {
    // Optional dependency (its install downloads libtensorflow), often absent: no types to import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    const why = missing
      ? '@tensorflow/tfjs-node is not installed (npm install @tensorflow/tfjs-node; offline: npm run setup:native)'
      : `@tensorflow/tfjs-node failed to load: ${messageOf(e).split('\n')[0]}`;
    throw new BackendUnavailableError(`backend tensorflow is not available: ${why}`);
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new BackendUnavailableError(
      'backend tensorflow is not available: @tensorflow/tfjs-node loaded but did not register',
    );
  }
  const version = (tf.backend() as unknown as NativeBackend).binding.TF_Version;
  return { backend: 'tensorflow', detail: `tensorflow (native TensorFlow ${version})` };
}

async function tryWasm(): Promise<ActiveBackend> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Resolved at run time so it works from the dist/ bundle: the .wasm files ship next to the package's main.
    wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  } catch (e) {
    throw new BackendUnavailableError(`backend wasm is not available: ${messageOf(e)}`);
  }
  let ready = false;
  try {
    ready = await tf.setBackend('wasm');
  } catch (e) {
    throw new BackendUnavailableError(`backend wasm is not available: ${messageOf(e)}`);
  }
  if (!ready)
    throw new BackendUnavailableError('backend wasm is not available: its WebAssembly module did not initialise');
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = wasm.getThreadsCount();
  return {
    backend: 'wasm',
    detail: `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`,
  };
}

async function useCpu(): Promise<ActiveBackend> {
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError('backend cpu is not available');
  return { backend: 'cpu', detail: 'cpu (pure JavaScript)' };
}

const byName: Record<BackendName, () => Promise<ActiveBackend>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: useCpu,
};

/** Activates the chosen backend (or the fastest available for `auto`) and says which one runs. */
export async function selectBackend(choice: BackendChoice): Promise<ActiveBackend> {
  // Prod mode skips debug-only checks and the console banner that would corrupt the CLI's --json output.
  tf.enableProdMode();
  if (choice !== 'auto') {
    const active = await byName[choice]();
    await tf.ready();
    return active;
  }
  for (const name of ['tensorflow', 'wasm'] as const) {
    try {
      const active = await byName[name]();
      await tf.ready();
      return active;
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
    }
  }
  return useCpu();
}
