import type {Storage} from '@google-cloud/storage';
import type {
  CheckpointObjectStore,
  StoredObject,
} from '../../shared/checkpoints/object-store.js';

/**
 * Checkpoint objects in Cloud Storage. `copy` is a server-side rewrite,
 * which also crosses regions without the bytes passing through here.
 */
export function createGcsObjectStore(storage: Storage): CheckpointObjectStore {
  return {
    async list(bucket, prefix) {
      const [files] = await storage.bucket(bucket).getFiles({prefix});
      const objects: StoredObject[] = files.map((file) => ({
        key: file.name,
        sizeBytes: Number(file.metadata.size ?? 0),
      }));
      return objects.sort((a, b) => a.key.localeCompare(b.key));
    },
    async read(address) {
      const file = storage.bucket(address.bucket).file(address.key);
      try {
        const [bytes] = await file.download();
        return bytes;
      } catch (error) {
        if ((error as {code?: number}).code === 404) return undefined;
        throw error;
      }
    },
    async write(address, bytes) {
      await storage.bucket(address.bucket).file(address.key)
        .save(bytes, {resumable: false});
    },
    async copy(source, target) {
      await storage.bucket(source.bucket).file(source.key)
        .copy(storage.bucket(target.bucket).file(target.key));
    },
  };
}
