// The training digits that "does it look like a digit?" compares a prediction's input with: the
// training split of the data folder in use, reduced once (src/shared/digitLikeness.ts) and kept
// for the process. Without readable data the check is skipped rather than failing the prediction.
import { type DataFolder, type MnistData, sameDataFolder } from '../shared/mnist';
import { likenessReference } from '../shared/digitLikeness';
import { loadMnist } from './mnistLoader';

/** The bundled MNIST, read only within its own folder. */
const BUNDLED: DataFolder = { dir: null, followDataLinks: false };

let cached: { folder: DataFolder; reference: Uint8Array | null } | null = null;

/**
 * The reduced training digits of `folder` (the bundled MNIST when null), or null when they cannot be
 * read. `loaded` is that folder's data when the caller holds it already (the engine after a run): it
 * is reduced instead of reading the files again.
 */
export function digitReference(folder: DataFolder | null, loaded?: MnistData): Uint8Array | null {
  const wanted = folder ?? BUNDLED;
  if (cached === null || !sameDataFolder(cached.folder, wanted)) {
    let reference: Uint8Array | null = null;
    try {
      const train = (loaded ?? loadMnist(wanted.dir, { followDataLinks: wanted.followDataLinks })).train;
      reference = likenessReference(train.images);
    } catch {
      // Unreadable data: predictions still work, only without this check.
    }
    cached = { folder: wanted, reference };
  }
  return cached.reference;
}
