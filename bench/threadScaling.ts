// How the fused trainer's threads scale over the book's whole run (5 epochs × 60,000), next to
// what this machine gives the same number of trainers that share nothing: one process training
// alone, one process training with N threads, and N one-thread processes started together. Each
// is a fresh process, as a user's run is, so each pays its own warm-up. The N separate trainers
// have no barrier and no shared memory: their summed rate over the alone rate is the most N
// threads could reach here, and it is measured in the same run, on the same machine state.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Figure, summarize } from './measure';

/** Epochs from this one on count as after warm-up (measured here: 2–3 epochs of 60,000 to settle). */
const STEADY_FROM_EPOCH = 3;

interface ProbeResult {
  epochRates: number[];
}

/** Starts `count` probes, waits until all have loaded, starts them together, returns their rates. */
async function runTogether(count: number, workers: number, epochs: number, samples: number): Promise<ProbeResult[]> {
  const children: ChildProcess[] = [];
  const lines = (child: ChildProcess) => createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  try {
    const readers = [];
    for (let i = 0; i < count; i++) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join('bench', 'threadScalingProbe.ts'), String(workers), String(epochs), String(samples)],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      children.push(child);
      readers.push(lines(child));
    }
    for (const reader of readers) {
      const first = await reader.next();
      if (first.value !== 'ready') throw new Error(`probe did not start: ${first.value ?? 'no output'}`);
    }
    for (const child of children) child.stdin!.write('go\n');
    return await Promise.all(
      readers.map(async (reader) => {
        const last = await reader.next();
        const result = JSON.parse(last.value ?? '{}') as ProbeResult & { error?: string };
        if (!Array.isArray(result.epochRates)) throw new Error(`probe failed: ${result.error ?? last.value}`);
        return result;
      }),
    );
  } finally {
    for (const child of children) child.kill();
  }
}

/** Samples/s over epochs [from, to) of a run whose epochs all have `samples` samples. */
function rateOver(epochRates: number[], from = 0, to = epochRates.length): number {
  const rates = epochRates.slice(from, to);
  return rates.length / rates.reduce((seconds, rate) => seconds + 1 / rate, 0);
}

export interface ThreadScaling {
  threads: number;
  epochs: number;
  samples: number;
  rates: Record<'alone' | 'threads' | 'separate', Figure>;
  ratios: Record<string, Figure>;
}

export async function compareThreadScaling(
  threads: number,
  epochs: number,
  samples: number,
  runs: number,
): Promise<ThreadScaling> {
  const alone: number[][] = [];
  const threaded: number[][] = [];
  const separate: number[][][] = [];
  for (let i = 0; i < runs; i++) {
    // Rotating the order spreads slow drifts of the machine's load over the three.
    const order = [0, 1, 2].map((k) => (k + i) % 3);
    for (const k of order) {
      if (k === 0) alone.push((await runTogether(1, 1, epochs, samples))[0].epochRates);
      if (k === 1) threaded.push((await runTogether(1, threads, epochs, samples))[0].epochRates);
      if (k === 2) separate.push((await runTogether(threads, 1, epochs, samples)).map((r) => r.epochRates));
    }
  }
  const steady = STEADY_FROM_EPOCH - 1;
  const summed = (probes: number[][], from?: number, to?: number) =>
    probes.reduce((sum, rates) => sum + rateOver(rates, from, to), 0);
  const ratio = (of: (run: number) => number) => summarize(alone.map((_, run) => of(run)));
  return {
    threads,
    epochs,
    samples,
    rates: {
      alone: summarize(alone.map((r) => rateOver(r))),
      threads: summarize(threaded.map((r) => rateOver(r))),
      separate: summarize(separate.map((probes) => summed(probes))),
    },
    ratios: {
      [`${threads} threads / 1 thread, whole run`]: ratio((run) => rateOver(threaded[run]) / rateOver(alone[run])),
      [`${threads} threads / 1 thread, epoch 1`]: ratio(
        (run) => rateOver(threaded[run], 0, 1) / rateOver(alone[run], 0, 1),
      ),
      [`${threads} threads / 1 thread, epochs ${STEADY_FROM_EPOCH}–${epochs}`]: ratio(
        (run) => rateOver(threaded[run], steady) / rateOver(alone[run], steady),
      ),
      [`${threads} separate trainers / 1 alone, whole run (the machine's ceiling)`]: ratio(
        (run) => summed(separate[run]) / rateOver(alone[run]),
      ),
      [`${threads} separate trainers / 1 alone, epochs ${STEADY_FROM_EPOCH}–${epochs}`]: ratio(
        (run) => summed(separate[run], steady) / rateOver(alone[run], steady),
      ),
      [`${threads} threads / ${threads} separate trainers, whole run`]: ratio(
        (run) => rateOver(threaded[run]) / summed(separate[run]),
      ),
    },
  };
}
