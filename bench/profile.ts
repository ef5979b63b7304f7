// `npm run bench -- --profile`: where a training step's time goes, per batch of the book's
// config, for today's path (the tfjs optimizer after every batch) and the fused trainer with one
// thread and with all threads, interleaved. Each phase is timed by laps around it (wasm and
// tfjs-node run every op before returning it, so a lap holds exactly the ops inside it).
import type { StepClock, StepPhase } from '../src/trainer/stepClock';
import type { FitOptions } from '../src/trainer/fastFit';
import type { FitData } from '../src/trainer/fitData';
import { ALL_THREADS, loopRate } from './trainerSpeed';

export type PhaseSplit = Record<string, { msPerBatch: number; share: number }>;

class LapClock implements StepClock {
  readonly totals = new Map<StepPhase, number>();
  private last = performance.now();

  lap(phase: StepPhase): void {
    const now = performance.now();
    this.totals.set(phase, (this.totals.get(phase) ?? 0) + now - this.last);
    this.last = now;
  }
}

/** The per-batch split of `runs` epochs over `data` for each path, summed over the runs. */
export async function profileSteps(data: FitData, runs: number): Promise<Record<string, PhaseSplit>> {
  const paths: { label: string; options: Partial<FitOptions> }[] = [
    { label: 'today (tfjs optimizer)', options: { update: 'optimizer' } },
    { label: 'fused, 1 thread', options: { threads: 1 } },
    { label: `fused, ${ALL_THREADS} threads`, options: { threads: ALL_THREADS } },
  ];
  const clocks = paths.map(() => new LapClock());
  const batches = Math.ceil(data.count / 128) * runs;
  for (let i = 0; i < runs; i++) {
    for (const [k, p] of paths.entries()) {
      const clock = clocks[k];
      await loopRate(data, 1, { ...p.options, clock: { lap: (phase) => clock.lap(phase) } });
    }
  }
  const result: Record<string, PhaseSplit> = {};
  for (const [k, p] of paths.entries()) {
    // 'setup' holds what comes before the first batch (and the time since the previous run).
    const totals = clocks[k].totals;
    totals.delete('setup');
    const sum = [...totals.values()].reduce((a, b) => a + b, 0);
    result[p.label] = Object.fromEntries(
      [...totals.entries()].map(([phase, ms]) => [phase, { msPerBatch: ms / batches, share: ms / sum }]),
    );
  }
  return result;
}
