/**
 * Where blobs live: job files, checkpoints pointers, job snapshots, the
 * forecast cache and idempotency records. GCS in the cloud; a directory
 * locally.
 */
export interface BlobStore {
  /** The bytes at `key`, or undefined when absent. */
  read(key: string): Promise<Buffer | undefined>;
  /** Replaces `key` atomically (readers see old or new, never half). */
  write(key: string, bytes: Buffer | string): Promise<void>;
  /**
   * Creates `key` only if absent, atomically. Returns false when it
   * already existed (GCS `ifGenerationMatch=0`; an exclusive open locally).
   */
  createIfAbsent(key: string, bytes: Buffer | string): Promise<boolean>;
  /** Keys under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}

/** Reads and parses a JSON blob, or undefined when absent. */
export async function readJson<T>(
  store: BlobStore,
  key: string,
): Promise<T | undefined> {
  const bytes = await store.read(key);
  return bytes === undefined ? undefined : (JSON.parse(bytes.toString()) as T);
}
