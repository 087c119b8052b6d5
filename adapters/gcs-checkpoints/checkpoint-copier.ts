import type {Storage} from '@google-cloud/storage';
import {SchedulerError} from '../../shared/errors.js';
import {
  readCheckpointInventory,
} from '../../shared/checkpoints/checkpoint-inventory.js';
import type {
  CheckpointEntry,
  CheckpointInventory,
} from '../../shared/checkpoints/checkpoint-inventory.js';
import type {
  CheckpointObjectStore,
  StoredObject,
} from '../../shared/checkpoints/object-store.js';
import {createGcsObjectStore} from './gcs-object-store.js';

/** A checkpoint folder: a bucket and the key prefix ending in `/`. */
export interface CheckpointFolder {
  readonly bucket: string;
  readonly prefix: string;
}

/** What one copy did: the bytes moved go into the footprint. */
export interface CheckpointCopyResult {
  readonly step: number;
  /** Bytes actually transferred (objects already there are not). */
  readonly bytesMoved: number;
  readonly objectsCopied: number;
  readonly objectsAlreadyPresent: number;
}

/** Copies a checkpoint to another region's bucket before a resume. */
export interface CheckpointCopier {
  /**
   * Copies checkpoint `step` (default: the highest complete one) from
   * `source` to `target`: data objects first, the manifest last, so the
   * target never holds a manifest without its data. Objects already in
   * the target with the same size are not copied again.
   *
   * @throws CheckpointCopyError when the source has no such complete
   *   checkpoint, or the target is not complete afterwards
   */
  copyCheckpoint(
    source: CheckpointFolder,
    target: CheckpointFolder,
    step?: number,
  ): Promise<CheckpointCopyResult>;
}

/** A checkpoint could not be copied whole. */
export class CheckpointCopyError extends SchedulerError {
  constructor(message: string, retryable: boolean) {
    super('checkpoint-copy-failed', message, {retryable});
  }
}

/** The copier over Cloud Storage (a server-side rewrite per object). */
export function createGcsCheckpointCopier(storage: Storage): CheckpointCopier {
  return createCheckpointCopier(createGcsObjectStore(storage));
}

/** The copier over any object store (a directory one locally). */
export function createCheckpointCopier(
  store: CheckpointObjectStore,
): CheckpointCopier {
  return {
    async copyCheckpoint(source, target, step) {
      const from = await inventoryOf(store, source);
      const entry = chooseEntry(from.inventory, source, step);
      const present = new Map((await inventoryOf(store, target)).objects
        .map((object) => [object.key, object.sizeBytes]));
      const sizes = new Map(from.objects
        .map((object) => [object.key, object.sizeBytes]));

      // Data first, manifest last: the manifest is what makes it whole.
      const names = [...entry.referencedNames, entry.manifestName!];
      let bytesMoved = 0;
      let objectsCopied = 0;
      for (const name of names) {
        const sizeBytes = sizes.get(name) ?? 0;
        if (present.get(name) === sizeBytes) continue;
        await store.copy(
          {bucket: source.bucket, key: source.prefix + name},
          {bucket: target.bucket, key: target.prefix + name});
        bytesMoved += sizeBytes;
        objectsCopied++;
      }

      const after = await inventoryOf(store, target);
      const copied = after.inventory.entries
        .find((candidate) => candidate.step === entry.step);
      if (!copied?.complete) {
        throw new CheckpointCopyError(
          `checkpoint step ${entry.step} is not complete in ` +
            `${describe(target)} after copying: ` +
            `${copied?.problem ?? 'no manifest'}; retry the copy`, true);
      }
      return {step: entry.step, bytesMoved, objectsCopied,
        objectsAlreadyPresent: names.length - objectsCopied};
    },
  };
}

async function inventoryOf(
  store: CheckpointObjectStore,
  folder: CheckpointFolder,
): Promise<{inventory: CheckpointInventory; objects: StoredObject[]}> {
  const objects = (await store.list(folder.bucket, folder.prefix))
    .map((object) => ({key: object.key.slice(folder.prefix.length),
      sizeBytes: object.sizeBytes}));
  const inventory = await readCheckpointInventory(objects, (name) =>
    store.read({bucket: folder.bucket, key: folder.prefix + name}));
  return {inventory, objects};
}

function chooseEntry(
  inventory: CheckpointInventory,
  source: CheckpointFolder,
  step: number | undefined,
): CheckpointEntry {
  const complete = inventory.entries.filter((entry) => entry.complete);
  const entry = step === undefined
    ? complete.at(-1)
    : complete.find((candidate) => candidate.step === step);
  if (!entry) {
    throw new CheckpointCopyError(
      `${describe(source)} has no complete checkpoint` +
        (step === undefined ? '' : ` at step ${step}`) +
        `; complete steps: ${complete.map((e) => e.step).join(', ') ||
          'none'}`, false);
  }
  return entry;
}

function describe(folder: CheckpointFolder): string {
  return `gs://${folder.bucket}/${folder.prefix}`;
}
