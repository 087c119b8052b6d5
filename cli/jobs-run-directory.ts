import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {DirectoryBlobStore} from '../adapters/local/directory-blob-store.js';
import {FileLedger} from '../adapters/local/ledger/file-ledger.js';
import {SchedulerError} from '../shared/errors.js';

/** Where `npm run demo` puts each run, relative to the working folder. */
export const LOCAL_RUNS_FOLDER = path.join('.local', 'runs');

/** A local run's stores, as the `jobs` commands read them. */
export interface RunStores {
  readonly runDirectory: string;
  readonly blobs: DirectoryBlobStore;
  readonly ledger: FileLedger;
}

/** Raised when no run folder can be found or read. */
export class RunDirectoryError extends SchedulerError {
  constructor(message: string) {
    super('run-directory-unavailable', message);
  }
}

/**
 * The run folder to read: the one given, else the newest folder under
 * `.local/runs` (by modification time, then name).
 */
export function resolveRunDirectory(
  given: string | undefined,
  workingDirectory = process.cwd(),
): string {
  if (given) {
    if (!isDirectory(given)) {
      throw new RunDirectoryError(`--run-dir: "${given}" is not a folder; ` +
        'give the folder a demo run wrote (see `demo --run-dir`)');
    }
    return given;
  }
  const runs = path.join(workingDirectory, LOCAL_RUNS_FOLDER);
  let names: string[] = [];
  try {
    names = readdirSync(runs).filter((name) =>
      isDirectory(path.join(runs, name)));
  } catch {
    names = [];
  }
  if (names.length === 0) {
    throw new RunDirectoryError(`--run-dir: no run under ${runs}; run ` +
      '`npm run demo` first or give --run-dir DIR');
  }
  const newest = names
    .map((name) => ({name, modifiedMs: statSync(path.join(runs, name))
      .mtimeMs}))
    .sort((a, b) => b.modifiedMs - a.modifiedMs ||
      b.name.localeCompare(a.name))[0]!;
  return path.join(runs, newest.name);
}

/** Opens a run folder's blob directory and ledger. */
export function openRunStores(runDirectory: string): RunStores {
  return {
    runDirectory,
    blobs: new DirectoryBlobStore(path.join(runDirectory, 'blobs')),
    ledger: new FileLedger({
      ledgerDirectory: path.join(runDirectory, 'ledger'),
    }),
  };
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
