import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {
  BigQueryInsertError,
  createBigQueryLedgerWriter,
  type InsertableTable,
  type RawInsertRow,
} from '../../../adapters/bigquery/bigquery-ledger-writer.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {JOB_TOTALS_SQL} from '../../../shared/ledger/report-queries.js';
import {LedgerRowError} from '../../../shared/ledger/row-check.js';
import {
  LEDGER_TABLES,
  type LedgerTableName,
} from '../../../shared/ledger/schema.js';
import {footprintRow} from '../ledger/ledger-fixtures.js';

/** One call that reached the stand-in's insert boundary. */
interface InsertCall {
  readonly rows: RawInsertRow[];
  readonly options: Record<string, unknown>;
}

/**
 * A stand-in for a BigQuery `Table`: records every insert call as the
 * client would send it, keeps every row it received (no insertId
 * de-duplication, BigQuery's worst case), and can fail a call after
 * keeping its rows, as a client-side timeout of a successful insert does.
 */
class TableStandIn implements InsertableTable {
  readonly calls: InsertCall[] = [];
  readonly stored: RawInsertRow[] = [];
  failures: unknown[] = [];
  keepRowsOfFailedCall = true;

  async insert(
    rows: RawInsertRow[],
    options: {raw: true; skipInvalidRows: false; ignoreUnknownValues: false},
  ): Promise<unknown> {
    this.calls.push({rows: structuredClone(rows), options: {...options}});
    const failure = this.failures.shift();
    if (failure === undefined || this.keepRowsOfFailedCall) {
      this.stored.push(...structuredClone(rows));
    }
    if (failure !== undefined) throw failure;
    return [{kind: 'bigquery#tableDataInsertAllResponse'}];
  }
}

const timeout = () => Object.assign(new Error('request timed out'),
  {code: 'ETIMEDOUT'});

const kilograms = (grams: number) => ({
  carbon_footprint_scope2_location_based_kgco2e: grams / 1000,
  carbon_footprint_scope3_kgco2e: 0,
  carbon_footprint_total_location_based_kgco2e: grams / 1000,
});

function writerFor(table: TableStandIn, maxAttempts = 4) {
  return createBigQueryLedgerWriter({
    datasetId: 'carbon_ledger',
    tableFor: (_name: LedgerTableName) => table,
    maxAttempts,
    sleep: async () => {},
  });
}

describe('BigQuery ledger writer (BigQuery table stand-in)', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'bigquery-writer-'));
  });

  afterEach(async () => {
    await rm(directory, {recursive: true, force: true});
  });

  it('retries a timed-out insert with the same insertId, and the report ' +
    'still counts 4 rows and 10,000 g (C32)', async () => {
    const table = new TableStandIn();
    const writer = writerFor(table);
    const rows = [1000, 2000, 3000, 4000].map((grams, index) =>
      footprintRow({job_id: 'r-77', segment_index: index,
        ...kilograms(grams)}));
    await writer.append('footprints', rows.slice(0, 3));

    // Segment 3 is stored, but the client times out and retries.
    table.failures = [timeout()];
    const result = await writer.append('footprints', rows.slice(3));
    assert.equal(result.attempts, 2);
    const segmentThree = table.calls.slice(1).map((call) =>
      call.rows.map((row) => row.insertId));
    assert.deepEqual(segmentThree, [['r-77:3'], ['r-77:3']]);
    assert.ok(table.calls.every((call) => call.options.raw === true));
    assert.equal(table.stored.length, 5);

    // BigQuery kept the duplicate: the report's de-duplication holds.
    const ledger = new FileLedger({ledgerDirectory: directory});
    await ledger.append('footprints', table.stored.map((row) => ({
      ...footprintRow({job_id: 'r-77', segment_index: 0}),
      ...row.json,
      inputs: JSON.parse(String(row.json.inputs)),
    })));
    const [job] = await ledger.query(JOB_TOTALS_SQL);
    assert.equal(job?.['segment_count'], 4);
    assert.ok(Math.abs(Number(job?.['actual_total_kgco2e']) - 10) < 1e-9);
  });

  it('derives each insertId from job, segment and row kind', async () => {
    const table = new TableStandIn();
    await writerFor(table).append('footprints', [
      footprintRow({job_id: 'j-1', segment_index: 2}),
      footprintRow({job_id: 'j-1', segment_index: 0,
        footprint_kind: 'counterfactual'}),
    ]);
    assert.deepEqual(table.calls[0]?.rows.map((row) => row.insertId),
      ['j-1:2', 'j-1:counterfactual']);
  });

  it('sends TIMESTAMP as RFC 3339 UTC text and JSON columns as JSON text',
    async () => {
      const table = new TableStandIn();
      await writerFor(table).append('footprints', [footprintRow({
        job_id: 'j-2', segment_index: 0,
        start_time: '2025-03-01T11:00:00+01:00',
        end_time: '2025-03-01T11:30:00.250Z',
        inputs: {regionId: 'europe-north1'},
      })]);
      const json = table.calls[0]!.rows[0]!.json;
      assert.equal(json.start_time, '2025-03-01T10:00:00.000Z');
      assert.equal(json.end_time, '2025-03-01T11:30:00.250Z');
      assert.equal(json.usage_month, '2025-03-01');
      assert.equal(json.inputs, '{"regionId":"europe-north1"}');
      const timestampColumns = LEDGER_TABLES.footprints.columns
        .filter((column) => column.type === 'TIMESTAMP')
        .map((column) => column.name);
      for (const name of timestampColumns) {
        assert.notEqual(typeof json[name], 'number', name);
      }
    });

  it('refuses rows that do not fit the table before any insert', async () => {
    const table = new TableStandIn();
    await assert.rejects(writerFor(table).append('footprints', [
      {...footprintRow({job_id: 'j-3', segment_index: 0}),
        start_time: 1740823200000},
    ]), LedgerRowError);
    assert.equal(table.calls.length, 0);
  });

  it('does not retry rows BigQuery rejected (PartialFailureError)',
    async () => {
      const table = new TableStandIn();
      table.keepRowsOfFailedCall = false;
      table.failures = [Object.assign(new Error('A failure occurred'), {
        name: 'PartialFailureError',
        errors: [{row: {insertId: 'j-4:0'},
          errors: [{reason: 'invalid', message: 'no such field: x'}]}],
      })];
      await assert.rejects(
        writerFor(table).append('footprints',
          [footprintRow({job_id: 'j-4', segment_index: 0})]),
        (error: unknown) => error instanceof BigQueryInsertError &&
          !error.retryable && /j-4:0: invalid no such field/.test(
            error.message));
      assert.equal(table.calls.length, 1);
    });

  it('gives up after its attempts with a retryable error', async () => {
    const table = new TableStandIn();
    table.keepRowsOfFailedCall = false;
    table.failures = [timeout(), timeout(), timeout()];
    await assert.rejects(
      writerFor(table, 3).append('footprints',
        [footprintRow({job_id: 'j-5', segment_index: 0})]),
      (error: unknown) => error instanceof BigQueryInsertError &&
        error.retryable);
    assert.deepEqual(table.calls.map((call) => call.rows[0]?.insertId),
      ['j-5:0', 'j-5:0', 'j-5:0']);
  });
});
