import assert from 'node:assert/strict';

import {chooseBetweenPlans, planGramsOn} from
  '../../../functions/optimize-slot/keep-better-plan.js';
import type {ForecastBundle} from '../../../shared/jobs/forecast-bundle.js';
import type {StoredPlan} from '../../../shared/jobs/stored-plan.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2022-06-14T00:00:00Z');

// A fresh forecast: 300 g for 6 h, then 100 g, in one region (PUE 1.1).
const bundle: ForecastBundle = {
  jobId: 'j', requestId: 'j:plan:5', issuedAtMs: T0, provider: 'test',
  excluded: [],
  regions: [{
    regionId: 'europe-west4', zone: 'NL', powerUsageEffectiveness: 1.1,
    series: {zone: 'NL', basis: 'average-lifecycle', kind: 'forecast',
      source: 'test', issuedAtMs: T0,
      points: Array.from({length: 24}, (_, hour) => ({
        startMs: T0 + hour * HOUR, durationMs: HOUR,
        gramsPerKilowattHour: hour < 6 ? 300 : 100,
      }))},
  }],
};

function plan(startHour: number, requestId: string): StoredPlan {
  return {
    jobId: 'j', requestId, createdAtMs: T0, forecastsPointer: 'f',
    signalProvider: 'test', basis: 'average-lifecycle', mode: 'contiguous',
    segments: [{regionId: 'europe-west4', startMs: T0 + startHour * HOUR,
      endMs: T0 + (startHour + 2) * HOUR}],
    expectedEmissionsGrams: 0, averageGramsPerKilowattHour: 0,
    contiguousExpectedEmissionsGrams: 0, itPowerKilowatts: 2,
    totalSteps: 24, checkpointEverySteps: 6,
    counterfactual: {regionId: 'europe-west4', startMs: T0, endMs: T0,
      expectedEmissionsGrams: null},
    regionsConsidered: [], excluded: [], why: '',
  };
}

describe('re-planning while a job waits (optimize-slot)', () => {
  it('prices a plan on the fresh forecast: kW x PUE x hours x g/kWh', () => {
    assert.equal(planGramsOn(plan(6, 'a'), bundle), 2 * 1.1 * 2 * 100);
    assert.ok(Math.abs(planGramsOn(plan(5, 'a'), bundle)! -
      2 * 1.1 * (300 + 100)) < 1e-9);
  });

  it('replaces the waited-on plan when the fresh one is clearly better',
    () => {
      const decision = chooseBetweenPlans(plan(2, 'old'), plan(8, 'new'),
        bundle, T0 + 24 * HOUR, T0);
      assert.equal(decision.replace, true);
      assert.equal(decision.reason, 'better-by-threshold');
    });

  it('keeps the waited-on plan when the fresh one saves too little', () => {
    const decision = chooseBetweenPlans(plan(8, 'old'), plan(10, 'new'),
      bundle, T0 + 24 * HOUR, T0);
    assert.equal(decision.replace, false);
    assert.equal(decision.reason, 'not-better-enough');
  });

  it('keeps the waited-on plan when the fresh one saves under 1 %', () => {
    // Hours 10 and 11 are 0.5 % cleaner than the rest of the 100 g run.
    const region = bundle.regions[0]!;
    const nearlyFlat: ForecastBundle = {...bundle, regions: [{...region,
      series: {...region.series, points: region.series.points.map(
        (point, hour) => hour === 10 || hour === 11 ?
          {...point, gramsPerKilowattHour: 99.5} : point)}}]};

    const decision = chooseBetweenPlans(plan(8, 'old'), plan(10, 'new'),
      nearlyFlat, T0 + 24 * HOUR, T0);
    assert.equal(decision.replace, false);
    assert.equal(decision.reason, 'not-better-enough');
    assert.ok(decision.savingGrams! > 0);
  });

  it('never takes a fresh plan that ends after the deadline', () => {
    const decision = chooseBetweenPlans(plan(2, 'old'), plan(8, 'new'),
      bundle, T0 + 9 * HOUR, T0);
    assert.equal(decision.replace, false);
    assert.equal(decision.reason, 'fresh-misses-deadline');
  });
});
