// The trainer engine: owns the data, the backend and the model; handles every TrainerRequest and
// reports through TrainerEvents. The child process (main.ts) and the headless CLI (cli.ts) both
// drive it. Requests that arrive while a run trains are answered between its batches: fastFit
// awaits there, and every read below is enqueued synchronously, so it sees one consistent model.
import * as tf from '@tensorflow/tfjs';
import { FaultError, faultOf } from '../shared/faults';
import { ScoreTally, evaluateProbabilities } from '../shared/evaluation';
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
  type TrainMeasurement,
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
import { MIN_INK_SPAN, inputInkSpan, unseenShape } from '../shared/digitShape';
import { digitReference } from './digitReference';
import { type ActiveBackend, INFERENCE, selectBackend } from './backend';
import { type BatchMode, fastFit } from './fastFit';
import { fitThreads } from './steppers';
import { type FitData, toFitData } from './fitData';
import type { InspectedStep } from './inspectStep';
import { resolveThreads } from './fused/fusedStepper';
import type { WorkerStarter } from './fused/workerProtocol';
import { loadDigitInputScaled } from './image';
import { findDeadUnits } from './deadUnits';
import { BusyError, type EnginePhase, IDLE, type PhaseEvent, batchMode, owedStep, transition } from './enginePhase';
import { buildModel, createOptimizer, namedWeights, summarizeModel } from './model';
import { loadModel, prepareModelFolder, saveModel } from './persist';
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

/** Keras' validation_split: the last fraction of the (limited) training samples is held out. */
function splitTraining(split: MnistData['train'], config: TrainConfig): { train: FitData; validation: FitData | null } {
  const used = Math.min(config.trainLimit ?? split.count, split.count);
  const trainCount = Math.floor(used * (1 - config.validationSplit));
  if (trainCount < 1)
    throw new FaultError({ kind: 'noTrainingSamples', samples: used, validationSplit: config.validationSplit });
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
  /** What was found: the loss (NaN, ±Infinity), else the first weight not finite. */
  found: { loss: number } | { weight: string };
}

/** What predict and evaluate say about a model whose outputs are not numbers (never `digit -1`). */
async function nonFiniteModelError(model: tf.LayersModel): Promise<Error> {
  const weight = await nonFiniteWeight(model);
  return new FaultError(weight === null ? { kind: 'noAnswerOutput' } : { kind: 'noAnswerWeight', weight });
}

function divergedError({ epoch, batch, found }: Divergence): FaultError {
  return new FaultError(
    'loss' in found
      ? { kind: 'divergedLoss', epoch, batch, loss: found.loss }
      : { kind: 'divergedWeight', epoch, batch, weight: found.weight },
  );
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

/** One weight of an inspected batch, as readInspected reads it. */
interface InspectedWeight {
  name: string;
  shape: number[];
  gradient: Float32Array;
  gradientSummary: TensorSummary;
  /** ‖Δw‖/‖w‖ of the step; null for a weight that was all zero (a bias at the start). */
  updateRatio: number | null;
}

export interface EngineOptions {
  /** Receives every error before it becomes an `error` event (the CLI prints stacks with --verbose). */
  onError?: (error: unknown) => void;
  /** `workers: auto` leaves a core to the editor (default), or takes them all (the CLI has no editor beside it). */
  spareCore?: boolean;
  /** Starts the fused trainer's worker threads (from the sources: test/support/sourceWorker.ts). */
  startWorker?: WorkerStarter;
}

export class Engine {
  private model: tf.LayersModel | null = null;
  private data: { folder: DataFolder; mnist: MnistData } | null = null;
  /** A model only read (load, predict, evaluate) runs on INFERENCE until a run picks the backend it trains on. */
  private backend: { choice: BackendChoice | typeof INFERENCE; active: ActiveBackend } | null = null;
  private phase: EnginePhase = IDLE;
  /** Lets go of the batch a paused run waits at, with what the phase that ends the pause asks of it. */
  private releaseHeldBatch: ((mode: BatchMode) => void) | null = null;
  /** The last step's gradients and updates by inspector name (`gradient/dense/kernel`), kept for getTensor. */
  private stepTensors = new Map<string, tf.Tensor>();
  /** This epoch's gradient health, sent after its weights. */
  private pendingGradients: GradientEpoch | null = null;
  /** The test images as model input, kept for counting dead units each epoch. */
  private testInput: { of: MnistData; images: Float32Array } | null = null;
  /**
   * The model the last completed run trained, on which data, on how many of its training digits (the
   * first `samples`; the validation split follows them) and for how many epochs: evaluate measures it there.
   */
  private trainedBy: { model: tf.LayersModel; mnist: MnistData; samples: number; epochs: number } | null = null;

  constructor(
    private readonly emit: EmitEvent,
    private readonly options: EngineOptions = {},
  ) {}

  /** Handles one request; never throws: failures become `error` events. Resolves when it is done. */
  async handle(request: TrainerRequest): Promise<void> {
    try {
      switch (request.type) {
        case 'start':
          this.move({ type: 'start' });
          return await this.run(request.config, 'start');
        case 'stop':
        case 'shutdown':
          this.move({ type: 'stop' });
          return;
        case 'pause':
          if (this.move({ type: 'pause' })) this.emit({ type: 'paused', paused: true });
          return;
        case 'resume':
          if (this.move({ type: 'resume' })) this.emit({ type: 'paused', paused: false });
          return;
        case 'step':
          return await this.step(request.requestId, request.config);
        case 'evaluate':
          return this.emit({ type: 'evaluation', requestId: request.requestId, evaluation: await this.evaluate() });
        case 'predict':
          return await this.predict(request.requestId, request.file);
        case 'getTensor':
          return await this.sendTensor(request.requestId, request.name);
        case 'save':
          if (this.phase.name !== 'idle') throw new BusyError('busySaving');
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
      this.fail(error, requestIdOf(request));
    }
  }

  /** A failure as one error event, addressed to the request it answers (null: the run's own). */
  private fail(error: unknown, requestId: number | null): void {
    this.options.onError?.(error);
    this.emit({ type: 'error', requestId, fault: faultOf(error) });
  }

  /**
   * Moves the phase (a refused request throws BusyError); a batch the run holds at is let go when
   * the pause ends. Says whether the phase changed.
   */
  private move(event: PhaseEvent): boolean {
    const before = this.phase;
    this.phase = transition(before, event);
    const mode = batchMode(this.phase);
    if (mode !== 'hold' && this.releaseHeldBatch !== null) {
      const release = this.releaseHeldBatch;
      this.releaseHeldBatch = null;
      release(mode);
    }
    return this.phase !== before;
  }

  /**
   * One run, from the request that started it (its phase is already `training`, or `stepping` for a
   * Step) to its end. A run started by a Step that fails before its trainStart (bad settings, no
   * data) answers that Step with the cause: the host knows no run yet. Once trainStart is out, a
   * failure is the run's (requestId null), which the host needs to stop showing it training. A step
   * still owed when the run ends is told so.
   */
  private async run(config: TrainConfig, startedBy: 'start' | 'step'): Promise<void> {
    const progress = { announced: false };
    let failure: { error: unknown; requestId: number | null } | null = null;
    try {
      await this.train(config, progress);
    } catch (error) {
      failure = { error, requestId: startedBy === 'step' && !progress.announced ? owedStep(this.phase) : null };
    } finally {
      const owed = owedStep(this.phase);
      this.move({ type: 'runEnded' });
      if (owed !== null && owed !== failure?.requestId)
        this.emit({ type: 'error', requestId: owed, fault: { kind: 'runEndedBeforeStep' } });
      // Last, so that the run's cause is what the status shows.
      if (failure !== null) this.fail(failure.error, failure.requestId);
    }
  }

  /** Trains one run; `progress.announced` turns true once trainStart is sent. */
  private async train(rawConfig: TrainConfig, progress: { announced: boolean }): Promise<void> {
    this.clearStepTensors();
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
        threads: resolveThreads(config.workers, { backend, spareCore: this.options.spareCore ?? true }),
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
      progress.announced = true;
      // A run started by a Step holds before its first batch, which the step then trains; a pause
      // that came while the run was being set up is told again (trainStart clears it).
      if (this.phase.name === 'paused' || this.phase.name === 'stepping') this.emit({ type: 'paused', paused: true });
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
          threads,
          startWorker: this.options.startWorker,
        },
        {
          onBatches: (points, samplesPerSecond) => {
            const bad = points.find((p) => !Number.isFinite(p.loss));
            if (bad && diverged === null)
              diverged = { epoch: bad.epoch, batch: bad.batch + 1, found: { loss: bad.loss } };
            if (streaming) this.emit({ type: 'batches', points, samplesPerSecond });
          },
          onEpochEnd: async (metrics) => {
            // The loss is clipped, so weights can blow up while it stays finite: check them too.
            const weight = diverged === null ? await nonFiniteWeight(model) : null;
            if (weight !== null) diverged = { epoch: metrics.epoch, batch: batchesPerEpoch, found: { weight } };
            this.emit({ type: 'epoch', metrics });
            if (streaming) this.emit({ type: 'weights', epoch: metrics.epoch, tensors: await this.summarizeWeights() });
            const gradients = this.pendingGradients;
            this.pendingGradients = null;
            if (gradients !== null) this.emit({ type: 'gradients', gradients });
          },
          shouldStop: () => this.phase.name === 'stopping' || diverged !== null,
          beforeBatch: () => this.beforeBatch(),
          onStep: (step) => this.reportStep(step),
          onEpochGradients: streaming ? (step) => this.epochGradients(step, dataFolderOf(config)) : undefined,
        },
      );
      // A diverged run is a failure: no trainEnd, no evaluation, no save over the last good model.
      if (diverged !== null) throw divergedError(diverged);
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
    // A completed run: every epoch.
    this.trainedBy = { model, mnist, samples: train.count, epochs: config.epochs };
    this.emit({ type: 'evaluation', requestId: null, evaluation: await this.evaluate() });
    if (config.modelDir !== null)
      this.emit({ type: 'saved', requestId: null, modelDir: await saveModel(model, config.modelDir) });
  }

  /**
   * One batch up close. A paused run trains its next batch; with no run going, a new run starts
   * paused and trains its first. The answer is the `step` event, or an error (see run()).
   */
  private async step(requestId: number, config: TrainConfig): Promise<void> {
    const startsRun = this.phase.name === 'idle';
    // A paused run's held batch is let go to train as the step.
    this.move({ type: 'step', requestId });
    if (startsRun) await this.run(config, 'step');
  }

  private beforeBatch(): BatchMode | Promise<BatchMode> {
    const mode = batchMode(this.phase);
    if (mode !== 'hold') return mode;
    return new Promise((resolve) => (this.releaseHeldBatch = resolve));
  }

  /**
   * What a Step's report and an epoch's gradient health both read of an inspected batch, per weight
   * in the model's order: its gradient (values and summary) and ‖Δw‖/‖w‖ (null for a zero weight).
   */
  private async readInspected(step: InspectedStep): Promise<InspectedWeight[]> {
    const weights = namedWeights(this.requireModel());
    const [gradients, updateNorms, weightNorms] = await Promise.all([
      Promise.all(step.gradients.map((g) => g.data() as Promise<Float32Array>)),
      step.updateNorms.data(),
      step.weightNorms.data(),
    ]);
    return weights.map(({ name, variable }, i) => {
      const shape = variable.shape as number[];
      return {
        name,
        shape,
        gradient: gradients[i],
        gradientSummary: summarizeTensor(gradientName(name), shape, 'float32', gradients[i]),
        updateRatio: weightNorms[i] > 0 ? updateNorms[i] / weightNorms[i] : null,
      };
    });
  }

  /** Keeps a step's gradients and updates for getTensor, and answers the step with their summaries. */
  private async reportStep(step: InspectedStep): Promise<void> {
    const { x, labels, before, after, gradients, updates } = step;
    try {
      const [inspected, [pixels, labelValues, beforeValues, afterValues], updateValues] = await Promise.all([
        this.readInspected(step),
        Promise.all([x, labels, before, after].map((t) => t.data())),
        Promise.all(updates.map((t) => t.data() as Promise<Float32Array>)),
      ]);
      this.clearStepTensors();
      inspected.forEach(({ name }, i) => {
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
        tensors: inspected.map(({ name, shape, gradientSummary, updateRatio }, i) => ({
          weight: name,
          gradient: gradientSummary,
          update: summarizeTensor(updateName(name), shape, 'float32', updateValues[i]),
          updateRatio,
        })),
      };
      // Only a Step's batch comes here, and its step is owed until this answer (or the run's end).
      const requestId = owedStep(this.phase);
      this.move({ type: 'stepAnswered' });
      if (requestId !== null) this.emit({ type: 'step', requestId, report });
    } catch (error) {
      tf.dispose([...gradients, ...updates]);
      throw error;
    } finally {
      tf.dispose([x, labels, before, after, step.updateNorms, step.weightNorms]);
    }
  }

  /** An epoch's last batch, looked at closely: gradient summaries and norms, update/weight ratios, dead units. */
  private async epochGradients(step: InspectedStep, folder: DataFolder): Promise<void> {
    try {
      const inspected = await this.readInspected(step);
      const { dead, units } = await this.deadUnits(folder);
      this.pendingGradients = {
        epoch: step.epoch,
        tensors: inspected.map(({ gradientSummary }) => gradientSummary),
        layers: inspected.map(({ name, gradient, updateRatio }) => ({
          weight: name,
          gradientNorm: l2(gradient),
          updateRatio,
        })),
        deadUnits: dead,
        hiddenUnits: units,
      };
    } finally {
      const { x, labels, before, after, gradients, updates, updateNorms, weightNorms } = step;
      tf.dispose([x, labels, before, after, ...gradients, ...updates, updateNorms, weightNorms]);
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

  private async useBackend(choice: BackendChoice | typeof INFERENCE): Promise<ActiveBackend> {
    if (this.backend?.choice === choice) return this.backend.active;
    const active = await selectBackend(choice);
    this.backend = { choice, active };
    this.emit({ type: 'backend', backend: active.backend, detail: active.detail });
    return active;
  }

  /** Reading a model (load, predict, evaluate) runs on INFERENCE until a run picks the backend it trains on. */
  private async useInferenceUntilTrained(): Promise<void> {
    if (this.backend === null) await this.useBackend(INFERENCE);
  }

  private requireModel(): tf.LayersModel {
    if (this.model === null) throw new FaultError({ kind: 'noModel' });
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

  /**
   * The test-set evaluation; for the model a run trained, also that model measured on the run's
   * training digits, as the book compares model.evaluate(train) with model.evaluate(test).
   */
  private async evaluate(): Promise<Evaluation> {
    const model = this.requireModel();
    const mnist = this.mnist(this.data?.folder ?? { dir: null, followDataLinks: false });
    const test = mnist.test;
    await this.useInferenceUntilTrained();
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
      const run = this.trainedBy?.model === model && this.trainedBy.mnist === mnist ? this.trainedBy : null;
      const train = run === null ? null : await this.measure(model, mnist.train, run.samples, run.epochs);
      return evaluateProbabilities(values, test.labels, MNIST_CLASSES, train);
    } finally {
      probabilities.dispose();
    }
  }

  /**
   * Loss and accuracy on the first `count` digits of `split`, a batch at a time: 60,000 training
   * digits as floats (188 MB) or their outputs are never held at once.
   */
  private async measure(
    model: tf.LayersModel,
    split: MnistData['train'],
    count: number,
    epochs: number,
  ): Promise<TrainMeasurement> {
    const tally = new ScoreTally();
    for (let start = 0; start < count; start += EVALUATION_BATCH) {
      const batch = toFitData(split.images, split.labels, start, Math.min(EVALUATION_BATCH, count - start));
      const output = tf.tidy(() => model.predict(tf.tensor2d(batch.images, [batch.count, MNIST_PIXELS])) as tf.Tensor);
      try {
        const values = await output.data();
        if (!values.every(Number.isFinite)) throw await nonFiniteModelError(model);
        tally.add(values, batch.labels, MNIST_CLASSES);
      } finally {
        output.dispose();
      }
    }
    return tally.measurement(epochs);
  }

  private async predict(requestId: number, file: string): Promise<void> {
    const model = this.requireModel();
    const reading = await loadDigitInputScaled(file);
    const { input, kind, steps } = reading;
    // A picture of one mark that the model may still read confidently: its strong strokes small in a
    // box of faint marks, or far from every training digit.
    const span = inputInkSpan(input);
    const inputDoubt: UnsureReason | null =
      reading.doubt ?? (span > 0 && span < MIN_INK_SPAN ? { kind: 'smallInk', span } : null);
    const reference = inputDoubt === null ? digitReference(this.data?.folder ?? null, this.data?.mnist) : null;
    const doubtSoFar: UnsureReason | null =
      reference !== null && looksLikeNoDigit(input, reference) ? { kind: 'notADigit' } : inputDoubt;
    await this.useInferenceUntilTrained();
    const layerOutputs = tf.tidy(() => {
      let x: tf.Tensor = tf.tensor2d(input, [1, MNIST_PIXELS]);
      return model.layers.map((layer) => (x = layer.apply(x) as tf.Tensor));
    });
    try {
      const values = await Promise.all(layerOutputs.map((t) => t.data() as Promise<Float32Array>));
      const probabilities = Array.from(values[values.length - 1]);
      if (!probabilities.every(Number.isFinite)) throw await nonFiniteModelError(model);
      const digit = probabilities.indexOf(Math.max(...probabilities));
      // Near some training digit, but with a shape no training digit of the class it is read as has.
      const shape = doubtSoFar === null ? unseenShape(input, digit) : null;
      const doubt: UnsureReason | null = shape === null ? doubtSoFar : { kind: 'notADigitShape', digit, ...shape };
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
      throw new FaultError({ kind: 'unknownTensor', name, names: weights.map((w) => w.name).join(', ') });
    const snapshot = weight.variable.read().clone();
    try {
      const values = (await snapshot.data()) as Float32Array;
      this.emit({ type: 'tensor', requestId, name, shape: snapshot.shape, dtype: 'float32', values });
    } finally {
      snapshot.dispose();
    }
  }

  private async load(requestId: number, modelDir: string): Promise<void> {
    if (this.phase.name !== 'idle') throw new BusyError('busyLoading');
    await this.useInferenceUntilTrained();
    const model = await loadModel(modelDir);
    const input = model.inputs[0]?.shape;
    const output = model.outputs[0]?.shape;
    if (model.inputs.length !== 1 || input?.[1] !== MNIST_PIXELS || output?.[1] !== MNIST_CLASSES) {
      model.dispose();
      throw new FaultError({
        kind: 'modelNotMnist',
        file: modelDir,
        input: String(JSON.stringify(input)),
        output: String(JSON.stringify(output)),
      });
    }
    this.replaceModel(model);
    this.emit({ type: 'loaded', requestId, modelDir, summary: summarizeModel(model) });
  }
}
