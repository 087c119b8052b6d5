import assert from 'node:assert/strict';
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {
  LedgerRowError,
  UnknownLedgerTableError,
} from '../../../shared/ledger/row-check.js';
import type {LedgerRow} from '../../../shared/ledger/schema.js';
import {footprintRow} from './ledger-fixtures.js';

describe('FileLedger', () => {
  let ledgerDirectory: string;
  let ledger: FileLedger;

  beforeEach(async () => {
    ledgerDirectory = await mkdtemp(join(tmpdir(), 'file-ledger-'));
    ledger = new FileLedger({ledgerDirectory});
  });

  afterEach(async () => {
    await rm(ledgerDirectory, {recursive: true, force: true});
  });

  it('gives an empty table its columns', async () => {
    const columns = await ledger.query(
      `SELECT column_name, column_type FROM (DESCRIBE segments)`);
    const types = Object.fromEntries(
      columns.map((row) => [row['column_name'], row['column_type']]));
    assert.equal(types['segment_index'], 'BIGINT');
    assert.equal(types['start_time'], 'TIMESTAMP WITH TIME ZONE');
    const [count] = await ledger.query('SELECT COUNT(*) AS n FROM segments');
    assert.equal(count?.['n'], 0);
  });

  it('reads back typed values from an appended batch', async () => {
    await ledger.append('footprints', [footprintRow({
      job_id: 'j-1', segment_index: 0, inputs: {regionId: 'europe-north1'},
      carbon_footprint_scope3_kgco2e: null,
    })]);
    const [row] = await ledger.query(`
      SELECT segment_index, start_time, usage_month, incomplete,
        carbon_footprint_scope3_kgco2e AS scope3,
        json_extract_string(inputs, '$.regionId') AS region
      FROM footprints`);
    assert.equal(row?.['segment_index'], 0);
    assert.ok(row?.['start_time'] instanceof Date);
    assert.equal((row?.['start_time'] as Date).toISOString(),
      '2025-03-01T10:00:00.000Z');
    assert.equal(row?.['incomplete'], false);
    assert.equal(row?.['scope3'], null);
    assert.equal(row?.['region'], 'europe-north1');
  });

  it('writes each batch as a new file and never rewrites one', async () => {
    const first = await ledger.append('segments', [segmentRow('j-1', 0)]);
    const firstText = await readFile(first.filePath as string, 'utf8');
    const second = await ledger.append('segments',
      [segmentRow('j-1', 1), segmentRow('j-1', 2)]);
    assert.notEqual(first.filePath, second.filePath);
    assert.equal(second.rowCount, 2);
    assert.equal(await readFile(first.filePath as string, 'utf8'), firstText);
    const names = await readdir(join(ledgerDirectory, 'segments'));
    assert.equal(names.length, 2);
    assert.ok(names.every((name) => name.endsWith('.jsonl')));
    const [count] = await ledger.query('SELECT COUNT(*) AS n FROM segments');
    assert.equal(count?.['n'], 3);
  });

  it('rejects a row with a missing, unknown or mistyped column', async () => {
    const bad = {...segmentRow('j-1', 0), region: null, colour: 'red',
      segment_index: 1.5} as unknown as LedgerRow<'segments'>;
    await assert.rejects(ledger.append('segments', [bad]),
      (error: unknown) => error instanceof LedgerRowError &&
        error.problems.length === 3);
    await assert.rejects(
      ledger.append('budgets' as 'segments', [segmentRow('j-1', 0)]),
      UnknownLedgerTableError);
    const [count] = await ledger.query('SELECT COUNT(*) AS n FROM segments');
    assert.equal(count?.['n'], 0);
  });
});

function segmentRow(jobId: string, segmentIndex: number):
  LedgerRow<'segments'> {
  return {
    insert_id: `${jobId}:${segmentIndex}`,
    job_id: jobId,
    segment_index: segmentIndex,
    project_id: 'ml-prod',
    region: 'europe-north1',
    start_time: '2025-03-01T10:00:00Z',
    end_time: '2025-03-01T11:00:00Z',
    outcome: 'paused',
    training_job_name: null,
    checkpoint_uri: null,
    recorded_at: '2025-03-01T11:00:01Z',
  };
}
