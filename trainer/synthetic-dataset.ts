import {createSeededRandom} from './seeded-random.js';
import type {SeededRandom} from './seeded-random.js';

/** Features per example. */
export const FEATURE_COUNT = 24;
/** Classes to tell apart; chance accuracy is 1 / CLASS_COUNT. */
export const CLASS_COUNT = 4;
/** Gaussian clusters per class, so no straight line separates them. */
export const CLUSTERS_PER_CLASS = 3;
/** Examples in the training split. */
export const TRAINING_EXAMPLE_COUNT = 4096;
/** Examples in the held-out split, never trained on. */
export const HELD_OUT_EXAMPLE_COUNT = 1024;

// Spread of the cluster centres relative to the unit noise around them.
const CENTRE_SPREAD = 0.75;

/** Examples stored row by row: `features[i * FEATURE_COUNT + f]`. */
export interface LabelledExamples {
  readonly count: number;
  readonly features: Float32Array;
  readonly labels: Int32Array;
}

/** The training and held-out splits of one seed. */
export interface SyntheticDataset {
  readonly training: LabelledExamples;
  readonly heldOut: LabelledExamples;
}

/**
 * Generates the dataset of `seed`: CLASS_COUNT x CLUSTERS_PER_CLASS
 * cluster centres drawn from N(0, CENTRE_SPREAD^2) in FEATURE_COUNT
 * dimensions; each example picks a cluster uniformly, adds N(0, 1) noise
 * to every feature and takes the cluster's class (cluster index modulo
 * CLASS_COUNT). Centres, training and held-out draws use separate random
 * streams, so the same seed always gives the same bytes.
 *
 * @param seed - the job's seed
 * @returns both splits
 */
export function generateDataset(seed: number): SyntheticDataset {
  const centres = drawCentres(createSeededRandom(seed, 'dataset-centres'));
  return {
    training: drawExamples(
      centres,
      TRAINING_EXAMPLE_COUNT,
      createSeededRandom(seed, 'dataset-training'),
    ),
    heldOut: drawExamples(
      centres,
      HELD_OUT_EXAMPLE_COUNT,
      createSeededRandom(seed, 'dataset-held-out'),
    ),
  };
}

function drawCentres(random: SeededRandom): Float32Array {
  const clusterCount = CLASS_COUNT * CLUSTERS_PER_CLASS;
  const centres = new Float32Array(clusterCount * FEATURE_COUNT);
  for (let index = 0; index < centres.length; index++) {
    centres[index] = random.nextNormal() * CENTRE_SPREAD;
  }
  return centres;
}

function drawExamples(
  centres: Float32Array,
  count: number,
  random: SeededRandom,
): LabelledExamples {
  const clusterCount = CLASS_COUNT * CLUSTERS_PER_CLASS;
  const features = new Float32Array(count * FEATURE_COUNT);
  const labels = new Int32Array(count);
  for (let example = 0; example < count; example++) {
    const cluster = Math.floor(random.next() * clusterCount);
    labels[example] = cluster % CLASS_COUNT;
    for (let feature = 0; feature < FEATURE_COUNT; feature++) {
      const centre = centres[cluster * FEATURE_COUNT + feature] ?? 0;
      features[example * FEATURE_COUNT + feature] =
        centre + random.nextNormal();
    }
  }
  return {count, features, labels};
}
