import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import nodeSqlParser from 'node-sql-parser';

import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {REPORT_QUERIES} from '../../../shared/ledger/report-queries.js';
import {
  bigQueryDialect,
  DUCKDB_DIALECT,
  InvalidSqlIdentifierError,
} from '../../../shared/ledger/sql-dialect.js';
import {footprintRow} from './ledger-fixtures.js';

const BIGQUERY = bigQueryDialect({projectId: 'ml-ops', datasetId: 'ledger',
  carbonFootprintExportTable: 'billing-project.carbon.carbon_footprint'});
const PARAMETERS = {jobId: 'j-1', projectId: 'ml-prod', month: '2025-03-01'};

describe('report SQL dialects', () => {
  const parser = new nodeSqlParser.Parser();

  for (const [name, render] of Object.entries(REPORT_QUERIES)) {
    it(`renders ${name} as BigQuery text node-sql-parser accepts`, () => {
      const sql = render(BIGQUERY);
      assert.doesNotThrow(() =>
        parser.astify(sql, {database: 'BigQuery'}), name);
      assert.ok(!/strftime|\$[a-z]/i.test(sql), 'no DuckDB forms');
      const tables = [...sql.matchAll(/`([^`]+)`/g)].map((match) =>
        match[1]);
      assert.ok(tables.length > 0);
      const allowed =
        /^(ml-ops\.ledger\.[a-z_]+|billing-project\.carbon\.[a-z_]+)$/;
      for (const table of tables) assert.match(String(table), allowed);
    });
  }

  it('lets the parser refuse broken BigQuery text', () => {
    const broken = REPORT_QUERIES.jobTotals(BIGQUERY).replace('SELECT', '');
    assert.throws(() => parser.astify(broken, {database: 'BigQuery'}));
  });

  it('refuses names that could break out of a table reference', () => {
    assert.throws(() => bigQueryDialect({projectId: 'p`; DROP',
      datasetId: 'd'}), InvalidSqlIdentifierError);
    assert.throws(() => DUCKDB_DIALECT.parameter('x; --'),
      InvalidSqlIdentifierError);
  });

  describe('on DuckDB', () => {
    let ledgerDirectory: string;

    before(async () => {
      ledgerDirectory = await mkdtemp(join(tmpdir(), 'ledger-dialect-'));
    });

    after(async () => {
      await rm(ledgerDirectory, {recursive: true, force: true});
    });

    it('runs every report query, on an empty ledger and on rows',
      async () => {
        const ledger = new FileLedger({ledgerDirectory});
        const runAll = async () => {
          for (const [name, render] of Object.entries(REPORT_QUERIES)) {
            const sql = render(DUCKDB_DIALECT);
            const used = Object.fromEntries(Object.entries(PARAMETERS)
              .filter(([key]) => sql.includes(`$${key}`)));
            await assert.doesNotReject(ledger.query(sql,
              Object.keys(used).length > 0 ? used : undefined), name);
          }
        };
        await runAll();
        await ledger.append('footprints', [
          footprintRow({job_id: 'j-1', segment_index: 0}),
        ]);
        await runAll();
        const [segment] = await ledger.query(
          REPORT_QUERIES.jobSegments(DUCKDB_DIALECT), {jobId: 'j-1'});
        assert.equal(segment?.['start_time'], '2025-03-01T10:00:00.000Z');
      });
  });
});
