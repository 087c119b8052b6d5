import assert from 'node:assert/strict';
import type {Storage} from '@google-cloud/storage';
import {createGcsCheckpointCopier} from '../../../adapters/gcs-checkpoints/checkpoint-copier.js';
import {manifestName} from '../../../shared/checkpoints/checkpoint-layout.js';

// bucket().getFiles/file().download/save/copy over a map of objects.
function storageStandIn(objects: Map<string, Buffer>) {
  const copies: string[] = [];
  const fileOf = (bucket: string, name: string) => ({
    bucket, name,
    metadata: {size: String(objects.get(`${bucket}/${name}`)?.length ?? 0)},
    async download() {
      const bytes = objects.get(`${bucket}/${name}`);
      if (!bytes) throw Object.assign(new Error('No such object'), {code: 404});
      return [bytes];
    },
    async save(bytes: Buffer | string) {
      objects.set(`${bucket}/${name}`, Buffer.from(bytes));
    },
    async copy(target: {bucket: string; name: string}) {
      copies.push(`${bucket}/${name} -> ${target.bucket}/${target.name}`);
      objects.set(`${target.bucket}/${target.name}`,
        objects.get(`${bucket}/${name}`)!);
    },
  });
  const storage = {
    bucket: (bucket: string) => ({
      file: (name: string) => fileOf(bucket, name),
      async getFiles({prefix}: {prefix: string}) {
        return [[...objects.keys()]
          .filter((key) => key.startsWith(`${bucket}/${prefix}`))
          .map((key) => fileOf(bucket, key.slice(bucket.length + 1)))];
      },
    }),
  };
  return {storage: storage as unknown as Storage, copies};
}

describe('Cloud Storage checkpoint copier (storage client stand-in)', () => {
  it('copies data then manifest between regional buckets, server side, ' +
      'and counts the bytes', async () => {
    const prefix = 'jobs/j-42/checkpoints/';
    const dataName = manifestName(24)
      .replace(/\.json$/, '.model-weights.0011223344556677.bin');
    const manifest = JSON.stringify({step: 24,
      files: [{fileName: dataName, byteLength: 256}]});
    const objects = new Map<string, Buffer>([
      [`ckpt-us-east4/${prefix}${dataName}`, Buffer.alloc(256)],
      [`ckpt-us-east4/${prefix}${manifestName(24)}`, Buffer.from(manifest)],
    ]);
    const {storage, copies} = storageStandIn(objects);

    const result = await createGcsCheckpointCopier(storage).copyCheckpoint(
      {bucket: 'ckpt-us-east4', prefix},
      {bucket: 'ckpt-europe-north1', prefix});
    assert.equal(result.bytesMoved, 256 + manifest.length);
    assert.deepEqual(copies, [
      `ckpt-us-east4/${prefix}${dataName} -> ` +
        `ckpt-europe-north1/${prefix}${dataName}`,
      `ckpt-us-east4/${prefix}${manifestName(24)} -> ` +
        `ckpt-europe-north1/${prefix}${manifestName(24)}`,
    ]);
  });
});
