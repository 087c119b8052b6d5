import type {BlobStore} from '../../shared/ports/blob-store.js';

/**
 * A BlobStore over one Cloud Storage bucket whose client
 * (@google-cloud/storage) loads on the first read, write, create or list,
 * so an event refused before it touches the bucket never pays for it. A
 * failed load is tried again on the next call.
 *
 * @param bucketName - the bucket
 * @param options - key prefix and project, as for `createGcsBlobStore`
 */
export function lazyGcsBlobStore(
  bucketName: string,
  options: {keyPrefix?: string; projectId?: string} = {},
): BlobStore {
  let loaded: Promise<BlobStore> | undefined;
  const store = async (): Promise<BlobStore> => {
    loaded ??= import('./gcs-blob-store.js').then(({createGcsBlobStore}) =>
      createGcsBlobStore(bucketName, options));
    try {
      return await loaded;
    } catch (error) {
      loaded = undefined;
      throw error;
    }
  };
  return {
    read: async (key) => (await store()).read(key),
    write: async (key, bytes) => (await store()).write(key, bytes),
    createIfAbsent: async (key, bytes) =>
      (await store()).createIfAbsent(key, bytes),
    list: async (prefix) => (await store()).list(prefix),
  };
}
