import assert from 'node:assert/strict';

import {
  compareWithCounterfactual,
  computeCounterfactual,
  type CounterfactualInputs,
} from '../../../shared/footprint/counterfactual.js';
import {embodiedCoefficientFor} from '../../../shared/footprint/embodied.js';
import {
  computeSegmentFootprint,
  type ObservedIntensity,
} from '../../../shared/footprint/segment-footprint.js';

const HOUR_MS = 3_600_000;
const T0 = Date.parse('2025-03-01T00:00:00Z');

function series(zone: string, values: number[]): ObservedIntensity {
  return {
    zone,
    basis: 'average-lifecycle',
    source: 'test:observed',
    points: values.map((value, index) => ({
      startMs: T0 + index * HOUR_MS,
      durationMs: HOUR_MS,
      gramsPerKilowattHour: value,
    })),
  };
}

// Home region: 500 g/kWh for hours 0-3, then 400.
const home = series('DE', [500, 500, 500, 500, 400, 400, 400, 400]);
const embodied = embodiedCoefficientFor('a2-highgpu-1g');

function inputs(
  overrides: Partial<CounterfactualInputs> = {},
): CounterfactualInputs {
  return {
    homeRegionId: 'europe-west3',
    submittedAtMs: T0 + HOUR_MS,
    earliestStartMs: T0 + 3 * HOUR_MS,
    workDurationMs: 2 * HOUR_MS,
    itPowerWatts: 1000,
    powerUsageEffectiveness: 1.1,
    intensity: home,
    embodied,
    ...overrides,
  };
}

describe('counterfactual', () => {
  it('starts at the later of submission and earliest start', () => {
    const later = computeCounterfactual(inputs());
    assert.equal(later.startMs, T0 + 3 * HOUR_MS);
    assert.equal(later.endMs, T0 + 5 * HOUR_MS);
    // 1 kWh at 500 + 1 kWh at 400, x 1.1.
    assert.ok(Math.abs((later.locationBasedGrams ?? 0) - 990) < 1e-9);
    const noEarliest = computeCounterfactual(inputs({earliestStartMs: null}));
    assert.equal(noEarliest.startMs, T0 + HOUR_MS);
  });

  it('reports saved grams and percent for scope 2 and the total', () => {
    const clean = series('SE', [50, 50, 50, 50, 50, 50, 50, 50]);
    const actualSegments = [
      [T0 + 5 * HOUR_MS, T0 + 6 * HOUR_MS],
      [T0 + 7 * HOUR_MS, T0 + 8 * HOUR_MS],
    ].map(([startMs, endMs]) => computeSegmentFootprint({
      regionId: 'europe-north1',
      startMs: startMs as number,
      endMs: endMs as number,
      itPowerWatts: 1000,
      powerUsageEffectiveness: 1.1,
      intensity: clean,
      embodied,
    }));
    const comparison = compareWithCounterfactual(actualSegments,
      computeCounterfactual(inputs()));
    assert.equal(comparison.actual.segmentCount, 2);
    assert.ok(Math.abs((comparison.actual.locationBasedGrams ?? 0) - 110) <
      1e-9);
    assert.ok(Math.abs((comparison.savedScope2.grams ?? 0) - 880) < 1e-9);
    assert.ok(Math.abs((comparison.savedScope2.percent ?? 0) - 88.888888888)
      < 1e-6);
    // Embodied is the same 2 h of the same hardware on both sides.
    const embodiedGrams = ((5465.5 * 2) / 35_040 / 16) * 1000;
    assert.ok(Math.abs((comparison.actual.embodiedGrams ?? 0) -
      embodiedGrams) < 1e-9);
    assert.ok(Math.abs((comparison.savedTotal.grams ?? 0) - 880) < 1e-9);
    const totalPercent = (880 / (990 + embodiedGrams)) * 100;
    assert.ok(Math.abs((comparison.savedTotal.percent ?? 0) - totalPercent)
      < 1e-9);
  });

  it('reports no saving when an actual segment is incomplete', () => {
    const gappy = series('SE', [50]);
    const incomplete = computeSegmentFootprint({
      regionId: 'europe-north1', startMs: T0, endMs: T0 + 2 * HOUR_MS,
      itPowerWatts: 1000, powerUsageEffectiveness: 1.1, intensity: gappy,
      embodied,
    });
    const comparison = compareWithCounterfactual([incomplete],
      computeCounterfactual(inputs()));
    assert.equal(comparison.actual.incomplete, true);
    assert.deepEqual(comparison.savedScope2, {grams: null, percent: null});
  });
});
