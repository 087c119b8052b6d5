import path from 'node:path';
import {DirectoryBlobStore} from '../adapters/local/directory-blob-store.js';
import {FileLedger} from '../adapters/local/ledger/file-ledger.js';

/** A local run's stores, as the `jobs` commands read them. */
export interface RunStores {
  readonly runDirectory: string;
  readonly blobs: DirectoryBlobStore;
  readonly ledger: FileLedger;
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
