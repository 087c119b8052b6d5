import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {besideCarbonFootprintExportSql} from
  '../../../shared/ledger/report-queries.js';
import {DUCKDB_DIALECT} from '../../../shared/ledger/sql-dialect.js';
import {footprintRow} from './ledger-fixtures.js';

const EXPORT_FIXTURE = fileURLToPath(new URL(
  '../../fixtures/carbon-footprint-export.json', import.meta.url));

describe('estimates beside the Carbon Footprint export', () => {
  let ledgerDirectory: string;
  let rows: Record<string, unknown>[];

  before(async () => {
    ledgerDirectory = await mkdtemp(join(tmpdir(), 'ledger-export-'));
    const ledger = new FileLedger({ledgerDirectory,
      carbonFootprintExportFile: EXPORT_FIXTURE});
    await ledger.append('footprints', [
      footprintRow({job_id: 'j-1', segment_index: 0,
        carbon_footprint_scope2_location_based_kgco2e: 2,
        carbon_footprint_scope3_kgco2e: 0.5,
        carbon_footprint_total_location_based_kgco2e: 2.5}),
      footprintRow({job_id: 'j-2', segment_index: 0,
        carbon_footprint_scope2_location_based_kgco2e: 1,
        carbon_footprint_scope3_kgco2e: 0.5,
        carbon_footprint_total_location_based_kgco2e: 1.5}),
      // Written twice: counted once.
      footprintRow({job_id: 'j-2', segment_index: 0,
        carbon_footprint_scope2_location_based_kgco2e: 1,
        carbon_footprint_scope3_kgco2e: 0.5,
        carbon_footprint_total_location_based_kgco2e: 1.5,
        recorded_at: '2025-03-01T12:00:09.000Z'}),
      footprintRow({job_id: 'j-3', segment_index: 0,
        usage_month: '2025-04-01'}),
      footprintRow({job_id: 'j-1', segment_index: 0,
        footprint_kind: 'counterfactual', location_region: 'us-east4'}),
    ]);
    rows = await ledger.query(besideCarbonFootprintExportSql(DUCKDB_DIALECT));
  });

  after(async () => {
    await rm(ledgerDirectory, {recursive: true, force: true});
  });

  const find = (month: string, region: string, service: string) =>
    rows.find((row) => row.usage_month === month &&
      row.location_region === region &&
      row.service_description === service);

  it('joins by project, month, region and service', () => {
    const row = find('2025-03', 'europe-north1', 'Vertex AI');
    assert.equal(row?.['project_id'], 'ml-prod');
    assert.equal(row?.['job_count'], 2);
    assert.ok(Math.abs(Number(row?.['estimated_total_location_based_kgco2e'])
      - 4) < 1e-9);
    assert.equal(row?.['export_total_location_based_kgco2e'], 15.1);
    assert.equal(row?.['export_scope2_location_based_kgco2e'], 12);
    assert.equal(row?.['export_scope2_market_based_kgco2e'], 2.5);
    assert.ok(Math.abs(Number(row?.['estimated_share_of_export_percent']) -
      100 * 4 / 15.1) < 1e-9);
  });

  it('keeps export rows without estimates, and estimates without export ' +
    'rows, as NULL on the missing side', () => {
    const computeEngine = find('2025-03', 'europe-north1', 'Compute Engine');
    assert.equal(computeEngine?.['estimated_total_location_based_kgco2e'],
      null);
    assert.equal(computeEngine?.['export_total_location_based_kgco2e'], 5);
    const april = find('2025-04', 'europe-north1', 'Vertex AI');
    assert.equal(april?.['export_total_location_based_kgco2e'], null);
    assert.equal(april?.['estimated_total_location_based_kgco2e'], 1);
    assert.ok(find('2025-02', 'europe-west4', 'Vertex AI'));
  });

  it('leaves counterfactual rows out of the estimates', () => {
    assert.equal(rows.some((row) => row.location_region === 'us-east4'),
      false);
  });
});
