/**
 * Child process of the concurrent-writers test: appends `batches` batches
 * of `rowsPerBatch` segment rows, tagged with `writer`, to one ledger.
 */
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';

const [ledgerDirectory, writer, batches, rowsPerBatch] = process.argv.slice(2);
const ledger = new FileLedger({ledgerDirectory: ledgerDirectory as string});
for (let batch = 0; batch < Number(batches); batch += 1) {
  const rows = Array.from({length: Number(rowsPerBatch)}, (_, row) => {
    const segmentIndex = batch * Number(rowsPerBatch) + row;
    return {
      insert_id: `${writer}:${segmentIndex}`,
      job_id: writer as string,
      segment_index: segmentIndex,
      project_id: 'ml-prod',
      region: 'europe-north1',
      start_time: '2025-03-01T10:00:00Z',
      end_time: '2025-03-01T11:00:00Z',
      outcome: 'completed',
      training_job_name: null,
      checkpoint_uri: null,
      recorded_at: '2025-03-01T11:00:00Z',
    };
  });
  await ledger.append('segments', rows);
}
