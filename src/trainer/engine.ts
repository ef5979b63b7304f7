// The trainer engine: owns the data, the backend and the model; handles every TrainerRequest and
// reports through TrainerEvents. The child process (main.ts) and the headless CLI (cli.ts) both
// drive it. Requests that arrive while a run trains are answered between its batches: fastFit
// awaits there, and every read below is enqueued synchronously, so it sees one consistent model.
import * as tf from '@tensorflow/tfjs';
import { errorLine } from '../shared/errors';
import { evaluateProbabilities } from '../shared/evaluation';
import {
  type DataFolder,
  MNIST_CLASSES,
  MNIST_PIXELS,
  describeMnist,
  type MnistData,
  sameDataFolder,
} from '../shared/mnist';
import { loadMnist } from './mnistLoader';
import {
  type BackendChoice,
  type Evaluation,
  type GradientEpoch,
  type Prediction,
  type StepReport,
  type TensorSummary,
  type TrainConfig,
  type TrainerEvent,
  type TrainerRequest,
  assertNever,
  gradientName,
  updateName,
} from '../shared/protocol';
import { summarizeTensor } from '../shared/stats';
import { type UnsureReason, topThree, unsureReason } from '../shared/verdict';
import { looksLikeNoDigit } from '../shared/digitLikeness';
import { digitReference } from './digitReference';
import { type ActiveBackend, selectBackend } from './backend';
import { type BatchMode, type FitData, type InspectedStep, fastFit, fitThreads, toFitData } from './fastFit';
import { resolveWorkers } from './fusedTrainer';
import { loadDigitInputScaled } from './image';
import { findDeadUnits } from './deadUnits';
import { buildModel, createOptimizer, namedWeights, summarizeModel } from './model';
import { ForeignFolderError, loadModel, prepareModelFolder, saveModel } from './persist';
import { requestIdOf, validateTrainConfig } from './requests';

export type EmitEvent = (event: TrainerEvent) => void;

function l2(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

/** Test images per predict call when evaluating: bounds the hidden activations held at once. */
const EVALUATION_BATCH = 1000;

const dataFolderOf = (config: TrainConfig): DataFolder => ({
  dir: config.dataDir,
  followDataLinks: config.followDataLinks,
});

class BusyError extends Error {
  constructor(what: string) {
    super(`busy training: ${what} is not possible until the run ends or is stopped`);
  }
}

/** Keras' validation_split: the last fraction of the (limited) training samples is held out. */
function splitTraining(split: MnistData['train'], config: TrainConfig): { train: FitData; validation: FitData | null } {
  const used = Math.min(config.trainLimit ?? split.count, split.count);
  const trainCount = Math.floor(used * (1 - config.validationSplit));
  if (trainCount < 1)
    throw new Error(`no training samples left: ${used} samples with validationSplit ${config.validationSplit}`);
  const valCount = used - trainCount;
  return {
    train: toFitData(split.images, split.labels, 0, trainCount),
    validation: valCount > 0 ? toFitData(split.images, split.labels, trainCount, valCount) : null,
  };
}

/** Where a run's loss or weights first stopped being finite numbers. */
interface Divergence {
  epoch: number;
  /** From 1, as the progress bar counts. */
  batch: number;
  /** What was found: `loss NaN`, `weight dense/kernel not finite`. */
  what: string;
}

/** What predict and evaluate say about a model whose outputs are not numbers (never `digit -1`). */
async function nonFiniteModelError(model: tf.LayersModel): Promise<Error> {
  const weight = await nonFiniteWeight(model);
  return new Error(
    `the model gives no answer: ${weight === null ? 'its output' : `its weight ${weight}`} holds NaN or infinity (a diverged run); train again with a lower learning rate, or load a saved model`,
  );
}

class DivergedError extends Error {
  constructor({ epoch, batch, what }: Divergence) {
    super(`training diverged at epoch ${epoch}, batch ${batch} (${what}) — try a lower learning rate`);
  }
}

/** The first weight of the model holding a NaN or ±Infinity, or null. */
async function nonFiniteWeight(model: tf.LayersModel): Promise<string | null> {
  const weights = namedWeights(model);
  const finite = tf.tidy(() => tf.stack(weights.map(({ variable }) => tf.all(tf.isFinite(variable.read())))));
  const flags = await finite.data();
  finite.dispose();
  const bad = flags.findIndex((flag) => flag !== 1);
  return bad === -1 ? null : weights[bad].name;
}

export interface TrainerOptions {
  /** Receives every error before it becomes an `error` event (the CLI prints stacks with --verbose). */
  onError?: (error: unknown) => void;
  /** `workers: auto` leaves a core to the editor (default), or takes them all (the CLI has no editor beside it). */
  spareCore?: boolean;
}

export class Trainer {
  private model: tf.LayersModel | null = null;
  private data: { folder: DataFolder; mnist: MnistData } | null = null;
  private backend: { choice: BackendChoice; active: ActiveBackend } | null = null;
  private training = false;
  private stopRequested = false;
  private paused = false;
  /** Resolves the batch a paused run waits at: with `inspect` for a step, `train` to go on. */
  private releasePause: ((mode: BatchMode) => void) | null = null;
  /** The step request the run owes an answer. */
  private pendingStep: number | null = null;
  /** The last step's gradients and updates by inspector name (`gradient/dense/kernel`), kept for getTensor. */
  private stepTensors = new Map<string, tf.Tensor>();
  /** This epoch's gradient health, sent after its weights. */
  private pendingGradients: GradientEpoch | null = null;
  /** The test images as model input, kept for counting dead units each epoch. */
  private testInput: { of: MnistData; images: Float32Array } | null = null;

  constructor(
    private readonly emit: EmitEvent,
    private readonly options: TrainerOptions = {},
  ) {}

  /** Handles one request; never throws: failures become `error` events. Resolves when it is done. */
  async handle(request: TrainerRequest): Promise<void> {
    try {
      switch (request.type) {
        case 'start':
          return await this.train(request.config);
        case 'stop':
        case 'shutdown':
          this.stopRequested = true;
          this.release('train');
          return;
        case 'pause':
          // A pause that arrives after its run ended has nothing to hold.
          if (!this.training || this.paused) return;
          this.paused = true;
          return this.emit({ type: 'paused', paused: true });
        case 'resume':
          if (!this.paused) return;
          this.paused = false;
          this.emit({ type: 'paused', paused: false });
          return this.release('train');
        case 'step':
          return await this.step(request.requestId, request.config);
        case 'evaluate':
          return this.emit({ type: 'evaluation', requestId: request.requestId, evaluation: await this.evaluate() });
        case 'predict':
          return await this.predict(request.requestId, request.file);
        case 'getTensor':
          return await this.sendTensor(request.requestId, request.name);
        case 'save':
          if (this.training) throw new BusyError('saving');
          return this.emit({
            type: 'saved',
            requestId: request.requestId,
            modelDir: await saveModel(this.requireModel(), request.modelDir),
          });
        case 'load':
          return await this.load(request.requestId, request.modelDir);
        default:
          return assertNever(request);
      }
    } catch (error) {
      this.options.onError?.(error);
      const fault = error instanceof ForeignFolderError ? { fault: 'foreignModelFolder' as const } : {};
      this.emit({ type: 'error', requestId: requestIdOf(request), message: errorLine(error), ...fault });
    }
  }

  private async train(rawConfig: TrainConfig): Promise<void> {
    if (this.training) throw new BusyError('starting another run');
    this.training = true;
    this.stopRequested = false;
    this.clearStepTensors();
    try {
      const config = validateTrainConfig(rawConfig);
      // Refuse a model folder that is not ours, or cannot be written, before minutes of training.
      if (config.modelDir !== null) prepareModelFolder(config.modelDir);
      const mnist = this.mnist(dataFolderOf(config));
      const { backend } = await this.useBackend(config.backend);
      const { train, validation } = splitTraining(mnist.train, config);
      this.replaceModel(buildModel(config.hiddenUnits, config.seed));
      const model = this.requireModel() as tf.Sequential;
      this.emit({ type: 'modelSummary', summary: summarizeModel(model) });
      const batchesPerEpoch = Math.ceil(train.count / config.batchSize);
      const optimizer = createOptimizer(config.optimizer, config.learningRate);
      let diverged: Divergence | null = null;
      try {
        // The threads that will train, as fastFit decides them (one on cpu whatever was asked).
        const threads = fitThreads(backend, optimizer, {
          workers: resolveWorkers(config.workers, { backend, spareCore: this.options.spareCore ?? true }),
          batchSize: config.batchSize,
        });
        this.emit({
          type: 'trainStart',
          config,
          threads,
          trainSamples: train.count,
          valSamples: validation?.count ?? 0,
          batchesPerEpoch,
        });
        // A run started by a Step holds before its first batch, which the step then trains.
        if (this.paused) this.emit({ type: 'paused', paused: true });
        const streaming = config.stream === 'all';
        if (streaming) this.emit({ type: 'weights', epoch: 0, tensors: await this.summarizeWeights() });
        const result = await fastFit(
          model,
          optimizer,
          train,
          validation,
          {
            epochs: config.epochs,
            batchSize: config.batchSize,
            seed: config.seed,
            workers: threads,
          },
          {
            onBatches: (points, samplesPerSecond) => {
              const bad = points.find((p) => !Number.isFinite(p.loss));
              if (bad && diverged === null)
                diverged = { epoch: bad.epoch, batch: bad.batch + 1, what: `loss ${bad.loss}` };
              if (streaming) this.emit({ type: 'batches', points, samplesPerSecond });
            },
            onEpochEnd: async (metrics) => {
              // The loss is clipped, so weights can blow up while it stays finite: check them too.
              const weight = diverged === null ? await nonFiniteWeight(model) : null;
              if (weight !== null)
                diverged = { epoch: metrics.epoch, batch: batchesPerEpoch, what: `weight ${weight} not finite` };
              this.emit({ type: 'epoch', metrics });
              if (streaming)
                this.emit({ type: 'weights', epoch: metrics.epoch, tensors: await this.summarizeWeights() });
              const gradients = this.pendingGradients;
              this.pendingGradients = null;
              if (gradients !== null) this.emit({ type: 'gradients', gradients });
            },
            shouldStop: () => this.stopRequested || diverged !== null,
            beforeBatch: () => this.beforeBatch(),
            onStep: (step) => this.reportStep(step),
            onEpochGradients: streaming ? (step) => this.epochGradients(step, dataFolderOf(config)) : undefined,
          },
        );
        // A diverged run is a failure: no trainEnd, no evaluation, no save over the last good model.
        if (diverged !== null) throw new DivergedError(diverged);
        this.emit({
          type: 'trainEnd',
          reason: result.reason,
          epochsCompleted: result.epochsCompleted,
          seconds: result.seconds,
          samplesPerSecond: result.samplesPerSecond,
        });
        if (result.reason !== 'completed') return;
      } finally {
        optimizer.dispose();
      }
      this.emit({ type: 'evaluation', requestId: null, evaluation: await this.evaluate() });
      if (config.modelDir !== null)
        this.emit({ type: 'saved', requestId: null, modelDir: await saveModel(model, config.modelDir) });
    } finally {
      this.training = false;
      this.paused = false;
    }
  }

  /**
   * One batch up close. A paused run trains its next batch; with no run going, a new run starts
   * paused and trains its first. The answer is the `step` event; a run that fails before it answers
   * the step with the error, later failures end the run as any run's do (requestId null).
   */
  private async step(requestId: number, config: TrainConfig): Promise<void> {
    if (this.pendingStep !== null) throw new BusyError('another step');
    if (this.training) {
      if (!this.paused) throw new BusyError('a step (pause the run first)');
      this.pendingStep = requestId;
      return this.release('inspect');
    }
    this.pendingStep = requestId;
    this.paused = true;
    try {
      await this.train(config);
    } catch (error) {
      this.options.onError?.(error);
      this.emit({ type: 'error', requestId: this.pendingStep, message: errorLine(error) });
    } finally {
      if (this.pendingStep !== null)
        this.emit({ type: 'error', requestId: this.pendingStep, message: 'the run ended before its step' });
      this.pendingStep = null;
    }
  }

  private beforeBatch(): BatchMode | Promise<BatchMode> {
    if (!this.paused || this.stopRequested) return 'train';
    if (this.pendingStep !== null) return 'inspect';
    return new Promise((resolve) => (this.releasePause = resolve));
  }

  private release(mode: BatchMode): void {
    const release = this.releasePause;
    this.releasePause = null;
    release?.(mode);
  }

  /** Keeps a step's gradients and updates for getTensor, and answers the step with their summaries. */
  private async reportStep(step: InspectedStep): Promise<void> {
    const weights = namedWeights(this.requireModel());
    const { x, labels, before, after, gradients, updates, updateNorms, weightNorms } = step;
    try {
      const [pixels, labelValues, beforeValues, afterValues, updateNormValues, weightNormValues] = await Promise.all(
        [x, labels, before, after, updateNorms, weightNorms].map((t) => t.data()),
      );
      const [gradientValues, updateValues] = await Promise.all(
        [gradients, updates].map((list) => Promise.all(list.map((t) => t.data() as Promise<Float32Array>))),
      );
      this.clearStepTensors();
      weights.forEach(({ name }, i) => {
        this.stepTensors.set(gradientName(name), gradients[i]);
        this.stepTensors.set(updateName(name), updates[i]);
      });
      const n = labelValues.length;
      const report: StepReport = {
        epoch: step.epoch,
        batch: step.batch,
        step: step.step,
        images: Uint8Array.from(pixels, (v) => Math.round(v * 255)),
        labels: Uint8Array.from(labelValues),
        lossBefore: beforeValues[0] / n,
        lossAfter: afterValues[0] / n,
        accuracyBefore: beforeValues[1] / n,
        accuracyAfter: afterValues[1] / n,
        tensors: weights.map(({ name, variable }, i) => ({
          weight: name,
          gradient: summarizeTensor(gradientName(name), variable.shape as number[], 'float32', gradientValues[i]),
          update: summarizeTensor(updateName(name), variable.shape as number[], 'float32', updateValues[i]),
          relativeUpdate: weightNormValues[i] > 0 ? updateNormValues[i] / weightNormValues[i] : null,
        })),
      };
      const requestId = this.pendingStep ?? 0;
      this.pendingStep = null;
      this.emit({ type: 'step', requestId, report });
    } catch (error) {
      tf.dispose([...gradients, ...updates]);
      throw error;
    } finally {
      tf.dispose([x, labels, before, after, updateNorms, weightNorms]);
    }
  }

  /** An epoch's last batch, looked at closely: gradient summaries and norms, update/weight ratios, dead units. */
  private async epochGradients(step: InspectedStep, folder: DataFolder): Promise<void> {
    const weights = namedWeights(this.requireModel());
    const { gradients, updates, updateNorms, weightNorms } = step;
    try {
      const [gradientValues, updateNormValues, weightNormValues] = await Promise.all([
        Promise.all(gradients.map((g) => g.data() as Promise<Float32Array>)),
        updateNorms.data(),
        weightNorms.data(),
      ]);
      const tensors = weights.map(({ name, variable }, i) =>
        summarizeTensor(gradientName(name), variable.shape as number[], 'float32', gradientValues[i]),
      );
      const { dead, units } = await this.deadUnits(folder);
      this.pendingGradients = {
        epoch: step.epoch,
        tensors,
        layers: weights.map(({ name }, i) => ({
          weight: name,
          gradientNorm: l2(gradientValues[i]),
          updateRatio: weightNormValues[i] > 0 ? updateNormValues[i] / weightNormValues[i] : null,
        })),
        deadUnits: dead,
        hiddenUnits: units,
      };
    } finally {
      tf.dispose([step.x, step.labels, step.before, step.after, ...gradients, ...updates, updateNorms, weightNorms]);
    }
  }

  /** Hidden units whose ReLU output is 0 for every test digit. */
  private async deadUnits(folder: DataFolder): Promise<{ dead: number; units: number }> {
    const [kernel, bias] = namedWeights(this.requireModel()).map(({ variable }) => variable.read()) as [
      tf.Tensor2D,
      tf.Tensor1D,
    ];
    const mnist = this.mnist(folder);
    const test = mnist.test;
    if (this.testInput?.of !== mnist)
      this.testInput = { of: mnist, images: toFitData(test.images, test.labels, 0, test.count).images };
    const dead = await findDeadUnits(this.testInput.images, test.count, kernel, bias);
    return { dead: dead.length, units: kernel.shape[1] };
  }

  private clearStepTensors(): void {
    tf.dispose([...this.stepTensors.values()]);
    this.stepTensors.clear();
  }

  /** Loads MNIST once per folder (the data of the last run also serves evaluate requests). */
  private mnist(folder: DataFolder): MnistData {
    if (this.data === null || !sameDataFolder(this.data.folder, folder)) {
      const mnist = loadMnist(folder.dir, { followDataLinks: folder.followDataLinks });
      this.data = { folder, mnist };
      this.emit({ type: 'dataset', source: mnist.source, tensors: describeMnist(mnist) });
    }
    return this.data.mnist;
  }

  private async useBackend(choice: BackendChoice): Promise<ActiveBackend> {
    if (this.backend?.choice === choice) return this.backend.active;
    const active = await selectBackend(choice);
    this.backend = { choice, active };
    this.emit({ type: 'backend', backend: active.backend, detail: active.detail });
    return active;
  }

  private requireModel(): tf.LayersModel {
    if (this.model === null) throw new Error('no model yet: train one or load a saved model first');
    return this.model;
  }

  private replaceModel(model: tf.LayersModel): void {
    this.clearStepTensors();
    this.model?.dispose();
    this.model = model;
  }

  private async summarizeWeights(): Promise<TensorSummary[]> {
    const weights = namedWeights(this.requireModel());
    // Snapshot first (synchronous), read afterwards: the values belong to one moment of training.
    const snapshots = weights.map(({ variable }) => variable.read().clone());
    try {
      const values = await Promise.all(snapshots.map((t) => t.data() as Promise<Float32Array>));
      return weights.map(({ name, variable }, i) =>
        summarizeTensor(name, variable.shape as number[], 'float32', values[i]),
      );
    } finally {
      tf.dispose(snapshots);
    }
  }

  private async evaluate(): Promise<Evaluation> {
    const model = this.requireModel();
    const test = this.mnist(this.data?.folder ?? { dir: null, followDataLinks: false }).test;
    if (this.backend === null) await this.useBackend('auto');
    const probabilities = tf.tidy(() => {
      const images = tf.tensor2d(toFitData(test.images, test.labels, 0, test.count).images, [test.count, MNIST_PIXELS]);
      const outputs: tf.Tensor[] = [];
      for (let start = 0; start < test.count; start += EVALUATION_BATCH) {
        const size = Math.min(EVALUATION_BATCH, test.count - start);
        outputs.push(model.predict(images.slice([start, 0], [size, MNIST_PIXELS])) as tf.Tensor);
      }
      return tf.concat(outputs);
    });
    try {
      const values = await probabilities.data();
      if (!values.every(Number.isFinite)) throw await nonFiniteModelError(model);
      return evaluateProbabilities(values, test.labels, MNIST_CLASSES);
    } finally {
      probabilities.dispose();
    }
  }

  private async predict(requestId: number, file: string): Promise<void> {
    const model = this.requireModel();
    const reading = await loadDigitInputScaled(file);
    const { input, kind, steps } = reading;
    // A picture of one mark that the model may still read confidently, far from every training digit.
    const reference = reading.doubt === null ? digitReference(this.data?.folder ?? null) : null;
    const doubt: UnsureReason | null =
      reference !== null && looksLikeNoDigit(input, reference) ? { kind: 'notADigit' } : reading.doubt;
    if (this.backend === null) await this.useBackend('auto');
    const layerOutputs = tf.tidy(() => {
      let x: tf.Tensor = tf.tensor2d(input, [1, MNIST_PIXELS]);
      return model.layers.map((layer) => (x = layer.apply(x) as tf.Tensor));
    });
    try {
      const values = await Promise.all(layerOutputs.map((t) => t.data() as Promise<Float32Array>));
      const probabilities = Array.from(values[values.length - 1]);
      if (!probabilities.every(Number.isFinite)) throw await nonFiniteModelError(model);
      const digit = probabilities.indexOf(Math.max(...probabilities));
      const activations = model.layers.map((layer, i) =>
        summarizeTensor(layer.name, layerOutputs[i].shape, 'float32', values[i]),
      );
      const prediction: Prediction = {
        file,
        digit,
        probabilities,
        input,
        top3: topThree(probabilities),
        unsure: unsureReason(probabilities, doubt),
        reading: kind,
        steps,
      };
      this.emit({ type: 'prediction', requestId, prediction, activations });
    } finally {
      tf.dispose(layerOutputs);
    }
  }

  private async sendTensor(requestId: number, name: string): Promise<void> {
    const kept = this.stepTensors.get(name);
    if (kept !== undefined) {
      const values = (await kept.data()) as Float32Array;
      return this.emit({ type: 'tensor', requestId, name, shape: kept.shape, dtype: 'float32', values });
    }
    const weights = namedWeights(this.requireModel());
    const weight = weights.find((w) => w.name === name);
    if (weight === undefined)
      throw new Error(`unknown tensor "${name}": the model has ${weights.map((w) => w.name).join(', ')}`);
    const snapshot = weight.variable.read().clone();
    try {
      const values = (await snapshot.data()) as Float32Array;
      this.emit({ type: 'tensor', requestId, name, shape: snapshot.shape, dtype: 'float32', values });
    } finally {
      snapshot.dispose();
    }
  }

  private async load(requestId: number, modelDir: string): Promise<void> {
    if (this.training) throw new BusyError('loading a model');
    if (this.backend === null) await this.useBackend('auto');
    const model = await loadModel(modelDir);
    const input = model.inputs[0]?.shape;
    const output = model.outputs[0]?.shape;
    if (model.inputs.length !== 1 || input?.[1] !== MNIST_PIXELS || output?.[1] !== MNIST_CLASSES) {
      model.dispose();
      throw new Error(
        `${modelDir}: not an MNIST classifier (expects input [null, ${MNIST_PIXELS}] and output [null, ${MNIST_CLASSES}], got ${JSON.stringify(input)} → ${JSON.stringify(output)})`,
      );
    }
    this.replaceModel(model);
    this.emit({ type: 'loaded', requestId, modelDir, summary: summarizeModel(model) });
  }
}
