import {randomUUID} from 'node:crypto';
import {mkdir, open, readdir, readFile, rename} from 'node:fs/promises';
import path from 'node:path';
import type {BlobStore} from '../../shared/ports/blob-store.js';

/**
 * The local twin of a GCS bucket: a directory. Atomic create is an
 * exclusive open (`wx`); atomic replace is write-to-temp then rename, so
 * several processes may share one directory.
 */
export class DirectoryBlobStore implements BlobStore {
  constructor(private readonly rootDirectory: string) {}

  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async write(key: string, bytes: Buffer | string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), {recursive: true});
    const temporary = `${target}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  }

  async createIfAbsent(key: string, bytes: Buffer | string): Promise<boolean> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), {recursive: true});
    let handle;
    try {
      handle = await open(target, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    await this.collect(this.rootDirectory, '', keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  private async collect(
    directory: string,
    keyPrefix: string,
    keys: string[],
  ): Promise<void> {
    let entries;
    try {
      entries = await readdir(directory, {withFileTypes: true});
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const key = keyPrefix + entry.name;
      if (entry.isDirectory()) {
        await this.collect(path.join(directory, entry.name), key + '/', keys);
      } else if (!entry.name.endsWith('.tmp')) {
        keys.push(key);
      }
    }
  }

  private pathOf(key: string): string {
    if (key.split('/').some((part) => part === '..' || part === '')) {
      throw new Error(`blob key "${key}" must be relative without ".." or empty parts`);
    }
    return path.join(this.rootDirectory, key);
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
