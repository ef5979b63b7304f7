// The training digits that "does it look like a digit?" compares a prediction's input with: the
// training split of the data folder in use, reduced once (src/shared/digitLikeness.ts) and kept
// for the process. Without readable data the check is skipped rather than failing the prediction.
import type { DataFolder } from '../shared/mnist';
import { likenessReference } from '../shared/digitLikeness';
import { loadMnist } from './mnistLoader';

let cached: { key: string; reference: Uint8Array | null } | null = null;

/** The reduced training digits of `folder` (the bundled MNIST when null), or null when they cannot be read. */
export function digitReference(folder: DataFolder | null): Uint8Array | null {
  const key = JSON.stringify([folder?.dir ?? null, folder?.followDataLinks ?? false]);
  if (cached?.key !== key) {
    let reference: Uint8Array | null = null;
    try {
      reference = likenessReference(
        loadMnist(folder?.dir ?? null, { followDataLinks: folder?.followDataLinks ?? false }).train.images,
      );
    } catch {
      // Unreadable data: predictions still work, only without this check.
    }
    cached = { key, reference };
  }
  return cached.reference;
}
