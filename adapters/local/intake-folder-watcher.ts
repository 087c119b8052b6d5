import {stat} from 'node:fs/promises';
import path from 'node:path';
import type {Logger} from '../../shared/ports/logger.js';
import type {MessagePublisher} from '../../shared/ports/message-publisher.js';
import {DirectoryBlobStore} from './directory-blob-store.js';

/** How the intake folder is watched. */
export interface IntakeFolderOptions {
  /** The folder users drop job files into (the local intake bucket). */
  readonly folder: string;
  readonly publisher: MessagePublisher;
  readonly logger: Logger;
  /** Stands for the bucket name in notifications; `local-intake`. */
  readonly bucketId?: string;
  /** Between scans of the folder; 500 ms by default. */
  readonly intervalMilliseconds?: number;
}

/** A running watcher. */
export interface IntakeFolderWatcher {
  /** Scans once now (a file is announced once its size holds still). */
  scan(): Promise<number>;
  close(): void;
}

/**
 * The local twin of the intake bucket's notification: polls the folder
 * and, for each file that is new or rewritten and has stopped growing,
 * publishes on `job-uploads` the message Cloud Storage would
 * (`OBJECT_FINALIZE` with bucketId, objectId and objectGeneration), so a
 * dropped file takes the same path as an upload. The generation is the
 * file's modification time in microseconds, the same on every scan of
 * the same write, so a notification announced twice is one job.
 */
export function watchIntakeFolder(
  options: IntakeFolderOptions,
): IntakeFolderWatcher {
  const store = new DirectoryBlobStore(options.folder);
  const bucketId = options.bucketId ?? 'local-intake';
  const announced = new Map<string, string>();
  const lastSize = new Map<string, number>();
  let scanning: Promise<number> | undefined;

  const scanOnce = async (): Promise<number> => {
    let published = 0;
    for (const objectId of await store.list('')) {
      const file = path.join(options.folder, objectId);
      const status = await stat(file).catch(() => undefined);
      if (!status?.isFile()) continue;
      const generation = String(Math.trunc(status.mtimeMs * 1000));

      // Wait one scan for a file still being written.
      const previousSize = lastSize.get(objectId);
      lastSize.set(objectId, status.size);
      if (announced.get(objectId) === generation) continue;
      if (previousSize !== status.size) continue;

      await options.publisher.publish('job-uploads', {
        kind: 'storage#object',
        bucket: bucketId,
        name: objectId,
        generation,
        size: String(status.size),
      }, {
        eventType: 'OBJECT_FINALIZE',
        payloadFormat: 'JSON_API_V1',
        bucketId,
        objectId,
        objectGeneration: generation,
      });
      announced.set(objectId, generation);
      published++;
      options.logger.log('INFO', 'intake file announced', {
        objectId, objectGeneration: generation,
      });
    }
    return published;
  };
  const scan = () => {
    scanning ??= scanOnce().finally(() => {
      scanning = undefined;
    });
    return scanning;
  };

  const timer = setInterval(() => {
    scan().catch((error: Error) => {
      options.logger.log('WARNING', 'intake scan failed', {
        error: error.message,
      });
    });
  }, options.intervalMilliseconds ?? 500);
  timer.unref();
  return {scan, close: () => clearInterval(timer)};
}
