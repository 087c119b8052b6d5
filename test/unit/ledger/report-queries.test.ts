import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {
  JOB_TOTALS_SQL,
  PROJECT_MONTH_TOTALS_SQL,
  REGION_TOTALS_SQL,
} from '../../../shared/ledger/report-queries.js';
import {footprintRow} from './ledger-fixtures.js';

const kilograms = (grams: number) => ({
  carbon_footprint_scope2_location_based_kgco2e: grams / 1000,
  carbon_footprint_scope3_kgco2e: 0,
  carbon_footprint_total_location_based_kgco2e: grams / 1000,
});

describe('report queries', () => {
  let ledgerDirectory: string;
  let ledger: FileLedger;

  beforeEach(async () => {
    ledgerDirectory = await mkdtemp(join(tmpdir(), 'ledger-reports-'));
    ledger = new FileLedger({ledgerDirectory});
  });

  afterEach(async () => {
    await rm(ledgerDirectory, {recursive: true, force: true});
  });

  // C32: segment 3 is written, times out client-side, and is retried.
  async function writeRunWithRetriedSegment(): Promise<void> {
    const segments = [1000, 2000, 3000, 4000].map((grams, index) =>
      footprintRow({job_id: 'r-77', segment_index: index,
        ...kilograms(grams)}));
    await ledger.append('footprints', segments);
    await ledger.append('footprints', [footprintRow({
      job_id: 'r-77', segment_index: 3, ...kilograms(4000),
      recorded_at: '2025-03-01T12:00:05.000Z',
    })]);
    await ledger.append('footprints', [footprintRow({
      job_id: 'r-77', segment_index: 0, footprint_kind: 'counterfactual',
      location_region: 'europe-west3', ...kilograms(25_000),
    })]);
  }

  it('counts a row written twice once (C32: 4 rows, 10,000 g)', async () => {
    await writeRunWithRetriedSegment();
    const [raw] = await ledger.query(
      `SELECT COUNT(*) AS n FROM footprints WHERE footprint_kind = 'actual'`);
    assert.equal(raw?.['n'], 5);
    const [job] = await ledger.query(JOB_TOTALS_SQL);
    assert.equal(job?.['job_id'], 'r-77');
    assert.equal(job?.['segment_count'], 4);
    assert.ok(Math.abs(Number(job?.['actual_scope2_location_based_kgco2e']) -
      10) < 1e-9);
    assert.ok(Math.abs(Number(job?.['saved_total_kgco2e']) - 15) < 1e-9);
    assert.ok(Math.abs(Number(job?.['saved_scope2_percent']) - 60) < 1e-9);
  });

  it('totals per project and month and per region without duplicates',
    async () => {
      await writeRunWithRetriedSegment();
      const [month] = await ledger.query(PROJECT_MONTH_TOTALS_SQL);
      assert.equal(month?.['project_id'], 'ml-prod');
      assert.equal(month?.['segment_count'], 4);
      assert.ok(Math.abs(Number(month?.['actual_total_kgco2e']) - 10) < 1e-9);
      assert.ok(Math.abs(Number(month?.['counterfactual_total_kgco2e']) -
        25) < 1e-9);
      const regions = await ledger.query(REGION_TOTALS_SQL);
      assert.deepEqual(regions.map((row) => row['location_region']),
        ['europe-north1']);
      assert.ok(Math.abs(Number(regions[0]?.['scope2_location_based_kgco2e'])
        - 10) < 1e-9);
      // 10 kg over 4 x 1.1 kWh of facility energy.
      assert.ok(Math.abs(Number(regions[0]?.['intensity_gco2e_per_kwh']) -
        10_000 / 4.4) < 1e-9);
    });

  it('never sums a missing scope 2 figure as 0', async () => {
    await ledger.append('footprints', [
      footprintRow({job_id: 'j-gap', segment_index: 0, ...kilograms(500)}),
      footprintRow({
        job_id: 'j-gap', segment_index: 1, incomplete: true,
        carbon_footprint_scope2_location_based_kgco2e: null,
        carbon_footprint_total_location_based_kgco2e: null,
      }),
    ]);
    const [job] = await ledger.query(JOB_TOTALS_SQL);
    assert.equal(job?.['incomplete_segment_count'], 1);
    assert.equal(job?.['actual_scope2_location_based_kgco2e'], null);
    assert.equal(job?.['saved_scope2_kgco2e'], null);
    const [region] = await ledger.query(REGION_TOTALS_SQL);
    assert.equal(region?.['rows_missing_scope2'], 1);
  });
});
