import assert from 'node:assert/strict';

import {computeSegmentFootprint} from
  '../../../shared/footprint/segment-footprint.js';
import {toFootprintRow, usageMonthOf} from
  '../../../shared/ledger/footprint-rows.js';
import {checkLedgerRows} from '../../../shared/ledger/row-check.js';

const T0 = Date.parse('2025-03-31T23:00:00Z');

describe('footprint rows', () => {
  const footprint = computeSegmentFootprint({
    regionId: 'europe-west4',
    startMs: T0,
    endMs: T0 + 3_600_000,
    itPowerWatts: 2000,
    powerUsageEffectiveness: 1.1,
    intensity: {zone: 'NL', basis: 'average-lifecycle', source: 'test',
      points: [{startMs: T0, durationMs: 3_600_000,
        gramsPerKilowattHour: 250}]},
    embodied: null,
  });

  it('keys a segment row by job and segment index', () => {
    const row = toFootprintRow(footprint,
      {jobId: 'r-77', projectId: 'ml-prod', recordedAtMs: T0},
      {footprintKind: 'actual', segmentIndex: 3});
    assert.equal(row.insert_id, 'r-77:3');
    assert.equal(row.usage_month, '2025-03-01');
    assert.ok(Math.abs((row.carbon_footprint_scope2_location_based_kgco2e ??
      0) - 0.55) < 1e-12);
    assert.equal(row.carbon_footprint_total_location_based_kgco2e, null);
    assert.equal(row.carbon_footprint_scope3_kgco2e, null);
    checkLedgerRows('footprints', [row]);
  });

  it('keys the counterfactual row by job alone', () => {
    const row = toFootprintRow(footprint,
      {jobId: 'r-77', projectId: 'ml-prod', recordedAtMs: T0},
      {footprintKind: 'counterfactual'});
    assert.equal(row.insert_id, 'r-77:counterfactual');
    assert.equal(row.segment_index, 0);
  });

  it('names the UTC month an instant falls in', () => {
    assert.equal(usageMonthOf(Date.parse('2025-12-31T23:59:59Z')),
      '2025-12-01');
  });
});
