// Saves and loads the book's model in the tfjs layers format (model.json + weights.bin), without
// tfjs-node's file:// handler.
//
// Saving never deletes or overwrites anything this tool did not write. A target folder must be
// absent, empty, or one this tool saved into, recognised by the marker in its model.json's own
// metadata (not by file names), or saved by an earlier Tensor Lens before there was a marker: only
// a model.json of the book's network and the weight files it names (the next save marks it).
// Only model.json and weights.bin are ever replaced. Every other name
// the save uses starts with `.tensor-lens-` and lives INSIDE the target folder: a folder that is
// new, empty or ours, so no name of the user's can be taken for one of ours (the old sibling
// `DIR.previous` / `DIR.tmp-*` folders could be any user's folders).
//
// Crash safety: the new files are written and fsynced in a temp folder inside the target; a complete
// copy of the current model is then moved (by one rename) to `.tensor-lens-backup`, the new files
// are renamed over the live ones, and the backup is retired (renamed away, then removed). While the
// backup exists the live files may be half replaced, so loading prefers the backup, and a later
// save keeps an orphaned backup as its own instead of copying the suspect live files: two crashes
// in a row still leave the last complete model.
//
// Loading treats the folder as untrusted: model.json is a bounded regular file, the topology must be
// the book's network (checked here, then rebuilt from our own code rather than handed to tfjs), and
// every weight file must resolve inside the folder, be a regular file and have exactly the size the
// manifest declares, checked before a byte of it is read.
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { messageOf } from '../shared/errors';
import { FaultError } from '../shared/faults';
import { NUMBER_RULES } from '../shared/trainConfigRules';
import { MNIST_CLASSES, MNIST_PIXELS } from '../shared/mnist';
import { type Activation, buildModel } from './model';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
/** Every name the save uses besides the two model files starts with this. */
export const TOOL_PREFIX = '.tensor-lens-';
const BACKUP = `${TOOL_PREFIX}backup`;
const TEMP_PREFIX = `${TOOL_PREFIX}tmp-`;
const PROBE_PREFIX = `${TOOL_PREFIX}probe-`;
/** Written into model.json's userDefinedMetadata: this folder holds a model saved by this tool. */
export const TOOL_MARKER = { tensorLens: { format: 1 } } as const;
/** model.json of the book's network is ~2 KB; anything near this is not one. */
export const MODEL_JSON_MAX_BYTES = 1 << 20;

function writeFileSynced(file: string, data: Uint8Array | string): void {
  const fd = fs.openSync(file, 'wx');
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

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The real path of `file`, which must exist and resolve (symlinks followed) inside `root`. */
function realInside(root: string, file: string): string {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new FaultError({ kind: 'modelFileMissing', file });
    throw new FaultError({ kind: 'modelFileUnreadable', file, reason: messageOf(e) });
  }
  const relative = path.relative(root, real);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative))
    throw new FaultError({ kind: 'modelFileOutside', file, target: real });
  return real;
}

/**
 * Reads a file that must resolve inside `root` (a real path), be a regular file and hold at most
 * `maxBytes` (or exactly `exactBytes`). Opened non-blocking, so a FIFO cannot hang the read, and
 * checked with fstat on that very descriptor before reading.
 */
function readInside(root: string, file: string, size: { max: number } | { exact: number }): Buffer {
  const real = realInside(root, file);
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new FaultError({ kind: 'modelFileUnreadable', file, reason: messageOf(e) });
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new FaultError({ kind: 'modelFileNotRegular', file });
    if ('max' in size && stat.size > size.max)
      throw new FaultError({ kind: 'modelFileTooLarge', file, bytes: stat.size, max: size.max });
    if ('exact' in size && stat.size !== size.exact)
      throw new FaultError({ kind: 'modelFileWrongSize', file, bytes: stat.size, expected: size.exact });
    const data = Buffer.alloc(stat.size);
    let read = 0;
    while (read < data.length) {
      const n = fs.readSync(fd, data, read, data.length - read, read);
      if (n === 0) throw new FaultError({ kind: 'modelFileShort', file });
      read += n;
    }
    return data;
  } finally {
    fs.closeSync(fd);
  }
}

function parseModelJson(file: string, text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FaultError({ kind: 'modelJsonCorrupt', file, reason: messageOf(e) });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new FaultError({ kind: 'modelNotLayers', file });
  return json as Record<string, unknown>;
}

/** The model.json of `dir` if it is a regular file of sane size with our marker; else null. */
function hasToolMarker(dir: string): boolean {
  const file = path.join(dir, MODEL_FILE);
  const stat = lstatOrNull(file);
  if (stat === null || !stat.isFile() || stat.size > MODEL_JSON_MAX_BYTES) return false;
  try {
    const json = parseModelJson(file, readInside(fs.realpathSync(dir), file, { max: MODEL_JSON_MAX_BYTES }).toString());
    const meta = json.userDefinedMetadata as { tensorLens?: { format?: unknown } } | undefined;
    return meta?.tensorLens?.format === TOOL_MARKER.tensorLens.format;
  } catch {
    return false;
  }
}

/**
 * A folder saved by a Tensor Lens from before the marker: it holds nothing but a model.json of the
 * book's network that passes every check of loading and the weight files its manifest names,
 * each directly in the folder (our own `.tensor-lens-` leftovers aside). Anything more, less or
 * different may be the user's, and stays refused.
 */
function isUnmarkedToolFolder(dir: string): boolean {
  let checked: CheckedFolder;
  try {
    checked = checkFolder(dir);
  } catch {
    return false;
  }
  const expected = new Set([MODEL_FILE, ...checked.files.map((f) => path.relative(dir, f.full))]);
  const entries = fs.readdirSync(dir).filter((entry) => !entry.startsWith(TOOL_PREFIX));
  return entries.length === expected.size && entries.every((entry) => expected.has(entry));
}

/**
 * Checks that `dir` may receive a model and can be written: absent (then created), empty, or a
 * folder this tool saved into. Anything else is refused (a fault of FOREIGN_FOLDER_KINDS), before any training.
 * Returns the absolute folder.
 */
export function prepareModelFolder(dir: string): string {
  if (dir.trim() === '') throw new FaultError({ kind: 'modelPathEmpty' });
  const target = path.resolve(dir);
  let stat: fs.Stats | null;
  try {
    stat = lstatOrNull(target);
    if (stat === null) fs.mkdirSync(target, { recursive: true });
  } catch (e) {
    throw new FaultError({ kind: 'modelFolderCannotCreate', file: target, reason: messageOf(e) });
  }
  if (stat?.isSymbolicLink()) throw new FaultError({ kind: 'modelFolderIsLink', file: target });
  if (stat !== null && !stat.isDirectory()) throw new FaultError({ kind: 'modelFolderIsFile', file: target });
  if (stat !== null) {
    // Leftovers of our own (a first save that crashed) do not make an otherwise empty folder foreign.
    const entries = fs.readdirSync(target).filter((entry) => !entry.startsWith(TOOL_PREFIX));
    const ours = hasToolMarker(target) || hasToolMarker(path.join(target, BACKUP)) || isUnmarkedToolFolder(target);
    if (entries.length > 0 && !ours) throw new FaultError({ kind: 'modelFolderForeign', file: target });
  }
  // A probe of our own name proves the folder can be written before minutes of training.
  const probe = path.join(target, `${PROBE_PREFIX}${process.pid}`);
  try {
    writeFileSynced(probe, 'probe');
    fs.rmSync(probe);
  } catch (e) {
    throw new FaultError({ kind: 'modelFolderCannotWrite', file: target, reason: messageOf(e) });
  }
  return target;
}

function modelJsonOf(artifacts: tf.io.ModelArtifacts): tf.io.ModelJSON {
  return {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
    userDefinedMetadata: TOOL_MARKER,
  };
}

async function writeModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.weightData === undefined || artifacts.weightSpecs === undefined)
        throw new Error('the model has no weights to save');
      writeFileSynced(
        path.join(dir, WEIGHTS_FILE),
        new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
      );
      writeFileSynced(path.join(dir, MODEL_FILE), JSON.stringify(modelJsonOf(artifacts)));
      fsyncFolder(dir);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Temp folders and probes of saves that were killed: our names, inside a folder that is ours. */
function removeStaleTemps(target: string): void {
  for (const entry of fs.readdirSync(target))
    if (entry.startsWith(TEMP_PREFIX) || entry.startsWith(PROBE_PREFIX))
      fs.rmSync(path.join(target, entry), { recursive: true, force: true });
}

/** Moves a complete copy of the live model to the backup name in one rename (none if there is no model). */
function backUpLiveModel(target: string): void {
  const live = [MODEL_FILE, WEIGHTS_FILE].map((name) => path.join(target, name));
  if (!live.every((file) => lstatOrNull(file)?.isFile())) return;
  const staging = fs.mkdtempSync(path.join(target, TEMP_PREFIX));
  for (const file of live) {
    const copy = path.join(staging, path.basename(file));
    fs.copyFileSync(file, copy, fs.constants.COPYFILE_EXCL);
    const fd = fs.openSync(copy, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
  fsyncFolder(staging);
  fs.renameSync(staging, path.join(target, BACKUP));
}

/** Saves `model` into `modelDir` (see the top of this file); returns the absolute folder. */
export async function saveModel(model: tf.LayersModel, modelDir: string): Promise<string> {
  const target = prepareModelFolder(modelDir);
  const backup = path.join(target, BACKUP);
  let temp: string | null = null;
  try {
    removeStaleTemps(target);
    temp = fs.mkdtempSync(path.join(target, TEMP_PREFIX));
    await writeModel(model, temp);
    // An orphaned backup is the last model known to be complete: it stays the backup of this save.
    if (lstatOrNull(backup) === null) backUpLiveModel(target);
    fsyncFolder(target);
    fs.renameSync(path.join(temp, WEIGHTS_FILE), path.join(target, WEIGHTS_FILE));
    fs.renameSync(path.join(temp, MODEL_FILE), path.join(target, MODEL_FILE));
    fsyncFolder(target);
    if (lstatOrNull(backup) !== null) {
      const retired = `${temp}-retired`;
      fs.renameSync(backup, retired);
      fsyncFolder(target);
      fs.rmSync(retired, { recursive: true, force: true });
    }
  } catch (e) {
    throw new FaultError({ kind: 'saveFailed', file: target, reason: messageOf(e) });
  } finally {
    if (temp !== null) fs.rmSync(temp, { recursive: true, force: true });
  }
  return target;
}

// ---------------------------------------------------------------- loading

const KNOWN_ACTIVATIONS: readonly Activation[] = [
  'relu',
  'sigmoid',
  'tanh',
  'linear',
  'softmax',
  'elu',
  'selu',
  'softplus',
  'softsign',
];

interface DenseLayer {
  units: number;
  activation: Activation;
}

/**
 * The book's topology, checked field by field: Sequential of Dense(h) on 784 inputs → Dense(10,
 * softmax). Returns the hidden layer, the only one that may differ from the book's.
 */
function hiddenLayer(file: string, json: Record<string, unknown>): DenseLayer {
  const topology = json.modelTopology as { class_name?: unknown; config?: unknown } | undefined;
  if (typeof topology !== 'object' || topology === null || !Array.isArray(json.weightsManifest))
    throw new FaultError({ kind: 'modelNotLayers', file });
  const config = topology.config as { layers?: unknown } | undefined;
  if (
    topology.class_name !== 'Sequential' ||
    typeof config !== 'object' ||
    config === null ||
    !Array.isArray(config.layers)
  )
    throw new FaultError({ kind: 'modelNotSequential', file, className: String(JSON.stringify(topology.class_name)) });
  const layers = config.layers as { class_name?: unknown; config?: Record<string, unknown> }[];
  const classes = layers.map((l) => (typeof l === 'object' && l !== null ? String(l.class_name) : typeof l));
  if (layers.length !== 2 || classes.some((c) => c !== 'Dense'))
    throw new FaultError({ kind: 'modelNotBookNetwork', file, layers: classes.join(' → ') || 'none' });
  const dense = layers.map((layer, i): DenseLayer => {
    const { units, activation, use_bias: useBias } = layer.config ?? {};
    if (typeof units !== 'number' || !Number.isInteger(units) || units < 1)
      throw new FaultError({ kind: 'modelUnits', file, layer: i + 1, units: String(JSON.stringify(units)) });
    const known = KNOWN_ACTIVATIONS.find((a) => a === activation);
    if (known === undefined)
      throw new FaultError({
        kind: 'modelActivation',
        file,
        layer: i + 1,
        activation: String(JSON.stringify(activation)),
      });
    if (useBias === false) throw new FaultError({ kind: 'modelNoBias', file, layer: i + 1 });
    return { units, activation: known };
  });
  const inputShape = layers[0].config?.batch_input_shape;
  if (!Array.isArray(inputShape) || inputShape.length !== 2 || inputShape[1] !== MNIST_PIXELS)
    throw new FaultError({ kind: 'modelInputShape', file, shape: String(JSON.stringify(inputShape)) });
  const { max } = NUMBER_RULES.hiddenUnits;
  if (dense[0].units > max) throw new FaultError({ kind: 'modelHiddenUnits', file, units: dense[0].units, max });
  if (dense[1].units !== MNIST_CLASSES) throw new FaultError({ kind: 'modelOutputUnits', file, units: dense[1].units });
  // Predict and evaluate read the outputs as probabilities: any other activation prints "1050.7 %".
  if (dense[1].activation !== 'softmax')
    throw new FaultError({ kind: 'notSoftmax', file, activation: dense[1].activation });
  return dense[0];
}

/** The weight files in order, after checking the specs are the four float32 tensors of `hidden`. */
function weightFiles(file: string, json: Record<string, unknown>, hidden: number): string[] {
  const groups = json.weightsManifest as { paths?: unknown; weights?: unknown }[];
  const paths: string[] = [];
  const specs: { shape?: unknown; dtype?: unknown; quantization?: unknown }[] = [];
  for (const group of groups) {
    if (typeof group !== 'object' || group === null || !Array.isArray(group.paths) || !Array.isArray(group.weights))
      throw new FaultError({ kind: 'modelManifestEntries', file });
    for (const p of group.paths) {
      if (typeof p !== 'string' || p === '')
        throw new FaultError({ kind: 'modelWeightPath', file, path: String(JSON.stringify(p)) });
      paths.push(p);
    }
    specs.push(...group.weights);
  }
  const expected = [[MNIST_PIXELS, hidden], [hidden], [hidden, MNIST_CLASSES], [MNIST_CLASSES]];
  const got = specs.map((s) => (typeof s === 'object' && s !== null ? JSON.stringify(s.shape) : 'invalid'));
  if (got.join() !== expected.map((s) => JSON.stringify(s)).join())
    throw new FaultError({
      kind: 'modelWeightShapes',
      file,
      expected: expected.map((s) => JSON.stringify(s)).join(', '),
      got: got.join(', '),
    });
  if (specs.some((s) => s.dtype !== 'float32' || s.quantization !== undefined))
    throw new FaultError({ kind: 'modelWeightsNotFloat', file });
  if (paths.length === 0) throw new FaultError({ kind: 'modelNoWeightFile', file });
  return paths;
}

/** A model folder that passed every check but reading its weights: the book's network, sized weight files. */
interface CheckedFolder {
  root: string;
  hidden: DenseLayer;
  /** In manifest order, each resolved inside the folder, a regular file. */
  files: { full: string; size: number }[];
}

/** Checks one model folder as loading does (see the top of this file), without reading a weight byte. */
function checkFolder(dir: string): CheckedFolder {
  const file = path.join(dir, MODEL_FILE);
  const dirStat = lstatOrNull(dir);
  if (dirStat === null) throw new FaultError({ kind: 'modelFolderMissing', file: dir });
  if (lstatOrNull(file) === null) throw new FaultError({ kind: 'modelJsonMissing', file });
  const root = fs.realpathSync(dir);
  const json = parseModelJson(file, readInside(root, file, { max: MODEL_JSON_MAX_BYTES }).toString('utf8'));
  const hidden = hiddenLayer(file, json);
  const relativePaths = weightFiles(file, json, hidden.units);
  const expectedBytes = (MNIST_PIXELS * hidden.units + hidden.units + hidden.units * MNIST_CLASSES + MNIST_CLASSES) * 4;
  // Every file resolved and sized first (a regular file inside the folder), so nothing is read on a bad manifest.
  const files = relativePaths.map((p) => {
    if (path.isAbsolute(p)) throw new FaultError({ kind: 'modelWeightPathAbsolute', file, path: p });
    const full = path.resolve(dir, p);
    const relative = path.relative(dir, full);
    if (relative === '..' || relative.startsWith(`..${path.sep}`))
      throw new FaultError({ kind: 'modelWeightPathOutside', file, path: p });
    const real = realInside(root, full);
    const stat = fs.statSync(real);
    if (!stat.isFile()) throw new FaultError({ kind: 'modelFileNotRegular', file: full });
    return { full, size: stat.size };
  });
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total !== expectedBytes)
    throw new FaultError({
      kind: 'modelWeightsSize',
      file: files.map((f) => f.full).join(', '),
      bytes: total,
      expected: expectedBytes,
    });
  return { root, hidden, files };
}

/** Loads one complete model folder (no backup logic). */
async function loadFolder(dir: string): Promise<tf.LayersModel> {
  const { root, hidden, files } = checkFolder(dir);
  const weights = Buffer.concat(files.map((f) => readInside(root, f.full, { exact: f.size })));
  const values = new Float32Array(weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength));
  const model = buildModel(hidden.units, 0, hidden.activation);
  const shapes = [[MNIST_PIXELS, hidden.units], [hidden.units], [hidden.units, MNIST_CLASSES], [MNIST_CLASSES]];
  let offset = 0;
  const tensors = shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(values.subarray(offset, offset + size), shape, 'float32');
    offset += size;
    return tensor;
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

/**
 * Loads a model folder. A backup inside it means a save did not finish (the live files may be half
 * replaced): the backup, the last complete model, is loaded.
 */
export async function loadModel(modelDir: string): Promise<tf.LayersModel> {
  if (modelDir.trim() === '') throw new FaultError({ kind: 'modelPathEmpty' });
  const requested = path.resolve(modelDir);
  const backup = path.join(requested, BACKUP);
  return loadFolder(lstatOrNull(path.join(backup, MODEL_FILE)) !== null ? backup : requested);
}
