import assert from 'node:assert/strict';
import {
  highestCompleteCheckpoint,
  readCheckpointInventory,
} from '../../../shared/checkpoints/checkpoint-inventory.js';
import type {CheckpointInventory} from '../../../shared/checkpoints/checkpoint-inventory.js';
import {manifestName} from '../../../shared/checkpoints/checkpoint-layout.js';
import type {StoredObject} from '../../../shared/checkpoints/object-store.js';
import {planRetention} from '../../../shared/checkpoints/retention.js';

const dataNameOf = (step: number) =>
  manifestName(step).replace(/\.json$/, '.model-weights.00ff00ff00ff00ff.bin');

// A listing with complete checkpoints at `complete`, data without a
// manifest at `torn`, and names from outside the layout.
async function inventoryOf(options: {
  complete: number[];
  torn?: number[];
  foreign?: string[];
}): Promise<CheckpointInventory> {
  const objects: StoredObject[] = [];
  const manifests = new Map<string, Buffer>();
  for (const step of options.complete) {
    objects.push({key: dataNameOf(step), sizeBytes: 100});
    const manifest = Buffer.from(JSON.stringify({step, loss: 1 / step,
      files: [{fileName: dataNameOf(step), byteLength: 100}]}));
    manifests.set(manifestName(step), manifest);
    objects.push({key: manifestName(step), sizeBytes: manifest.length});
  }
  for (const step of options.torn ?? []) {
    objects.push({key: dataNameOf(step), sizeBytes: 40});
  }
  for (const name of options.foreign ?? []) {
    objects.push({key: name, sizeBytes: 10});
  }
  return readCheckpointInventory(objects,
    async (name) => manifests.get(name));
}

describe('checkpoint retention', () => {
  it('C16: keeps step 62400 and the foreign last.ckpt files, and deletes ' +
      'only the superseded 31200 and 46800', async () => {
    const inventory = await inventoryOf({complete: [31_200, 46_800, 62_400],
      foreign: ['last.ckpt', 'last-v1.ckpt']});
    assert.equal(highestCompleteCheckpoint(inventory)?.step, 62_400);
    const plan = planRetention(inventory,
      {keepCompleteCount: 1, jobFinished: false});
    assert.deepEqual(plan.deletable, [
      manifestName(31_200), manifestName(46_800),
      dataNameOf(31_200), dataNameOf(46_800),
    ]);
    const kept = new Map(plan.kept.map((object) =>
      [object.name, object.reason]));
    assert.equal(kept.get(manifestName(62_400)), 'latest complete checkpoint');
    assert.equal(kept.get(dataNameOf(62_400)), 'latest complete checkpoint');
    assert.equal(kept.get('last-v1.ckpt'), 'not in the checkpoint layout');
    assert.equal(kept.get('last.ckpt'), 'not in the checkpoint layout');
  });

  it('never deletes the latest complete checkpoint of an unfinished job, ' +
      'whatever the count', async () => {
    const inventory = await inventoryOf({complete: [24, 48]});
    assert.throws(() => planRetention(inventory,
      {keepCompleteCount: 0, jobFinished: false}), /at least 1/);
    const plan = planRetention(inventory,
      {keepCompleteCount: 1, jobFinished: false});
    assert.ok(!plan.deletable.includes(manifestName(48)));
    assert.ok(!plan.deletable.includes(dataNameOf(48)));
  });

  it('keeps a torn checkpoint newer than the latest complete one: it may ' +
      'be being written', async () => {
    const inventory = await inventoryOf({complete: [24, 48], torn: [72]});
    assert.equal(highestCompleteCheckpoint(inventory)?.step, 48);
    const plan = planRetention(inventory,
      {keepCompleteCount: 1, jobFinished: false});
    assert.deepEqual(plan.deletable, [manifestName(24), dataNameOf(24)]);
    assert.equal(plan.kept.find((object) =>
      object.name === dataNameOf(72))?.reason,
    'newer than the latest complete checkpoint');
  });

  it('deletes a torn checkpoint below the latest complete one', async () => {
    const inventory = await inventoryOf({complete: [48], torn: [24]});
    const plan = planRetention(inventory,
      {keepCompleteCount: 1, jobFinished: false});
    assert.deepEqual(plan.deletable, [dataNameOf(24)]);
  });

  it('deletes nothing while no checkpoint is complete', async () => {
    const inventory = await inventoryOf({complete: [], torn: [24, 48]});
    const plan = planRetention(inventory,
      {keepCompleteCount: 1, jobFinished: false});
    assert.deepEqual(plan.deletable, []);
    assert.equal(plan.kept.length, 2);
  });

  it('keeps the highest `keepCompleteCount` complete checkpoints', async () => {
    const inventory = await inventoryOf({complete: [24, 48, 72]});
    const plan = planRetention(inventory,
      {keepCompleteCount: 2, jobFinished: false});
    assert.deepEqual(plan.deletable, [manifestName(24), dataNameOf(24)]);
  });

  it('lets a finished job release every checkpoint when asked for 0, ' +
      'manifests first', async () => {
    const inventory = await inventoryOf({complete: [24, 48]});
    const plan = planRetention(inventory,
      {keepCompleteCount: 0, jobFinished: true});
    assert.deepEqual(plan.deletable, [manifestName(24), manifestName(48),
      dataNameOf(24), dataNameOf(48)]);
  });

  it('reads a manifest whose data object has the wrong size as torn',
    async () => {
      const manifest = Buffer.from(JSON.stringify({step: 24,
        files: [{fileName: dataNameOf(24), byteLength: 100}]}));
      const inventory = await readCheckpointInventory([
        {key: dataNameOf(24), sizeBytes: 99},
        {key: manifestName(24), sizeBytes: manifest.length},
      ], async () => manifest);
      assert.equal(inventory.entries[0]?.complete, false);
      assert.match(inventory.entries[0]?.problem ?? '', /99 bytes/);
      assert.equal(highestCompleteCheckpoint(inventory), null);
    });
});
