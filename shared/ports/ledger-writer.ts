import type {LedgerTableName} from '../ledger/schema.js';

/**
 * Appends rows to the ledger: BigQuery streaming inserts in the cloud,
 * append-only files locally. Rows carry deterministic insert ids, and
 * reports de-duplicate, so a row written twice is counted once.
 */
export interface LedgerWriter {
  append(
    table: LedgerTableName,
    rows: readonly Record<string, unknown>[],
  ): Promise<unknown>;
}
