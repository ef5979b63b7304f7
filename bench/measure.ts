// Repeats a measurement and keeps its median, min and max: on a shared 2-core machine single
// timings are noisy, so every figure the benchmark reports is a summary of several runs.

export interface Figure {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function summarize(runs: number[]): Figure {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs };
}

/** Runs `once` `times` times (after `warmup` unrecorded runs) and summarizes what it returns. */
export async function repeat(times: number, once: () => Promise<number> | number, warmup = 0): Promise<Figure> {
  for (let i = 0; i < warmup; i++) await once();
  const runs: number[] = [];
  for (let i = 0; i < times; i++) runs.push(await once());
  return summarize(runs);
}

/** Milliseconds `work` takes. */
export async function timeMs(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}
