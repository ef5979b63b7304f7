// The folder in the extension's storage where Train saves and the editor finds the model. It is
// `saved-model`; an earlier Tensor Lens saved into `mnist-model`, and an update must not lose that
// model, so while there is no `saved-model` an `mnist-model` holding just what it wrote (model.json
// and weights.bin) stays the folder: the trainer recognises it as ours and marks it on the next save.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const MODEL_FOLDER = 'saved-model';
export const EARLIER_MODEL_FOLDER = 'mnist-model';

export function storageModelFolder(storage: string): string {
  const current = join(storage, MODEL_FOLDER);
  const earlier = join(storage, EARLIER_MODEL_FOLDER);
  if (existsSync(current)) return current;
  let entries: string[];
  try {
    entries = readdirSync(earlier);
  } catch {
    return current;
  }
  return entries.sort().join('/') === 'model.json/weights.bin' ? earlier : current;
}
