// How the fused trainer's threads scale over the book's whole run, as a user runs it: the shipped
// CLI (`node dist/cli.js train --backend wasm`, the book's 5 epochs × 60,000, everything streamed)
// with 1 thread, with N threads, and N one-thread CLIs started together. The N separate trainers
// share no memory and meet at no barrier: their summed rate over the one-thread rate is the most N
// threads could reach on this machine, measured in the same run and the same machine state.
import { cliTrain } from './cliTrain';
import { type Figure, summarize } from './measure';

/** Epochs from this one on count as after warm-up (measured here: 2–3 epochs of 60,000 to settle). */
const STEADY_FROM_EPOCH = 3;

/** One CLI book run on wasm with `workers` threads: its per-epoch training-loop rates. */
async function cliEpochRates(workers: number): Promise<number[]> {
  const lines = await cliTrain(['--backend', 'wasm', '--workers', String(workers)]);
  return lines.filter((line) => line.event === 'epoch').map((line) => line.samplesPerSecond as number);
}

/** Samples/s over epochs [from, to) of a run whose epochs all have the same samples. */
function rateOver(epochRates: number[], from = 0, to = epochRates.length): number {
  const rates = epochRates.slice(from, to);
  return rates.length / rates.reduce((seconds, rate) => seconds + 1 / rate, 0);
}

export interface ThreadScaling {
  threads: number;
  rates: Record<'alone' | 'threads' | 'separate', Figure>;
  ratios: Record<string, Figure>;
}

export async function compareThreadScaling(threads: number, epochs: number, runs: number): Promise<ThreadScaling> {
  const alone: number[][] = [];
  const threaded: number[][] = [];
  const separate: number[][][] = [];
  for (let i = 0; i < runs; i++) {
    // Rotating the order spreads slow drifts of the machine's load over the three.
    for (const k of [0, 1, 2].map((j) => (j + i) % 3)) {
      if (k === 0) alone.push(await cliEpochRates(1));
      if (k === 1) threaded.push(await cliEpochRates(threads));
      if (k === 2) separate.push(await Promise.all(Array.from({ length: threads }, () => cliEpochRates(1))));
    }
  }
  const steady = STEADY_FROM_EPOCH - 1;
  const summed = (runsTogether: number[][], from?: number) =>
    runsTogether.reduce((sum, rates) => sum + rateOver(rates, from), 0);
  const ratio = (of: (run: number) => number) => summarize(alone.map((_, run) => of(run)));
  return {
    threads,
    rates: {
      alone: summarize(alone.map((r) => rateOver(r))),
      threads: summarize(threaded.map((r) => rateOver(r))),
      separate: summarize(separate.map((r) => summed(r))),
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
