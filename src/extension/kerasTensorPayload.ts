// A Keras run's weight for the inspector: its values from the newest snapshot that carries them
// (docs/run-format.md §2.4, §3: a `budget` snapshot keeps fewer than a `begin` or `epoch` one), cut
// to the slice the inspector draws (src/shared/tensorSlice.ts). Read like every snapshot: async,
// bounded by the file's own header, each file checked before use. No `vscode`: tested on real runs.
import * as path from 'node:path';
import { FaultError } from '../shared/faults';
import { readSnapshot } from '../shared/node/runFiles';
import type { SnapshotHeader, WeightStatistics } from '../shared/runFormat/snapshot';
import type { RunSummary } from '../shared/runFormat/summary';
import { checkedSlice, sliceValues } from '../shared/tensorSlice';
import type { TensorPayload, TensorRef } from '../shared/webviewProtocol';
import { kerasWeightTensor } from './kerasTensors';

/** Snapshots looked into, newest first, for one that carries a weight's values: `epoch` ones come every epoch. */
export const SNAPSHOTS_SEARCHED = 16;

/** What the payload is made from: a followed run (kerasRuns.ts `KerasRun`). */
export interface KerasRunSnapshots {
  readonly folder: string;
  readonly summary: RunSummary;
  /** The newest snapshot's header when already read, else null. */
  readonly snapshot: SnapshotHeader | null;
}

export async function kerasTensorPayload(
  run: KerasRunSnapshots,
  name: string,
  sliceIndex: number | null,
): Promise<TensorPayload> {
  const runId = path.basename(run.folder);
  const header = run.summary.header;
  const weight = header?.model.weights.find((w) => w.name === name);
  if (!header || !weight) throw new FaultError({ kind: 'kerasNoWeight', run: runId, name });
  const ref = { source: 'keras', runId, name } as const;
  const shown = (stats: WeightStatistics) => {
    const { stats: s, histogram } = kerasWeightTensor(stats);
    return { ref, shape: weight.shape, dtype: weight.dtype, summary: { stats: s, histogram } };
  };
  // A slice the tensor does not have is refused before any file is read.
  const index = checkedSlice(weight.shape, sliceIndex);

  const snapshots = run.summary.snapshots;
  if (snapshots.length === 0) throw new FaultError({ kind: 'kerasNoSnapshot', run: runId });
  const count = weight.shape.reduce((a, b) => a * b, 1);
  if (count > header.snapshots.rawMaxElements) {
    const newest = run.snapshot ?? (await readSnapshot(run.folder, snapshots[snapshots.length - 1])).header;
    return {
      ...shown(statisticsOf(newest, name, runId)),
      sliceIndex: index,
      values: null,
      snapshot: { kind: 'tooLarge', limit: header.snapshots.rawMaxElements },
    };
  }
  let newestRead: SnapshotHeader | null = null;
  for (const event of snapshots.slice(-SNAPSHOTS_SEARCHED).reverse()) {
    const read = await readSnapshot(run.folder, event, new Set([name]));
    newestRead ??= read.header;
    const values = read.values.get(name);
    if (!values) continue;
    return {
      ...shown(statisticsOf(read.header, name, runId)),
      sliceIndex: index,
      values: sliceValues(values, weight.shape, index),
      snapshot: { kind: 'values', index: event.index, epoch: event.epoch, step: event.step, reason: event.reason },
    };
  }
  // Not a floating-point weight, or only snapshots that keep fewer values (`budget`) so far.
  return {
    ...shown(statisticsOf(newestRead as SnapshotHeader, name, runId)),
    sliceIndex: index,
    values: null,
    snapshot: { kind: 'notKept', searched: Math.min(SNAPSHOTS_SEARCHED, snapshots.length) },
  };
}

/**
 * A Keras weight the inspector shows, kept up to date: `refresh` reads it again, keeping its slice,
 * only when the run has a snapshot newer than the newest it had when last read.
 */
export class ShownKerasTensor {
  private constructor(
    readonly ref: Extract<TensorRef, { source: 'keras' }>,
    private sliceIndex: number | null,
    private newest: number,
  ) {}

  /** The payload for `ref` now, and what refreshes it. */
  static async open(
    run: KerasRunSnapshots,
    ref: Extract<TensorRef, { source: 'keras' }>,
    sliceIndex: number | null,
  ): Promise<{ shown: ShownKerasTensor; payload: TensorPayload }> {
    const newest = newestIndex(run);
    const payload = await kerasTensorPayload(run, ref.name, sliceIndex);
    return { shown: new ShownKerasTensor(ref, payload.sliceIndex, newest), payload };
  }

  /** The payload read again from `run` (the same run, looked at later), or null when no newer snapshot came. */
  async refresh(run: KerasRunSnapshots): Promise<TensorPayload | null> {
    const newest = newestIndex(run);
    if (newest <= this.newest) return null;
    this.newest = newest;
    return kerasTensorPayload(run, this.ref.name, this.sliceIndex);
  }
}

const newestIndex = (run: KerasRunSnapshots): number => run.summary.snapshots.at(-1)?.index ?? 0;

function statisticsOf(header: SnapshotHeader, name: string, runId: string): WeightStatistics {
  const stats = header.weights.find((w) => w.name === name);
  if (!stats) throw new FaultError({ kind: 'kerasSnapshotNoWeight', index: header.index, run: runId, name });
  return stats;
}
