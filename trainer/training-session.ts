import * as tf from '@tensorflow/tfjs';
import {ClassifierModel} from './classifier-model.js';
import type {NamedTensor} from './classifier-model.js';
import {readCheckpointFile} from './checkpoint-store.js';
import type {CheckpointRecord, ValidCheckpoint} from './checkpoint-store.js';
import {DataOrder} from './data-order.js';
import type {DataOrderPosition} from './data-order.js';
import {
  CLASS_COUNT,
  FEATURE_COUNT,
  generateDataset,
} from './synthetic-dataset.js';
import type {SyntheticDataset} from './synthetic-dataset.js';
import {decodeTensors, encodeTensors} from './tensor-bytes.js';

/** Examples per training step. */
export const BATCH_SIZE = 64;
/** Adam's step size. */
export const LEARNING_RATE = 0.003;

/**
 * One training run's state in memory: the classifier, its Adam optimizer,
 * the seeded data order and the step counter. A custom loop drives it one
 * step at a time (`optimizer.minimize`, not `model.fit`), and the whole
 * state goes into and comes out of checkpoints.
 */
export class TrainingSession {
  /** Steps completed so far (restored steps included). */
  step = 0;
  /** Loss of the latest step, or of the restored checkpoint; null at 0. */
  loss: number | null = null;
  /** Where the next batch starts. */
  position: DataOrderPosition = {epoch: 0, offset: 0};

  private readonly dataset: SyntheticDataset;
  private readonly order: DataOrder;
  private readonly model: ClassifierModel;
  private readonly optimizer: tf.AdamOptimizer;

  constructor(readonly seed: number) {
    this.dataset = generateDataset(seed);
    this.order = new DataOrder(seed, this.dataset.training);
    this.model = new ClassifierModel(seed);
    this.optimizer = tf.train.adam(LEARNING_RATE);
  }

  /** Trainable parameters of the model. */
  parameterCount(): number {
    return this.model.parameterCount();
  }

  /** Runs one optimizer step on the next batch; returns its loss. */
  trainStep(): number {
    const {batch, next} = this.order.takeBatch(this.position, BATCH_SIZE);
    const cost = tf.tidy(() => {
      const features = tf.tensor2d(batch.features, [
        batch.size,
        FEATURE_COUNT,
      ]);
      const labels = tf.tensor1d(batch.labels, 'int32');
      const targets = tf.oneHot(labels, CLASS_COUNT);
      const value = this.optimizer.minimize(
        () =>
          tf.losses.softmaxCrossEntropy(
            targets,
            this.model.predictLogits(features),
          ) as tf.Scalar,
        true,
        this.model.variables,
      );
      if (!value) throw new Error('the optimizer returned no loss');
      return value;
    });
    const loss = cost.dataSync()[0] ?? Number.NaN;
    cost.dispose();
    this.step += 1;
    this.position = next;
    this.loss = loss;
    return loss;
  }

  /** The share of held-out examples the model classifies correctly. */
  heldOutAccuracy(): number {
    const {count, features, labels} = this.dataset.heldOut;
    const correct = tf.tidy(() => {
      const logits = this.model.predictLogits(
        tf.tensor2d(features, [count, FEATURE_COUNT]),
      );
      const predicted = tf.argMax(logits, 1);
      const truth = tf.tensor1d(labels, 'int32');
      return tf.sum(tf.cast(tf.equal(predicted, truth), 'int32'));
    });
    const correctCount = correct.dataSync()[0] ?? 0;
    correct.dispose();
    return correctCount / count;
  }

  /** Everything a checkpoint of the current step must hold. */
  async checkpointRecord(): Promise<CheckpointRecord> {
    const weights = encodeTensors(this.model.getWeights());
    const optimizerWeights = await this.optimizer.getWeights();
    const optimizerState = encodeTensors(
      optimizerWeights.map(({tensor}, index) => ({
        name: this.optimizerWeightName(index, optimizerWeights.length),
        tensor,
      })),
    );
    tf.dispose(optimizerWeights[0]?.tensor ?? []);
    return {
      step: this.step,
      seed: this.seed,
      loss: this.loss,
      dataOrder: {...this.position},
      files: [
        {role: 'model-weights', bytes: weights.bytes, tensors: weights.layouts},
        {
          role: 'optimizer-state',
          bytes: optimizerState.bytes,
          tensors: optimizerState.layouts,
        },
      ],
    };
  }

  /**
   * Restores weights, optimizer state, step, loss and data order from a
   * verified checkpoint, so training continues as if never stopped.
   *
   * @throws Error when the checkpoint was made with another seed or does
   *   not fit this model
   */
  async restore(jobDir: string, checkpoint: ValidCheckpoint): Promise<void> {
    const {manifest} = checkpoint;
    if (manifest.seed !== this.seed) {
      throw new Error(
        `checkpoint ${checkpoint.manifestPath}: seed ${manifest.seed} ` +
          `differs from the job's seed ${this.seed}`,
      );
    }
    for (const file of manifest.files) {
      const tensors = decodeTensors(
        await readCheckpointFile(jobDir, file),
        file.tensors,
      );
      try {
        if (file.role === 'model-weights') this.model.setWeights(tensors);
        else await this.restoreOptimizer(tensors);
      } finally {
        tf.dispose(tensors.map(({tensor}) => tensor));
      }
    }
    this.step = manifest.step;
    this.loss = manifest.loss;
    this.position = {...manifest.dataOrder};
  }

  /** Frees every tensor the session holds. */
  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
  }

  // Adam's state is [iterations, first moments..., second moments...],
  // one moment per model variable in the model's order.
  private async restoreOptimizer(tensors: NamedTensor[]): Promise<void> {
    const momentCount = tensors.length - 1;
    const expected = momentCount === 0 ? 0 : this.model.variables.length;
    if (momentCount !== 2 * expected) {
      throw new Error(
        `optimizer state: expected 1 or ${1 + 2 * expected} tensors, got ` +
          `${tensors.length}`,
      );
    }
    tensors.slice(1).forEach(({name, tensor}, index) => {
      const variable = this.model.variables[index % expected];
      if (!variable || !tf.util.arraysEqual(variable.shape, tensor.shape)) {
        throw new Error(
          `optimizer state ${name}: shape [${tensor.shape}] does not fit ` +
            `the model weight [${variable?.shape}]`,
        );
      }
    });
    await this.optimizer.setWeights(tensors);
  }

  private optimizerWeightName(index: number, total: number): string {
    if (index === 0) return 'iterations';
    const momentCount = (total - 1) / 2;
    const weightIndex = (index - 1) % momentCount;
    const weightName =
      this.model.getWeights()[weightIndex]?.name ?? `weight-${weightIndex}`;
    return `${weightName}/${index <= momentCount ? 'm' : 'v'}`;
  }
}
