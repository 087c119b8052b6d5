import * as tf from '@tensorflow/tfjs';
import {createSeededRandom} from './seeded-random.js';
import {CLASS_COUNT, FEATURE_COUNT} from './synthetic-dataset.js';

/** Units in each of the two hidden layers. */
export const HIDDEN_UNITS = 96;

/** A tensor with the logical name a checkpoint records it under. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

// Logical names and shapes, in the fixed order checkpoints use.
const LAYOUT: readonly {name: string; shape: [number] | [number, number]}[] =
  [
    {name: 'hidden1/kernel', shape: [FEATURE_COUNT, HIDDEN_UNITS]},
    {name: 'hidden1/bias', shape: [HIDDEN_UNITS]},
    {name: 'hidden2/kernel', shape: [HIDDEN_UNITS, HIDDEN_UNITS]},
    {name: 'hidden2/bias', shape: [HIDDEN_UNITS]},
    {name: 'output/kernel', shape: [HIDDEN_UNITS, CLASS_COUNT]},
    {name: 'output/bias', shape: [CLASS_COUNT]},
  ];

/**
 * A two-hidden-layer perceptron (ReLU) that maps FEATURE_COUNT features
 * to CLASS_COUNT logits: 12,100 parameters. Kernels start Glorot-uniform
 * from the seed's `init-<name>` streams, biases at zero, so the same seed
 * gives the same starting weights in any process.
 */
export class ClassifierModel {
  /** The trainable variables, in LAYOUT order. */
  readonly variables: tf.Variable[];

  constructor(seed: number) {
    this.variables = LAYOUT.map(({name, shape}) =>
      tf.variable(initialValue(seed, name, shape), true),
    );
  }

  /** Logits for a batch of rows of features. */
  predictLogits(features: tf.Tensor2D): tf.Tensor2D {
    const [w1, b1, w2, b2, w3, b3] = this.variables;
    if (!w1 || !b1 || !w2 || !b2 || !w3 || !b3) {
      throw new Error('classifier model has lost its variables');
    }
    return tf.tidy(() => {
      const hidden1 = tf.relu(tf.add(tf.matMul(features, w1), b1));
      const hidden2 = tf.relu(tf.add(tf.matMul(hidden1, w2), b2));
      return tf.add(tf.matMul(hidden2, w3), b3) as tf.Tensor2D;
    });
  }

  /** The current weights under their logical names (not copies). */
  getWeights(): NamedTensor[] {
    return this.variables.map((variable, index) => ({
      name: LAYOUT[index]?.name ?? `weight-${index}`,
      tensor: variable,
    }));
  }

  /**
   * Replaces every weight; names and shapes must match the layout.
   *
   * @throws Error naming the first weight that does not fit
   */
  setWeights(weights: readonly NamedTensor[]): void {
    if (weights.length !== LAYOUT.length) {
      throw new Error(
        `model weights: expected ${LAYOUT.length} tensors, got ` +
          `${weights.length}`,
      );
    }
    weights.forEach(({name, tensor}, index) => {
      const expected = LAYOUT[index];
      const variable = this.variables[index];
      if (!expected || !variable || expected.name !== name ||
          !tf.util.arraysEqual(expected.shape, tensor.shape)) {
        throw new Error(
          `model weight ${index}: expected ${expected?.name} ` +
            `[${expected?.shape}], got ${name} [${tensor.shape}]`,
        );
      }
      variable.assign(tensor);
    });
  }

  /** The number of trainable parameters. */
  parameterCount(): number {
    return this.variables.reduce((sum, variable) => sum + variable.size, 0);
  }

  /** Frees the variables. */
  dispose(): void {
    tf.dispose(this.variables);
  }
}

function initialValue(
  seed: number,
  name: string,
  shape: [number] | [number, number],
): tf.Tensor {
  if (shape.length === 1) return tf.zeros(shape);
  const [fanIn, fanOut] = shape;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const random = createSeededRandom(seed, `init-${name}`);
  const values = new Float32Array(fanIn * fanOut);
  for (let index = 0; index < values.length; index++) {
    values[index] = (random.next() * 2 - 1) * limit;
  }
  return tf.tensor2d(values, shape);
}
