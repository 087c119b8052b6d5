import {randomUUID} from 'node:crypto';
import {
  copyFile,
  mkdir,
  readFile,
  readdir,
  rename,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import type {
  CheckpointObjectStore,
  ObjectAddress,
  StoredObject,
} from '../../shared/checkpoints/object-store.js';

/**
 * Checkpoint objects in a local directory: each bucket is a folder under
 * `rootDirectory`, each key a file path. Writes and copies land under a
 * temporary name and are renamed into place, as an object appears whole.
 */
export function createDirectoryObjectStore(
  rootDirectory: string,
): CheckpointObjectStore {
  const fileOf = (address: ObjectAddress) =>
    path.join(rootDirectory, address.bucket, ...address.key.split('/'));

  return {
    async list(bucket, prefix) {
      const bucketDirectory = path.join(rootDirectory, bucket);
      const objects: StoredObject[] = [];
      for (const key of await walk(bucketDirectory, '')) {
        if (!key.startsWith(prefix)) continue;
        const info = await stat(path.join(bucketDirectory, ...key.split('/')));
        objects.push({key, sizeBytes: info.size});
      }
      return objects.sort((a, b) => a.key.localeCompare(b.key));
    },
    async read(address) {
      try {
        return await readFile(fileOf(address));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return undefined;
        }
        throw error;
      }
    },
    async write(address, bytes) {
      await placeWhole(fileOf(address),
        (temporary) => writeFile(temporary, bytes));
    },
    async copy(source, target) {
      await placeWhole(fileOf(target),
        (temporary) => copyFile(fileOf(source), temporary));
    },
  };
}

async function placeWhole(
  target: string,
  produce: (temporary: string) => Promise<void>,
): Promise<void> {
  await mkdir(path.dirname(target), {recursive: true});
  const temporary = path.join(path.dirname(target),
    `.tmp-${randomUUID()}-${path.basename(target)}`);
  await produce(temporary);
  await rename(temporary, target);
}

// Keys of every file under `directory`, skipping temporary files.
async function walk(directory: string, keyPrefix: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(directory, {withFileTypes: true});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const keys: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.tmp-')) continue;
    const key = keyPrefix + entry.name;
    if (entry.isDirectory()) {
      keys.push(...await walk(path.join(directory, entry.name), `${key}/`));
    } else if (entry.isFile()) {
      keys.push(key);
    }
  }
  return keys;
}
