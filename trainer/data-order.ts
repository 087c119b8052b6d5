import {createSeededRandom} from './seeded-random.js';
import {FEATURE_COUNT} from './synthetic-dataset.js';
import type {LabelledExamples} from './synthetic-dataset.js';

/**
 * Where the trainer is in the data: the epoch and how many examples of
 * that epoch's shuffled order it has already consumed.
 */
export interface DataOrderPosition {
  readonly epoch: number;
  readonly offset: number;
}

/** One batch, copied out of the training split. */
export interface TrainingBatch {
  readonly size: number;
  readonly features: Float32Array;
  readonly labels: Int32Array;
}

/**
 * The seeded order in which training examples are visited: every epoch is
 * a Fisher-Yates shuffle drawn from the stream `order-epoch-<n>`, so a
 * position alone is enough to continue exactly where a run stopped.
 */
export class DataOrder {
  private cachedEpoch = -1;
  private cachedPermutation = new Uint32Array(0);

  constructor(
    private readonly seed: number,
    private readonly examples: LabelledExamples,
  ) {}

  /**
   * Takes the next `batchSize` examples from `position`; a batch never
   * spans two epochs, so the epoch's last batch may be shorter.
   *
   * @returns the batch and the position after it
   */
  takeBatch(
    position: DataOrderPosition,
    batchSize: number,
  ): {batch: TrainingBatch; next: DataOrderPosition} {
    const permutation = this.permutationOf(position.epoch);
    const end = Math.min(position.offset + batchSize, this.examples.count);
    const size = end - position.offset;
    const features = new Float32Array(size * FEATURE_COUNT);
    const labels = new Int32Array(size);
    for (let row = 0; row < size; row++) {
      const example = permutation[position.offset + row] ?? 0;
      const start = example * FEATURE_COUNT;
      features.set(
        this.examples.features.subarray(start, start + FEATURE_COUNT),
        row * FEATURE_COUNT,
      );
      labels[row] = this.examples.labels[example] ?? 0;
    }
    const next =
      end >= this.examples.count
        ? {epoch: position.epoch + 1, offset: 0}
        : {epoch: position.epoch, offset: end};
    return {batch: {size, features, labels}, next};
  }

  // Shuffles 0..count-1 for one epoch, keeping only the latest epoch.
  private permutationOf(epoch: number): Uint32Array {
    if (epoch === this.cachedEpoch) return this.cachedPermutation;
    const random = createSeededRandom(this.seed, `order-epoch-${epoch}`);
    const permutation = new Uint32Array(this.examples.count);
    for (let index = 0; index < permutation.length; index++) {
      permutation[index] = index;
    }
    for (let index = permutation.length - 1; index > 0; index--) {
      const other = Math.floor(random.next() * (index + 1));
      const swapped = permutation[index] ?? 0;
      permutation[index] = permutation[other] ?? 0;
      permutation[other] = swapped;
    }
    this.cachedEpoch = epoch;
    this.cachedPermutation = permutation;
    return permutation;
  }
}
