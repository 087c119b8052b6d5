/**
 * The object storage a training container writes its checkpoints to:
 * one bucket per region in the cloud, a directory per bucket locally.
 * Keys are relative to the bucket and use `/` as the separator.
 */

/** One stored object, as a listing reports it. */
export interface StoredObject {
  /** The object's key inside its bucket. */
  readonly key: string;
  readonly sizeBytes: number;
}

/** Where an object lives. */
export interface ObjectAddress {
  readonly bucket: string;
  readonly key: string;
}

/** Reading, writing and copying objects; no cloud SDK in the interface. */
export interface CheckpointObjectStore {
  /** Objects whose key starts with `prefix`, sorted by key. */
  list(bucket: string, prefix: string): Promise<StoredObject[]>;
  /** The object's bytes, or undefined when it does not exist. */
  read(address: ObjectAddress): Promise<Buffer | undefined>;
  /** Writes (or replaces) one object whole. */
  write(address: ObjectAddress, bytes: Buffer | string): Promise<void>;
  /** Copies one object, possibly to another bucket (region). */
  copy(source: ObjectAddress, target: ObjectAddress): Promise<void>;
}
