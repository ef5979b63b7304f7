// The book's engine as the yardstick: runs bench/keras_reference.py (Keras 3 on TensorFlow, the
// chapter-2 program) in the virtual environment `npm run setup:reference` makes, on the same IDX files.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/setup-reference.mjs puts the environment. */
const VENV = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tensor-lens', 'reference-venv');
const SCRIPT = join(__dirname, 'keras_reference.py');

export type KerasThreads = 'default' | 1;

export interface KerasRun {
  engine: string;
  samplesPerSecond: number;
  fitSeconds: number;
  trainAccuracy: number;
  testAccuracy: number;
  epochs: { epoch: number; seconds: number; samplesPerSecond: number }[];
}

/** The environment's Python, or why there is none (one line). */
export function referencePython(): { python: string } | { missing: string } {
  const python = join(VENV, 'bin', 'python');
  return existsSync(python)
    ? { python }
    : { missing: `no Keras reference environment at ${VENV} (npm run setup:reference makes it)` };
}

/** One run of the book's program: `epochs` over all 60,000 training samples, batch 128. */
export function runKeras(python: string, dataDir: string, threads: KerasThreads, epochs: number): KerasRun {
  const result = spawnSync(
    python,
    [SCRIPT, '--data', dataDir, '--threads', String(threads), '--epochs', String(epochs)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (result.status !== 0) {
    const why = result.error?.message ?? result.stderr.trim().split('\n').pop() ?? `exit ${result.status}`;
    throw new Error(`keras_reference.py failed: ${why}`);
  }
  return JSON.parse(result.stdout) as KerasRun;
}
