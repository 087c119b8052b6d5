import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createCheckpointCopier} from
  '../../../adapters/gcs-checkpoints/checkpoint-copier.js';
import {createDirectoryObjectStore} from
  '../../../adapters/gcs-checkpoints/directory-object-store.js';
import {
  checkpointPrefix,
  manifestName,
} from '../../../shared/checkpoints/checkpoint-layout.js';
import type {CheckpointObjectStore} from
  '../../../shared/checkpoints/object-store.js';

const prefix = checkpointPrefix('j-42');
const source = {bucket: 'ckpt-us-east4', prefix};
const target = {bucket: 'ckpt-europe-north1', prefix};

async function writeCheckpoint(store: CheckpointObjectStore, step: number,
  options: {manifest?: boolean} = {}): Promise<number> {
  const stem = manifestName(step).replace(/\.json$/, '');
  const files = [
    {fileName: `${stem}.model-weights.0011223344556677.bin`, byteLength: 300},
    {fileName: `${stem}.optimizer-state.8899aabbccddeeff.bin`, byteLength: 500},
  ];
  for (const file of files) {
    await store.write({bucket: source.bucket, key: prefix + file.fileName},
      Buffer.alloc(file.byteLength, step % 256));
  }
  if (options.manifest === false) return 800;
  const manifest = JSON.stringify({schemaVersion: 1, step, loss: 0.25, files});
  await store.write({bucket: source.bucket, key: prefix + manifestName(step)},
    manifest);
  return 800 + Buffer.byteLength(manifest);
}

describe('checkpoint copier (local directory object store)', () => {
  let root: string;
  let store: CheckpointObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'checkpoint-copier-'));
    store = createDirectoryObjectStore(root);
  });
  afterEach(async () => {
    await rm(root, {recursive: true, force: true});
  });

  it('copies the highest complete checkpoint and reports the bytes moved',
    async () => {
      await writeCheckpoint(store, 24);
      const bytes48 = await writeCheckpoint(store, 48);
      await writeCheckpoint(store, 72, {manifest: false});
      const copier = createCheckpointCopier(store);

      const result = await copier.copyCheckpoint(source, target);
      assert.deepEqual(result, {step: 48, bytesMoved: bytes48,
        objectsCopied: 3, objectsAlreadyPresent: 0});
      const copied = (await store.list(target.bucket, prefix))
        .map((object) => object.key.slice(prefix.length));
      assert.deepEqual(copied.sort(), [
        'checkpoint-000000048.json',
        'checkpoint-000000048.model-weights.0011223344556677.bin',
        'checkpoint-000000048.optimizer-state.8899aabbccddeeff.bin',
      ]);
    });

  it('moves no bytes the second time', async () => {
    await writeCheckpoint(store, 24);
    const copier = createCheckpointCopier(store);
    await copier.copyCheckpoint(source, target);
    const again = await copier.copyCheckpoint(source, target);
    assert.equal(again.bytesMoved, 0);
    assert.equal(again.objectsAlreadyPresent, 3);
  });

  it('copies a chosen step', async () => {
    await writeCheckpoint(store, 24);
    await writeCheckpoint(store, 48);
    const result = await createCheckpointCopier(store)
      .copyCheckpoint(source, target, 24);
    assert.equal(result.step, 24);
  });

  it('refuses to copy when the source has no complete checkpoint', async () => {
    await writeCheckpoint(store, 24, {manifest: false});
    await assert.rejects(
      createCheckpointCopier(store).copyCheckpoint(source, target),
      /no complete checkpoint; complete steps: none/);
    assert.deepEqual(await store.list(target.bucket, prefix), []);
  });

  it('writes the manifest last, so the target is never half a checkpoint ' +
      'with a manifest', async () => {
    await writeCheckpoint(store, 24);
    const order: string[] = [];
    const watched: CheckpointObjectStore = {...store,
      copy: async (from, to) => {
        order.push(to.key.slice(prefix.length));
        await store.copy(from, to);
      }};
    await createCheckpointCopier(watched).copyCheckpoint(source, target);
    assert.equal(order.at(-1), manifestName(24));
    assert.equal(order.length, 3);
  });
});
