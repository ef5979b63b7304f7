// The book's network (Dense(512, relu) → Dense(10, softmax)), its optimizer, and a Keras-style
// summary. Layer names are fixed to Keras' defaults so weights read `dense/kernel`, `dense_1/bias`.
import * as tf from '@tensorflow/tfjs';
import type { LayerSummary, ModelSummary, Optimizer, WeightInfo } from '../shared/protocol';
import { MNIST_CLASSES, MNIST_PIXELS } from '../shared/mnist';

export const HIDDEN_LAYER = 'dense';
export const OUTPUT_LAYER = 'dense_1';

/** A Dense layer's activation, as Keras names it in model.json. */
export type Activation = NonNullable<Parameters<typeof tf.layers.dense>[0]['activation']>;

/**
 * Seeded Glorot-uniform kernels and zero biases (Keras' defaults), so a seed reproduces a run.
 * The hidden activation is the book's relu unless a loaded model.json names another; the output is
 * always softmax (predict and evaluate read it as probabilities).
 */
export function buildModel(hiddenUnits: number, seed: number, hiddenActivation: Activation = 'relu'): tf.Sequential {
  return tf.sequential({
    // Keras's name for a first Sequential model (tfjs would number it per process: sequential_3).
    name: 'sequential',
    layers: [
      tf.layers.dense({
        name: HIDDEN_LAYER,
        inputShape: [MNIST_PIXELS],
        units: hiddenUnits,
        activation: hiddenActivation,
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({
        name: OUTPUT_LAYER,
        units: MNIST_CLASSES,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
}

export function createOptimizer(kind: Optimizer, learningRate: number): tf.Optimizer {
  switch (kind) {
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adam':
      return tf.train.adam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
  }
}

/**
 * The model's weights under their Keras names. tfjs makes variable names unique across models
 * (`dense/kernel_1` for a second model); the original name is the one the model was built with.
 */
export function namedWeights(model: tf.LayersModel): { name: string; layer: string; variable: tf.LayerVariable }[] {
  return model.layers.flatMap((layer) =>
    layer.weights.map((variable) => ({ name: variable.originalName, layer: layer.name, variable })),
  );
}

function activationName(layer: tf.layers.Layer): string {
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof activation === 'string' ? activation : 'linear';
}

/** What Keras' `model.summary()` prints: output shapes with a null batch dimension, parameter counts. */
export function summarizeModel(model: tf.LayersModel): ModelSummary {
  const layers: LayerSummary[] = model.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: (layer.outputShape as (number | null)[]).slice(),
    params: layer.countParams(),
    activation: activationName(layer),
  }));
  const weights: WeightInfo[] = namedWeights(model).map(({ name, layer, variable }) => ({
    name,
    layer,
    shape: variable.shape.map((d) => d ?? 0),
    dtype: 'float32',
    params: variable.shape.reduce<number>((n, d) => n * (d ?? 0), 1),
  }));
  const totalParams = layers.reduce((n, l) => n + l.params, 0);
  const trainableParams = model.trainableWeights.reduce(
    (n, w) => n + w.shape.reduce<number>((m, d) => m * (d ?? 0), 1),
    0,
  );
  return { name: model.name, layers, weights, totalParams, trainableParams };
}
