// What went wrong, as data: a fault is a kind with parameters (`{kind: 'imageNotFound', file}`). The
// trainer throws and sends faults, never sentences; each side words them in its reader's language.
// FAULT_WORDING is the one English table: the CLI and the logs print it, the host looks each English
// template up in l10n/bundle.l10n.<language>.json (its key) and sends the panels the table it got.
// Parameters are named in the template ({file}); the kinds and their parameters are read off the table.
// A {detail} is a fault itself, worded in the same language: a Keras run file's fault nests where the
// reader found it (`runFile` → `runLine` → a record → a key), each level one template.
import { oneLine } from './errors';
import { completedTable, translatedTable } from './stringTable';

export const FAULT_WORDING = {
  // The MNIST folder and its IDX files.
  mnistFolderNotFound: '{file}: MNIST folder not found',
  idxMissing: '{file}: missing (also looked for {gz} and {dotted}[.gz])',
  idxCannotRead: '{file}: cannot be read ({code})',
  idxLinkCannotRead: '{file}: is a link to {target}, which cannot be read ({code})',
  idxLinkOutside:
    '{file}: is a link to {target}, outside the data folder; links out of it are followed only in a trusted workspace',
  idxCannotOpen: '{file}: cannot be opened ({code})',
  idxLinkCannotOpen: '{file}: is a link to {target}, which cannot be opened ({code})',
  idxNotRegular: '{file}: is not a regular file ({what})',
  idxLinkNotRegular: '{file}: is a link to {target}, which is not a regular file ({what})',
  idxFileTooLarge: '{file}: is {bytes} bytes, more than the {max} bytes an IDX file may have',
  idxNotGzip: '{file}: named .gz but is not gzip data (no 1F 8B signature)',
  idxTruncated: '{file}: truncated: header declares {size} data bytes but only {actual} follow',
  idxTrailing: '{file}: {extra} trailing bytes after the {size} data bytes the header declares',
  idxDeclaresTooMuch: '{file}: header declares {size} data bytes, more than the {max} an IDX file may have',
  idxInflatesTooMuch: '{file}: gzip data inflates to more than the {limit} bytes its IDX header declares',
  idxCorruptGzip: '{file}: corrupt gzip data ({reason})',
  idxChanged: '{file}: changed while being read (ended after {done} of {length} bytes)',
  idxTooShort: '{file}: too short for an IDX header ({bytes} bytes, need at least 4)',
  idxBadMagic: '{file}: not an IDX file: bad magic number (first two bytes {first} {second}, expected 0x00 0x00)',
  idxUnsupportedType: '{file}: unsupported IDX data type {type} ({name}); only 0x08 (unsigned byte) is supported',
  idxUnknownType: '{file}: unknown IDX data type {type}; only 0x08 (unsigned byte) is supported',
  idxRankZero: '{file}: IDX rank is 0; expected at least 1 dimension',
  idxTruncatedHeader: '{file}: truncated header: rank {rank} needs {needs} header bytes, file has {bytes}',
  mnistImagesShape: '{file}: expected images N×28×28 (rank 3), found rank {rank} with dims {dims}',
  mnistNoImages: '{file}: holds no images (its header declares {dims}); the {split} set needs at least one',
  mnistLabelsShape: '{file}: expected labels of rank 1, found rank {rank} with dims {dims}',
  mnistLabelCount: '{file}: has {labels} labels but {images} has {count} images',
  mnistLabelRange: '{file}: label {label} at index {index} is out of range 0–9',
  mnistReaderFailed: 'the MNIST reader failed: {reason}',
  mnistReaderExited: 'the MNIST reader stopped with code {code}',

  // Pictures to predict.
  imageNotFound: '{file}: file not found',
  imageNotAFile: '{file}: not a file',
  imageTooLarge: '{file}: file is {mb} MB, above the {max} MB limit for images',
  imageOtherFormat: '{file}: is a {format} image; only PNG and JPEG are supported',
  imageEmpty: '{file}: empty file, not a PNG or JPEG image',
  imageUnknownFormat: '{file}: not a PNG or JPEG image (starts with {head})',
  imageCorrupt: '{file}: corrupt or truncated {format} ({reason})',
  imageWrongLength: '{file}: corrupt or truncated {format} (decoded {bytes} bytes, expected {expected})',
  imageNoPngHeader: '{file}: corrupt or truncated PNG (no IHDR header)',
  imageJpegMarker: '{file}: corrupt JPEG (expected a marker at byte {pos})',
  imageNoJpegFrame: '{file}: corrupt or truncated JPEG (no frame header before the end of the file)',
  imageNoPixels: '{file}: image has no pixels ({width}×{height})',
  imageSideTooLong: '{file}: image is {width}×{height}, a side above the {max}-pixel limit',
  imageAspect:
    '{file}: image is {width}×{height}, an aspect ratio of {aspect}:1, above the {max}:1 limit for a digit picture',
  imageTooManyPixels: '{file}: image is {width}×{height} = {mp} MP, above the {max} MP limit',

  // Model folders: loading (untrusted files) and saving (never over what Tensor Lens did not write).
  modelPathEmpty: 'the model folder path is empty; name a folder',
  modelFolderMissing: '{file}: no such model folder',
  modelJsonMissing: '{file}: missing (not a saved model folder)',
  modelFileMissing: '{file}: missing (named in model.json)',
  modelFileUnreadable: '{file}: cannot read: {reason}',
  modelFileOutside: '{file}: leads outside the model folder (to {target})',
  modelFileNotRegular: '{file}: not a regular file',
  modelFileTooLarge: '{file}: {bytes} bytes, more than the {max} a model file may have',
  modelFileWrongSize: '{file}: {bytes} bytes, but model.json describes {expected}',
  modelFileShort: '{file}: shorter than its size (changed while read)',
  modelJsonCorrupt: '{file}: corrupt JSON: {reason}',
  modelNotLayers: '{file}: not a tfjs layers model (needs modelTopology and weightsManifest)',
  modelNotSequential: '{file}: not a Sequential model (class {className})',
  modelNotBookNetwork: "{file}: not the book's network Dense → Dense (layers: {layers})",
  modelUnits: '{file}: layer {layer}: units must be a positive integer, got {units}',
  modelActivation: '{file}: layer {layer}: unknown activation {activation}',
  modelNoBias: "{file}: layer {layer}: has no bias, the book's network has one",
  modelInputShape: '{file}: input shape must be [null, 784], got {shape}',
  modelHiddenUnits: '{file}: hidden layer has {units} units, more than {max}',
  modelOutputUnits: '{file}: output layer has {units} units, not 10',
  notSoftmax: '{file}: the output layer\'s activation is "{activation}", but the book\'s network ends in softmax',
  modelManifestEntries: '{file}: weightsManifest entries need paths and weights lists',
  modelWeightPath: '{file}: weight path must be a file name, got {path}',
  modelWeightShapes: '{file}: weights must have shapes {expected}, got {got}',
  modelWeightsNotFloat: '{file}: weights must be unquantized float32',
  modelNoWeightFile: '{file}: names no weight file',
  modelWeightsSize: '{file}: weights size mismatch: {bytes} bytes, model.json describes {expected}',
  modelWeightPathAbsolute: '{file}: weight path {path} is absolute; it must be inside the folder',
  modelWeightPathOutside: '{file}: weight path {path} leads outside the model folder',
  modelNotMnist:
    '{file}: not an MNIST classifier (expects input [null, 784] and output [null, 10], got {input} → {output})',
  modelFolderCannotCreate: '{file}: cannot create the model folder: {reason}',
  modelFolderCannotWrite: '{file}: cannot write into the model folder: {reason}',
  modelFolderIsLink: '{file}: is a symbolic link, not a folder; choose a new or empty folder (nothing was changed)',
  modelFolderIsFile: '{file}: is a file, not a folder; choose a new or empty folder (nothing was changed)',
  modelFolderForeign:
    '{file}: holds files that Tensor Lens did not save; choose a new or empty folder (nothing was changed)',
  saveFailed: '{file}: saving failed: {reason}',

  // The run and the requests around it.
  busyStartingRun: 'busy training: starting another run is not possible until the run ends or is stopped',
  busyStepWhileTraining: 'busy training: a step (pause the run first) is not possible until the run ends or is stopped',
  busyAnotherStep: 'busy training: another step is not possible until the run ends or is stopped',
  busyStepWhileStopping: 'busy training: a step (the run is stopping) is not possible until the run ends or is stopped',
  busySaving: 'busy training: saving is not possible until the run ends or is stopped',
  busyLoading: 'busy training: loading a model is not possible until the run ends or is stopped',
  noTrainingSamples: 'no training samples left: {samples} samples with validationSplit {validationSplit}',
  divergedLoss: 'training diverged at epoch {epoch}, batch {batch} (loss {loss}) — try a lower learning rate',
  divergedWeight:
    'training diverged at epoch {epoch}, batch {batch} (weight {weight} not finite) — try a lower learning rate',
  noAnswerOutput:
    'the model gives no answer: its output holds NaN or infinity (a diverged run); train again with a lower learning rate, or load a saved model',
  noAnswerWeight:
    'the model gives no answer: its weight {weight} holds NaN or infinity (a diverged run); train again with a lower learning rate, or load a saved model',
  noModel: 'no model yet: train one or load a saved model first',
  unknownTensor: 'unknown tensor "{name}": the model has {names}',
  runEndedBeforeStep: 'the run ended before its step',

  // The inspector: a slice, a Keras run's weight.
  tensorNoSlices: 'a rank-{rank} tensor has no slices',
  tensorSliceOutOfRange: 'slice {slice} is out of range 0–{last}',
  datasetSliceOutOfRange: '{name}[{index}] is out of range 0–{last}',
  kerasNoWeight: 'the Keras run {run} has no weight "{name}"',
  kerasNoSnapshot: 'the Keras run {run} has no snapshot yet',
  kerasSnapshotNoWeight: 'snapshot {index} of the Keras run {run} has no weight "{name}"',
  kerasRunGone: 'the Keras run {run} is no longer in the workspace',

  // The compute backend.
  tensorflowUnavailable: 'backend tensorflow is not available: {reason}',
  tensorflowNotRegistered: 'backend tensorflow is not available: {name} loaded but did not register',
  wasmUnavailable: 'backend wasm is not available: {reason}',
  wasmNotInitialised: 'backend wasm is not available: its WebAssembly module did not initialise',
  cpuUnavailable: 'backend cpu is not available',

  // The tensorLens.* settings ({value} as JSON).
  settingInteger: 'Setting tensorLens.{key} must be an integer from {min} to {max}, got {value}',
  settingNumber: 'Setting tensorLens.{key} must be a number from {min} to {max}, got {value}',
  settingChoice: 'Setting tensorLens.{key} must be one of {options}, got {value}',
  settingFolder: 'Setting tensorLens.{key} must be a folder path, got {value}',
  settingWorkers: 'Setting tensorLens.{key} must be auto or an integer from 1 to {max}, got {value}',

  // The Node that runs the trainer (the tensorLens.nodePath setting).
  nodePathNotNode: 'tensorLens.nodePath: "{node}" is not a Node executable that runs',
  nodePathTooOld: 'tensorLens.nodePath: "{node}" is Node {major}; the trainer needs Node {min} or newer',

  // The trainer process as the host sees it ({stderr}: its last lines after a colon, or nothing).
  trainerStartTimeout: 'the trainer did not start within {time}{stderr}',
  trainerCouldNotStart: 'could not start the trainer with {node}: {reason}',
  trainerNoHello: 'the trainer spoke before saying hello ({type})',
  trainerProtocol: 'the trainer speaks protocol {theirs}, this extension speaks {ours}: rebuild (npm run build)',
  trainerNoAnswer: 'the trainer did not answer {request} within {time}',
  trainerNotRunning: 'the trainer process is not running',
  trainerExited: 'the trainer process exited with code {code}{stderr}',
  trainerKilled: 'the trainer process was killed by {signal}{stderr}',
  trainerFlood: 'the trainer process sent more than {max} events within {ms} ms (a flood) and was ended{stderr}',
  trainerExitedMidRun: 'the trainer process exited with code {code} before its run ended{stderr}',
  trainerKilledMidRun: 'the trainer process was killed by {signal} before its run ended{stderr}',

  // Keras runs' files (docs/run-format.md), read by src/shared/runFormat and src/shared/node. A fault of
  // a run's file is `runFile` around what is wrong ({detail}: a fault of the kinds below, nested as the
  // reader found it: a line, a record in it, a key of the record).
  runFile: '{file}: {detail}',
  runLine: 'line {line}: {detail}',
  runRecordA: 'a {record} record: {detail}',
  runRecordAn: 'an {record} record: {detail}',
  fileMissing: 'does not exist',
  fileNoPermission: 'may not be read (permission denied)',
  fileLinkLoop: 'is a symbolic link loop',
  fileIsFolder: 'is a folder',
  fileNotFolder: 'is not a folder',
  fileUnreadable: 'could not be read ({code})',
  fileLinkOutside: 'is a link to {target}, outside {root}',
  fileNotRegular: 'is not a regular file',
  fileEndedWhileRead: 'ended at {bytes} bytes while being read',
  runFileReplaced: 'was replaced by another file (an event file is only appended to)',
  runFileShrank: 'shrank from {from} to {to} bytes (an event file is only appended to)',
  runFileTooLarge: "is {bytes} bytes, more than an event file's {max}",
  runLineTooLong: 'line {line} is longer than {max} bytes',
  runLineNotJson: 'not JSON',
  runLineNoType: 'a record without a string "type"',
  runFormatName: 'format {format} is not "{expected}"',
  runFormatVersion: 'format version {version} is not supported (this reader knows version {known})',
  runKeyNotObject: '"{key}" is not an object',
  runKeyNotString: '"{key}" is not a string',
  runKeyNotStringOrNull: '"{key}" is not a string or null',
  runKeyNotNumber: '"{key}" is not a number',
  runKeyNotInteger: '"{key}" is not an integer',
  runKeyNotIntegerFrom: '"{key}" is not an integer ≥ {min}',
  runKeyNotArray: '"{key}" is not an array',
  runKeyNotObjects: '"{key}" is not an array of objects',
  runKeyNotShape: '"{key}" is not a shape (an array of integers ≥ 0)',
  runKeyNotOutputShape: '"{key}" is not a shape',
  runKeyNotOneOf: '"{key}" is not one of {options}',
  runKeyNotNonNegative: '"{key}" is not a number ≥ 0',
  runKeyNotMetric: '"{key}" is not a number, "NaN", "Infinity", "-Infinity" or null',
  runKeyNotNorm: '"{key}" is not a norm (≥ 0)',
  runGradientsTooMany: 'gradients at step {step} name {count} weights; the header has {declared}',
  runGradientsUnknownWeight: 'gradients at step {step} name {name}, not a weight of the header',
  runRecordAfterEndA: 'a {record} record after the end record',
  runRecordAfterEndAn: 'an {record} record after the end record',
  runFirstRecordA: 'the first record is a {record} record, not the header',
  runFirstRecordAn: 'the first record is an {record} record, not the header',
  runSecondHeader: 'a second header record',
  runSnapshotOutOfOrder: 'snapshot {index} where {expected} was due',
  runSnapshotFileName: 'snapshot {index} names the file {named}, not {expected}',
  snapshotWrongSize: 'has {bytes} bytes, its snapshot record says {expected}',
  snapshotWrongIndex: 'its header says snapshot {header}, its record {record}',
  snapshotTooShort: "{bytes} bytes, shorter than a snapshot's {preamble}-byte preamble",
  snapshotWrongMagic: 'not a Tensor Lens snapshot (wrong magic)',
  snapshotHeaderTooLarge: 'a snapshot header of {bytes} bytes (at most {max})',
  snapshotSizesDisagree: 'the preamble says 24 + {header} + {data} bytes, the file has {bytes}',
  snapshotDataUnaligned: 'the data section does not start 8-byte aligned',
  snapshotWeightNotObject: 'a weight entry that is not an object',
  snapshotWeightCount: '{name}: count {count} is not the product of its shape ({elements})',
  snapshotValuesNotFloat32: '{name}: values are not an offset and a length of dtype "float32"',
  snapshotValuesWrongLength: '{name}: values at {offset} of {length} bytes, expected {expected}',
  snapshotValuesPastData: '{name}: values end at {end}, past the {bytes}-byte data section',
  snapshotValuesUnaligned: '{name}: values at an offset not a multiple of 4',
  snapshotHeaderNotJson: 'the snapshot header is not JSON',
  snapshotHeaderNoWeights: 'the snapshot header has no "weights" array',
  snapshotHeaderKey: 'the snapshot header\'s "{key}" is not an integer ≥ {min}',

  // Anything else (an error of tfjs, an invalid request): its own message, as it is.
  other: '{message}',
} as const;

export type FaultKind = keyof typeof FAULT_WORDING;

/** The names of a template's {placeholders}. */
type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** A fault of each kind carries exactly the parameters its template names; {detail} is a fault itself. */
export type Fault = {
  [K in FaultKind]: { kind: K } & {
    [P in Placeholders<(typeof FAULT_WORDING)[K]>]: P extends 'detail' ? Fault : string | number;
  };
}[FaultKind];

export type FaultOf<K extends FaultKind> = Extract<Fault, { kind: K }>;

/** A table of templates, one per kind: FAULT_WORDING or its translation. */
export type FaultWording = Record<FaultKind, string>;

/** Id of the page's JSON data block that carries the table in the panel's language. */
export const FAULTS_ELEMENT_ID = 'tensor-lens-faults';

/** Kinds of a refused save target: the host offers a new subfolder instead. */
export const FOREIGN_FOLDER_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'modelPathEmpty',
  'modelFolderIsLink',
  'modelFolderIsFile',
  'modelFolderForeign',
]);

/** The fault in one line of `wording` (English unless given): every {name} filled from the fault. */
export function describeFault(fault: Fault, wording: FaultWording = FAULT_WORDING): string {
  const template = wording[fault.kind] ?? FAULT_WORDING[fault.kind];
  const values = fault as unknown as Record<string, string | number | Fault | undefined>;
  return oneLine(
    template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = values[name];
      if (name === 'kind' || value === undefined) return whole;
      return typeof value === 'object' ? describeFault(value, wording) : String(value);
    }),
  );
}

/** The table in another language: each English template through `translate` (the host's vscode.l10n.t). */
export function localizeFaults(translate: (english: string) => string): FaultWording {
  return translatedTable<FaultKind>(FAULT_WORDING, (english) => translate(english));
}

/** The English table with every template of `table` that is a string (a panel reads it from its page). */
export function completeFaultWording(table: unknown): FaultWording {
  return completedTable<FaultKind>(FAULT_WORDING, table);
}

/** An error that is a fault: its message is the fault in English (logs, the CLI, `--verbose` stacks). */
export class FaultError extends Error {
  constructor(readonly fault: Fault) {
    super(describeFault(fault));
  }
}

/** The fault of anything thrown: a FaultError's own, else `other` with its message. */
export function faultOf(error: unknown): Fault {
  if (error instanceof FaultError) return error.fault;
  return { kind: 'other', message: oneLine(error instanceof Error ? error.message : String(error)) };
}
