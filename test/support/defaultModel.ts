// The default 5-epoch model (DEFAULT_TRAIN_CONFIG: all 60,000 samples), trained once and kept in the
// system temp folder under a name derived from the config, so test files that need a real trained
// model share one training (≈ 35–70 s on the wasm backend) instead of each running their own.
import { describeFault } from '../../src/shared/faults';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent } from '../../src/shared/protocol';
import { engineFromSources } from './sourceWorker';

/** The folder of the default model, training it first when no complete copy is cached. */
export async function defaultModelDir(): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(DEFAULT_TRAIN_CONFIG)).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), `tensor-lens-default-model-${key}`);
  if (fs.existsSync(path.join(dir, 'model.json'))) return dir;
  // Train into a private folder, then rename: a test that dies mid-training leaves no half model behind.
  const staging = fs.mkdtempSync(`${dir}.training-`);
  const modelDir = path.join(staging, 'model');
  const errors: string[] = [];
  const trainer = engineFromSources((e: TrainerEvent) => {
    if (e.type === 'error') errors.push(describeFault(e.fault));
  });
  await trainer.handle({ type: 'start', config: { ...DEFAULT_TRAIN_CONFIG, modelDir } });
  if (errors.length > 0) throw new Error(`training the default model failed: ${errors.join('; ')}`);
  try {
    fs.renameSync(modelDir, dir);
  } catch (error) {
    if (!fs.existsSync(path.join(dir, 'model.json'))) throw error; // another test file won the race
  }
  fs.rmSync(staging, { recursive: true, force: true });
  return dir;
}
