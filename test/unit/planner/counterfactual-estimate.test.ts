import assert from 'node:assert/strict';

import {estimateCounterfactual} from
  '../../../shared/planner/counterfactual-estimate.js';
import {at, HOUR_MS, regularSeries} from './series-fixtures.js';

const START_MS = at('2022-06-14T02:00:00Z');

describe('estimateCounterfactual (at once, at home, on the forecast)', () => {
  it('prices the work as average x IT power x hours x PUE', () => {
    const estimate = estimateCounterfactual({
      homeRegionId: 'europe-west3',
      forecast: {series: regularSeries(START_MS, HOUR_MS,
        [100, 200, 300, 400], {zone: 'DE'})},
      powerUsageEffectiveness: 1.1,
      startMs: START_MS,
      workMs: 2 * HOUR_MS,
      itPowerKilowatts: 2,
    });
    assert.equal(estimate.unknownReason, null);
    assert.ok(Math.abs(estimate.expectedEmissionsGrams! -
      150 * 2 * 2 * 1.1) < 1e-9);
  });

  it('says which region and stretch the forecast does not cover', () => {
    const estimate = estimateCounterfactual({
      homeRegionId: 'europe-west3',
      forecast: {series: regularSeries(START_MS, HOUR_MS, [100],
        {zone: 'DE'})},
      powerUsageEffectiveness: 1.1,
      startMs: START_MS,
      workMs: 3 * HOUR_MS,
      itPowerKilowatts: 1,
    });
    assert.equal(estimate.expectedEmissionsGrams, null);
    assert.equal(estimate.unknownReason, 'the DE forecast of europe-west3 ' +
      'does not cover 2022-06-14T02:00:00Z to 2022-06-14T05:00:00Z ' +
      '(beyond-coverage from 2022-06-14T03:00:00Z to 2022-06-14T05:00:00Z)');
  });

  it('passes on why there is no forecast for the home region', () => {
    const estimate = estimateCounterfactual({
      homeRegionId: 'us-central1',
      forecast: {series: null, reason: 'zone "US-MIDW-MISO" has no signal'},
      powerUsageEffectiveness: 1.1,
      startMs: START_MS,
      workMs: HOUR_MS,
      itPowerKilowatts: 1,
    });
    assert.equal(estimate.expectedEmissionsGrams, null);
    assert.equal(estimate.unknownReason, 'no forecast for us-central1: ' +
      'zone "US-MIDW-MISO" has no signal');
  });
});
