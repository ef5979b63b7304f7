// The four variables of the book's Dense(h, relu) → Dense(10, softmax) model, found in a model
// after checking it is that model: what both training paths train.
import * as tf from '@tensorflow/tfjs';
import { MNIST_CLASSES, MNIST_PIXELS } from '../shared/mnist';

/** The model's four variables in the order Dense(h) kernel, bias, Dense(10) kernel, bias. */
export type DenseVariables = [tf.LayerVariable, tf.LayerVariable, tf.LayerVariable, tf.LayerVariable];

export interface DenseWeights {
  w1: tf.Tensor2D;
  b1: tf.Tensor1D;
  w2: tf.Tensor2D;
  b2: tf.Tensor1D;
  /** The registered variable names the optimizer updates (unique per model: `dense/kernel_1`…). */
  names: { w1: string; b1: string; w2: string; b2: string };
  variables: DenseVariables;
}

/** The model's four variables, after checking it is the Dense(relu) → Dense(softmax) fastFit implements. */
export function denseWeights(model: tf.Sequential): DenseWeights {
  const describe = model.layers.map(
    (l) => `${l.getClassName()}(${String((l.getConfig() as { activation?: unknown }).activation)})`,
  );
  const [hidden, output] = model.layers;
  const ok =
    model.layers.length === 2 &&
    describe[0] === 'Dense(relu)' &&
    describe[1] === 'Dense(softmax)' &&
    hidden.weights.length === 2 &&
    output.weights.length === 2 &&
    hidden.weights[0].shape[0] === MNIST_PIXELS &&
    output.weights[0].shape[1] === MNIST_CLASSES;
  if (!ok) {
    throw new Error(
      `fastFit trains Dense(relu, input ${MNIST_PIXELS}) → Dense(${MNIST_CLASSES}, softmax); got ${describe.join(' → ')}`,
    );
  }
  const [w1, b1] = hidden.weights;
  const [w2, b2] = output.weights;
  return {
    w1: w1.read() as tf.Tensor2D,
    b1: b1.read() as tf.Tensor1D,
    w2: w2.read() as tf.Tensor2D,
    b2: b2.read() as tf.Tensor1D,
    names: { w1: w1.name, b1: b1.name, w2: w2.name, b2: b2.name },
    variables: [w1, b1, w2, b2],
  };
}
