import type {Bucket} from '@google-cloud/storage';
import type {BlobStore} from '../../shared/ports/blob-store.js';

/** HTTP status GCS answers when a precondition such as generation fails. */
const PRECONDITION_FAILED = 412;
const NOT_FOUND = 404;

/**
 * A BlobStore over one Cloud Storage bucket, optionally under a key
 * prefix. Atomic create is an upload with `ifGenerationMatch: 0` (the
 * object must not exist); GCS replaces an object atomically on every
 * upload, so readers see the old bytes or the new, never half.
 */
export class GcsBlobStore implements BlobStore {
  /**
   * @param bucket - the bucket, from `new Storage().bucket(name)`
   * @param keyPrefix - prepended to every key, e.g. `state/`
   */
  constructor(
    private readonly bucket: Bucket,
    private readonly keyPrefix = '',
  ) {}

  async read(key: string): Promise<Buffer | undefined> {
    try {
      const [bytes] = await this.bucket.file(this.keyPrefix + key).download();
      return bytes;
    } catch (error) {
      if (statusOf(error) === NOT_FOUND) return undefined;
      throw error;
    }
  }

  async write(key: string, bytes: Buffer | string): Promise<void> {
    await this.bucket.file(this.keyPrefix + key).save(bytes, {
      resumable: false,
      contentType: contentTypeOf(key),
    });
  }

  async createIfAbsent(key: string, bytes: Buffer | string): Promise<boolean> {
    try {
      await this.bucket.file(this.keyPrefix + key).save(bytes, {
        resumable: false,
        contentType: contentTypeOf(key),
        preconditionOpts: {ifGenerationMatch: 0},
      });
      return true;
    } catch (error) {
      if (statusOf(error) === PRECONDITION_FAILED) return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const [files] = await this.bucket.getFiles({
      prefix: this.keyPrefix + prefix,
    });
    return files
      .map((file) => file.name.slice(this.keyPrefix.length))
      .sort();
  }
}

/**
 * Opens a bucket as a BlobStore, loading the Storage client only now, so
 * functions that never touch GCS never pay for it.
 */
export async function createGcsBlobStore(
  bucketName: string,
  options: {keyPrefix?: string; projectId?: string} = {},
): Promise<GcsBlobStore> {
  const {Storage} = await import('@google-cloud/storage');
  const storage = new Storage(
    options.projectId ? {projectId: options.projectId} : {},
  );
  return new GcsBlobStore(storage.bucket(bucketName), options.keyPrefix);
}

function statusOf(error: unknown): number | undefined {
  const code = (error as {code?: unknown}).code;
  return typeof code === 'number' ? code : undefined;
}

function contentTypeOf(key: string): string {
  if (key.endsWith('.json')) return 'application/json';
  if (key.endsWith('.yaml') || key.endsWith('.yml')) return 'application/yaml';
  return 'application/octet-stream';
}
