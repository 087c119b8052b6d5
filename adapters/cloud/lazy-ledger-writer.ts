import type {LedgerWriter} from '../../shared/ports/ledger-writer.js';

/**
 * The ledger port with its client (BigQuery) loaded on the first append,
 * so events that write no rows never pay for it. A failed load is tried
 * again on the next append.
 */
export function lazyLedgerWriter(
  load: () => Promise<LedgerWriter>,
): LedgerWriter {
  let loaded: Promise<LedgerWriter> | undefined;
  return {
    async append(table, rows) {
      loaded ??= load();
      let writer: LedgerWriter;
      try {
        writer = await loaded;
      } catch (error) {
        loaded = undefined;
        throw error;
      }
      return writer.append(table, rows);
    },
  };
}
