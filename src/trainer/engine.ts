// The trainer engine: owns the data, the backend and the model; handles every TrainerRequest and
// reports through TrainerEvents. The child process (main.ts) and the headless CLI (cli.ts) both
// drive it. Requests that arrive while a run trains are answered between its batches: fastFit
// awaits there, and every read below is enqueued synchronously, so it sees one consistent model.
import * as tf from '@tensorflow/tfjs';
import { evaluateProbabilities } from '../shared/evaluation';
import { describeMnist, loadMnist, type MnistData } from '../shared/mnistFiles';
import {
  type BackendChoice,
  type Evaluation,
  type TensorSummary,
  type TrainConfig,
  type TrainerEvent,
  type TrainerRequest,
  assertNever,
} from '../shared/protocol';
import { summarizeTensor } from '../shared/stats';
import { type ActiveBackend, selectBackend } from './backend';
import { type FitData, fastFit, toFitData } from './fastFit';
import { resolveWorkers } from './fusedTrainer';
import { loadDigitInput } from './image';
import { CLASSES, INPUT_SIZE, buildModel, createOptimizer, namedWeights, summarizeModel } from './model';
import { loadModel, saveModel } from './persist';
import { requestIdOf, validateTrainConfig } from './requests';

export type EmitEvent = (event: TrainerEvent) => void;

/** Test images per predict call when evaluating: bounds the hidden activations held at once. */
const EVALUATION_BATCH = 1000;

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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface TrainerOptions {
  /** Receives every error before it becomes an `error` event (the CLI prints stacks with --verbose). */
  onError?: (error: unknown) => void;
}

export class Trainer {
  private model: tf.LayersModel | null = null;
  private data: { dir: string | null; mnist: MnistData } | null = null;
  private backend: { choice: BackendChoice; active: ActiveBackend } | null = null;
  private training = false;
  private stopRequested = false;

  constructor(
    private readonly emit: EmitEvent,
    private readonly options: TrainerOptions = {},
  ) {}

  get isTraining(): boolean {
    return this.training;
  }

  /** Handles one request; never throws: failures become `error` events. Resolves when it is done. */
  async handle(request: TrainerRequest): Promise<void> {
    try {
      switch (request.type) {
        case 'start':
          return await this.train(request.config);
        case 'stop':
          this.stopRequested = true;
          return;
        case 'shutdown':
          this.stopRequested = true;
          return;
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
      this.emit({ type: 'error', requestId: requestIdOf(request), message: messageOf(error) });
    }
  }

  private async train(rawConfig: TrainConfig): Promise<void> {
    if (this.training) throw new BusyError('starting another run');
    this.training = true;
    this.stopRequested = false;
    try {
      const config = validateTrainConfig(rawConfig);
      const mnist = this.mnist(config.dataDir);
      await this.useBackend(config.backend);
      const { train, validation } = splitTraining(mnist.train, config);
      this.replaceModel(buildModel(config.hiddenUnits, config.seed));
      const model = this.requireModel() as tf.Sequential;
      this.emit({ type: 'modelSummary', summary: summarizeModel(model) });
      this.emit({
        type: 'trainStart',
        config,
        trainSamples: train.count,
        valSamples: validation?.count ?? 0,
        batchesPerEpoch: Math.ceil(train.count / config.batchSize),
      });
      const streaming = config.stream === 'all';
      if (streaming) this.emit({ type: 'weights', epoch: 0, tensors: await this.summarizeWeights() });
      const optimizer = createOptimizer(config.optimizer, config.learningRate);
      try {
        const result = await fastFit(
          model,
          optimizer,
          train,
          validation,
          {
            epochs: config.epochs,
            batchSize: config.batchSize,
            seed: config.seed,
            workers: resolveWorkers(config.workers),
          },
          {
            onBatches: (points, samplesPerSecond) => {
              if (streaming) this.emit({ type: 'batches', points, samplesPerSecond });
            },
            onEpochEnd: async (metrics) => {
              this.emit({ type: 'epoch', metrics });
              if (streaming)
                this.emit({ type: 'weights', epoch: metrics.epoch, tensors: await this.summarizeWeights() });
            },
            shouldStop: () => this.stopRequested,
          },
        );
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
    }
  }

  /** Loads MNIST once per folder (the data of the last run also serves evaluate requests). */
  private mnist(dir: string | null): MnistData {
    if (this.data === null || this.data.dir !== dir) {
      const mnist = loadMnist(dir);
      this.data = { dir, mnist };
      this.emit({ type: 'dataset', source: mnist.source, tensors: describeMnist(mnist) });
    }
    return this.data.mnist;
  }

  private async useBackend(choice: BackendChoice): Promise<void> {
    if (this.backend?.choice === choice) return;
    const active = await selectBackend(choice);
    this.backend = { choice, active };
    this.emit({ type: 'backend', backend: active.backend, detail: active.detail });
  }

  private requireModel(): tf.LayersModel {
    if (this.model === null) throw new Error('no model yet: train one or load a saved model first');
    return this.model;
  }

  private replaceModel(model: tf.LayersModel): void {
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
    const test = this.mnist(this.data?.dir ?? null).test;
    if (this.backend === null) await this.useBackend('auto');
    const probabilities = tf.tidy(() => {
      const images = tf.tensor2d(toFitData(test.images, test.labels, 0, test.count).images, [test.count, INPUT_SIZE]);
      const outputs: tf.Tensor[] = [];
      for (let start = 0; start < test.count; start += EVALUATION_BATCH) {
        const size = Math.min(EVALUATION_BATCH, test.count - start);
        outputs.push(model.predict(images.slice([start, 0], [size, INPUT_SIZE])) as tf.Tensor);
      }
      return tf.concat(outputs);
    });
    try {
      return evaluateProbabilities(await probabilities.data(), test.labels, CLASSES);
    } finally {
      probabilities.dispose();
    }
  }

  private async predict(requestId: number, file: string): Promise<void> {
    const model = this.requireModel();
    const { input } = loadDigitInput(file);
    if (this.backend === null) await this.useBackend('auto');
    const layerOutputs = tf.tidy(() => {
      let x: tf.Tensor = tf.tensor2d(input, [1, INPUT_SIZE]);
      return model.layers.map((layer) => (x = layer.apply(x) as tf.Tensor));
    });
    try {
      const values = await Promise.all(layerOutputs.map((t) => t.data() as Promise<Float32Array>));
      const probabilities = Array.from(values[values.length - 1]);
      const digit = probabilities.indexOf(Math.max(...probabilities));
      const activations = model.layers.map((layer, i) =>
        summarizeTensor(layer.name, layerOutputs[i].shape, 'float32', values[i]),
      );
      this.emit({ type: 'prediction', requestId, prediction: { file, digit, probabilities, input }, activations });
    } finally {
      tf.dispose(layerOutputs);
    }
  }

  private async sendTensor(requestId: number, name: string): Promise<void> {
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
    if (model.inputs.length !== 1 || input?.[1] !== INPUT_SIZE || output?.[1] !== CLASSES) {
      model.dispose();
      throw new Error(
        `${modelDir}: not an MNIST classifier (expects input [null, ${INPUT_SIZE}] and output [null, ${CLASSES}], got ${JSON.stringify(input)} → ${JSON.stringify(output)})`,
      );
    }
    this.replaceModel(model);
    this.emit({ type: 'loaded', requestId, modelDir, summary: summarizeModel(model) });
  }
}
