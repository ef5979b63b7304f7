// Picks the tfjs backend: native TensorFlow when @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node is
// installed (the GPU build first, then the one Install Native TensorFlow put in global storage, then
// one in the extension's node_modules), else the wasm backend (SIMD), else the pure-JS cpu backend. A
// forced choice fails with the reason. Reading a model (`inference`) never loads native TensorFlow.
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { BackendChoice, BackendName } from '../shared/protocol';
import { messageOf } from '../shared/errors';
import { FaultError } from '../shared/faults';
import { NATIVE_DIR_ENV } from '../shared/nativeEngine';
import { findInstalledEngine, resolveTfjs } from './installedEngine';

export interface ActiveBackend {
  backend: BackendName;
  /** Human-readable, e.g. "wasm (SIMD)". */
  detail: string;
}

export class BackendUnavailableError extends FaultError {}

/** The part of tfjs-node's backend read here: its addon reports the version of the TensorFlow C library it runs. */
interface NativeBackend {
  binding: { TF_Version: string };
}

type NativeName = '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';

/** A native binding to try: a package name, or the installed engine's folder (`from`). */
interface NativeCandidate {
  name: NativeName;
  /** What `require` is given. */
  specifier: string;
  from: string | null;
}

/** Why the installed engine was passed over, said once per process (the host logs the trainer's stderr). */
let toldIgnored = false;

/** The native bindings in the order they are tried: the GPU build first, the installed engine before the extension's own. */
function nativeCandidates(): NativeCandidate[] {
  const gpu: NativeCandidate = {
    name: '@tensorflow/tfjs-node-gpu',
    specifier: '@tensorflow/tfjs-node-gpu',
    from: null,
  };
  const own: NativeCandidate = { name: '@tensorflow/tfjs-node', specifier: '@tensorflow/tfjs-node', from: null };
  const folder = process.env[NATIVE_DIR_ENV];
  const installed = findInstalledEngine(folder, tf.version.tfjs, resolveTfjs);
  if (installed.kind === 'ignored' && !toldIgnored) {
    toldIgnored = true;
    console.error(installed.why);
  }
  if (installed.kind !== 'usable') return [gpu, own];
  return [gpu, { name: '@tensorflow/tfjs-node', specifier: installed.tfjsNode, from: folder ?? null }, own];
}

/**
 * tfjs-node registers its backend into the tfjs it requires (as `@tensorflow/tfjs` and, in a kernel,
 * `@tensorflow/tfjs-core`). The installed engine reaches the trainer's own through NODE_PATH; a tfjs-node
 * beside another copy (a clone's node_modules, next to dist/'s bundled tfjs) is answered with the
 * trainer's too, so that one tfjs instance holds the backend, the kernels and every tensor.
 */
function shareTrainerTfjs(tfjsNodeMain: string): void {
  const ours = require.cache[require.resolve('@tensorflow/tfjs')];
  if (!ours) return;
  for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-core']) {
    let theirs: string;
    try {
      theirs = require.resolve(name, { paths: [path.dirname(tfjsNodeMain)] });
    } catch {
      continue; // tfjs-node then fails to load, and says which module it misses.
    }
    // Node's documented module cache: an entry added here is what `require` returns for that file.
    if (!require.cache[theirs]) require.cache[theirs] = ours;
  }
}

/** Loads the first installed native binding; null (with why) when none is, or one fails to load. */
function loadNative(): { name: NativeName; from: string | null } | { why: string } {
  for (const { name, specifier, from } of nativeCandidates()) {
    try {
      const main = require.resolve(specifier);
      shareTrainerTfjs(main);
      // Optional packages (their install downloads libtensorflow), often absent: no types to import.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(main);
      return { name, from };
    } catch (e) {
      const absent = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && messageOf(e).includes(specifier);
      if (absent && from === null) continue;
      return { why: `${from ? `${name} in ${from}` : name} failed to load: ${messageOf(e).split('\n')[0]}` };
    }
  }
  return {
    why: '@tensorflow/tfjs-node is not installed (MNIST: Install Native TensorFlow…; from a clone: npm run setup:native)',
  };
}

/** The NVIDIA GPUs nvidia-smi lists (what tfjs-node-gpu's CUDA build can use), or why none shows. */
function gpuNames(): string {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out ? `GPU: ${out.split('\n').join(', ')}` : 'no GPU listed by nvidia-smi: CPU only';
  } catch {
    return 'nvidia-smi not found: CPU only';
  }
}

async function tryTensorflow(): Promise<ActiveBackend> {
  // TensorFlow's C library logs a banner on stderr when it loads, which would break the CLI's
  // one-error-line contract; both variables are needed to silence it (an explicit setting wins).
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '3';
  process.env.TF_ENABLE_ONEDNN_OPTS ??= '0';
  // The book's ops are small (a 128-row batch): spread over TensorFlow's intra-op threads they ran
  // slower than on one (measured on 2 cores: 52-55k vs 44-49k samples/s for the fused trainer).
  process.env.TF_NUM_INTRAOP_THREADS ??= '1';
  const native = loadNative();
  if ('why' in native) throw new BackendUnavailableError({ kind: 'tensorflowUnavailable', reason: native.why });
  if (!(await tf.setBackend('tensorflow')))
    throw new BackendUnavailableError({ kind: 'tensorflowNotRegistered', name: native.name });
  const binding = (tf.backend() as unknown as NativeBackend).binding;
  const version = `native TensorFlow ${binding.TF_Version}${native.from ? `, installed in ${native.from}` : ''}`;
  if (native.name === '@tensorflow/tfjs-node-gpu')
    return { backend: 'tensorflow', detail: `tensorflow (${version}, ${gpuNames()})` };
  return { backend: 'tensorflow', detail: `tensorflow (${version})` };
}

async function tryWasm(): Promise<ActiveBackend> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Resolved at run time so it works from the dist/ bundle: the .wasm files ship next to the package's main.
    wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  } catch (e) {
    throw new BackendUnavailableError({ kind: 'wasmUnavailable', reason: messageOf(e) });
  }
  let ready = false;
  try {
    ready = await tf.setBackend('wasm');
  } catch (e) {
    throw new BackendUnavailableError({ kind: 'wasmUnavailable', reason: messageOf(e) });
  }
  if (!ready) throw new BackendUnavailableError({ kind: 'wasmNotInitialised' });
  // Not tfjs' own thread count: its threaded build cannot start in Node, so it is always 1; the
  // threads that train are the fused trainer's workers (trainStart's `threads`).
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return { backend: 'wasm', detail: `wasm (${simd ? 'SIMD' : 'no SIMD'})` };
}

async function useCpu(): Promise<ActiveBackend> {
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError({ kind: 'cpuUnavailable' });
  return { backend: 'cpu', detail: 'cpu (pure JavaScript)' };
}

const byName: Record<BackendName, () => Promise<ActiveBackend>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: useCpu,
};

/**
 * What a model that is only read (loaded, predicting, evaluated) runs on: wasm, else cpu. One input,
 * or 10,000 test digits, takes milliseconds to a second there, and native TensorFlow's library alone
 * is ≈ 250 MB of resident memory, more than a 12 MP photo's whole prediction may take (≤ 300 MB).
 */
export const INFERENCE = 'inference';

/** Activates the chosen backend (the fastest available for `auto`; no native one for INFERENCE) and says which one runs. */
export async function selectBackend(choice: BackendChoice | typeof INFERENCE): Promise<ActiveBackend> {
  // Prod mode skips debug-only checks and the console banner that would corrupt the CLI's --json output.
  tf.enableProdMode();
  if (choice !== 'auto' && choice !== INFERENCE) {
    const active = await byName[choice]();
    await tf.ready();
    return active;
  }
  const candidates = choice === 'auto' ? (['tensorflow', 'wasm'] as const) : (['wasm'] as const);
  for (const name of candidates) {
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
