import assert from 'node:assert/strict';
import {DataOrder} from '../../../trainer/data-order.js';
import type {DataOrderPosition} from '../../../trainer/data-order.js';
import {
  CLASS_COUNT,
  FEATURE_COUNT,
  HELD_OUT_EXAMPLE_COUNT,
  TRAINING_EXAMPLE_COUNT,
  generateDataset,
} from '../../../trainer/synthetic-dataset.js';

describe('generateDataset', () => {
  it('gives the same bytes for the same seed', () => {
    const first = generateDataset(11);
    const second = generateDataset(11);
    assert.deepEqual(first.training.features, second.training.features);
    assert.deepEqual(first.training.labels, second.training.labels);
    assert.deepEqual(first.heldOut.features, second.heldOut.features);
  });

  it('gives other examples for another seed', () => {
    const first = generateDataset(11);
    const other = generateDataset(12);
    assert.notDeepEqual(first.training.features, other.training.features);
  });

  it('sizes both splits and uses every class', () => {
    const {training, heldOut} = generateDataset(3);
    assert.equal(training.count, TRAINING_EXAMPLE_COUNT);
    assert.equal(heldOut.count, HELD_OUT_EXAMPLE_COUNT);
    assert.equal(training.features.length, training.count * FEATURE_COUNT);
    const perClass = new Array<number>(CLASS_COUNT).fill(0);
    for (const label of training.labels) {
      perClass[label] = (perClass[label] ?? 0) + 1;
    }
    for (const count of perClass) {
      assert.ok(count > training.count / CLASS_COUNT / 2, `${perClass}`);
    }
  });

  it('keeps held-out examples apart from training examples', () => {
    const {training, heldOut} = generateDataset(3);
    const firstHeldOut = heldOut.features.subarray(0, FEATURE_COUNT);
    for (let example = 0; example < training.count; example++) {
      const row = training.features.subarray(
        example * FEATURE_COUNT,
        (example + 1) * FEATURE_COUNT,
      );
      assert.notDeepEqual(row, firstHeldOut);
    }
  });
});

describe('DataOrder', () => {
  it('visits every training example once per epoch', () => {
    const {training} = generateDataset(5);
    const order = new DataOrder(5, training);
    let position: DataOrderPosition = {epoch: 0, offset: 0};
    let visited = 0;
    let labelSum = 0;
    while (position.epoch === 0) {
      const {batch, next} = order.takeBatch(position, 100);
      visited += batch.size;
      labelSum += batch.labels.reduce((sum, label) => sum + label, 0);
      position = next;
    }
    assert.equal(visited, training.count);
    assert.equal(labelSum, training.labels.reduce((sum, l) => sum + l, 0));
    assert.deepEqual(position, {epoch: 1, offset: 0});
  });

  it('continues from a position exactly as an unbroken run does', () => {
    const {training} = generateDataset(5);
    const unbroken = new DataOrder(5, training);
    let position: DataOrderPosition = {epoch: 0, offset: 0};
    for (let batch = 0; batch < 70; batch++) {
      position = unbroken.takeBatch(position, 64).next;
    }
    const expected = unbroken.takeBatch(position, 64).batch;
    const resumed = new DataOrder(5, training).takeBatch(
      {...position},
      64,
    ).batch;
    assert.deepEqual(position, {epoch: 1, offset: 6 * 64});
    assert.deepEqual(resumed.features, expected.features);
    assert.deepEqual(resumed.labels, expected.labels);
  });

  it('shuffles each epoch differently', () => {
    const {training} = generateDataset(5);
    const order = new DataOrder(5, training);
    const first = order.takeBatch({epoch: 0, offset: 0}, 64).batch;
    const second = order.takeBatch({epoch: 1, offset: 0}, 64).batch;
    assert.notDeepEqual(first.features, second.features);
  });
});
