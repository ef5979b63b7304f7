// Saves and loads a model in the tfjs layers format (model.json + weights.bin) without tfjs-node's
// file:// handler. Saving is crash-safe: the new model is written and fsynced in a temp folder next
// to the target, then swapped in by renames; the previous model stays until the new one is in place.
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

export class ModelFolderError extends Error {}

/** Where the previous model waits while the new one is renamed into place. */
function previousFolder(modelDir: string): string {
  return `${modelDir}.previous`;
}

function writeFileSynced(file: string, data: Uint8Array | string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes renames and new entries in a folder durable. */
function fsyncFolder(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Temp folders from saves that crashed before their rename. */
function removeStaleTempFolders(modelDir: string): void {
  const parent = path.dirname(modelDir);
  const prefix = `${path.basename(modelDir)}.tmp-`;
  for (const entry of fs.readdirSync(parent)) {
    if (entry.startsWith(prefix)) fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
}

function writeArtifacts(dir: string, artifacts: tf.io.ModelArtifacts): void {
  if (artifacts.weightData === undefined || artifacts.weightSpecs === undefined)
    throw new Error('the model has no weights to save');
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
  };
  writeFileSynced(path.join(dir, WEIGHTS_FILE), weights);
  writeFileSynced(path.join(dir, MODEL_FILE), JSON.stringify(modelJson));
  fsyncFolder(dir);
}

/** Saves `model` to `modelDir` (created if needed) atomically; returns the absolute folder. */
export async function saveModel(model: tf.LayersModel, modelDir: string): Promise<string> {
  const target = path.resolve(modelDir);
  const parent = path.dirname(target);
  try {
    fs.mkdirSync(parent, { recursive: true });
    removeStaleTempFolders(target);
  } catch (e) {
    throw new ModelFolderError(`${target}: cannot prepare the folder: ${(e as Error).message}`);
  }
  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    fs.mkdirSync(temp);
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        writeArtifacts(temp, artifacts);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const previous = previousFolder(target);
    fs.rmSync(previous, { recursive: true, force: true });
    if (fs.existsSync(target)) fs.renameSync(target, previous);
    fs.renameSync(temp, target);
    fsyncFolder(parent);
    fs.rmSync(previous, { recursive: true, force: true });
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw new ModelFolderError(`${target}: saving failed: ${(e as Error).message}`);
  }
  return target;
}

function readModelJson(dir: string): tf.io.ModelJSON {
  const file = path.join(dir, MODEL_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ModelFolderError(
        fs.existsSync(dir) ? `${file}: missing (not a saved model folder)` : `${dir}: no such model folder`,
      );
    }
    throw new ModelFolderError(`${file}: cannot read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFolderError(`${file}: corrupt JSON: ${(e as Error).message}`);
  }
  const candidate = json as Partial<tf.io.ModelJSON> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.modelTopology !== 'object' ||
    !Array.isArray(candidate.weightsManifest)
  ) {
    throw new ModelFolderError(`${file}: not a tfjs layers model (needs modelTopology and weightsManifest)`);
  }
  return candidate as tf.io.ModelJSON;
}

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1 };

function expectedWeightBytes(file: string, specs: tf.io.WeightsManifestEntry[]): number {
  return specs.reduce((total, spec) => {
    const bytes = BYTES_PER_DTYPE[spec.dtype];
    if (bytes === undefined || spec.quantization !== undefined)
      throw new ModelFolderError(`${file}: unsupported weight encoding for ${spec.name}`);
    return total + spec.shape.reduce((n, d) => n * d, 1) * bytes;
  }, 0);
}

/**
 * Loads a model saved by saveModel. If a save crashed between its two renames, the target is gone
 * and the previous model is still complete next to it: that one is loaded.
 */
export async function loadModel(modelDir: string): Promise<tf.LayersModel> {
  const requested = path.resolve(modelDir);
  const previous = previousFolder(requested);
  const dir =
    !fs.existsSync(path.join(requested, MODEL_FILE)) && fs.existsSync(path.join(previous, MODEL_FILE))
      ? previous
      : requested;
  const modelJson = readModelJson(dir);
  const modelFile = path.join(dir, MODEL_FILE);
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const weightFiles = modelJson.weightsManifest.flatMap((group) => group.paths.map((p) => path.join(dir, p)));
  const chunks: Buffer[] = [];
  for (const file of weightFiles) {
    try {
      chunks.push(fs.readFileSync(file));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ModelFolderError(
        code === 'ENOENT'
          ? `${file}: missing (named in ${MODEL_FILE})`
          : `${file}: cannot read: ${(e as Error).message}`,
      );
    }
  }
  const weights = Buffer.concat(chunks);
  const expected = expectedWeightBytes(modelFile, weightSpecs);
  if (weights.length !== expected) {
    throw new ModelFolderError(
      `${weightFiles.join(', ')}: weights size mismatch: ${weights.length} bytes, ${MODEL_FILE} describes ${expected}`,
    );
  }
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }),
    );
  } catch (e) {
    throw new ModelFolderError(`${modelFile}: cannot build the model: ${(e as Error).message}`);
  }
}
