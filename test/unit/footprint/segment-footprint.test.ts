import assert from 'node:assert/strict';

import {embodiedCoefficientFor} from '../../../shared/footprint/embodied.js';
import {
  InvalidFootprintInputError,
  UnmappedRegionError,
} from '../../../shared/footprint/footprint-errors.js';
import {
  computeSegmentFootprint,
  recomputeSegmentFootprint,
  type ObservedIntensity,
  type SegmentFootprintInputs,
} from '../../../shared/footprint/segment-footprint.js';

const HOUR_MS = 3_600_000;
const T0 = Date.parse('2025-03-01T10:00:00Z');

function hourlySeries(values: Array<number | null>): ObservedIntensity {
  return {
    zone: 'NL',
    basis: 'average-lifecycle',
    kind: 'observed',
    source: 'test:observed',
    points: values.map((value, index) => ({
      startMs: T0 + index * HOUR_MS,
      durationMs: HOUR_MS,
      gramsPerKilowattHour: value,
    })),
  };
}

function segment(
  overrides: Partial<SegmentFootprintInputs>,
): SegmentFootprintInputs {
  return {
    regionId: 'europe-west4',
    startMs: T0,
    endMs: T0 + 2 * HOUR_MS,
    itPowerWatts: 1000,
    powerUsageEffectiveness: 1,
    intensity: hourlySeries([100, 200, 300]),
    embodied: null,
    ...overrides,
  };
}

const close = (actual: number | null, expected: number, tolerance = 1e-9) =>
  actual !== null && Math.abs(actual - expected) <= tolerance;

describe('computeSegmentFootprint', () => {
  it('weights intensity by energy, not by the hourly mean (C18)', () => {
    const footprint = computeSegmentFootprint(segment({
      powerUsageEffectiveness: 1.1,
      intensity: hourlySeries([1500, 300]),
      telemetry: [
        {startMs: T0, durationMs: HOUR_MS, itKilowattHours: 8},
        {startMs: T0 + HOUR_MS, durationMs: HOUR_MS, itKilowattHours: 32},
      ],
    }));
    assert.equal(footprint.energySource, 'telemetry');
    assert.ok(close(footprint.itEnergyKilowattHours, 40));
    assert.ok(close(footprint.intensityGramsPerKilowattHour, 540));
    assert.ok(close(footprint.locationBasedGrams, 23_760, 1e-6));
    assert.ok(!close(footprint.locationBasedGrams, 39_600, 1));
  });

  it('applies PUE exactly once and keeps CFE apart (C19)', () => {
    const footprint = computeSegmentFootprint(segment({
      endMs: T0 + 10 * HOUR_MS,
      powerUsageEffectiveness: 1.1,
      intensity: hourlySeries(Array<number>(10).fill(300)),
      telemetry: [
        {startMs: T0, durationMs: 10 * HOUR_MS, itKilowattHours: 120},
      ],
      carbonFreeEnergyFraction: 0.9,
    }));
    assert.ok(close(footprint.itEnergyKilowattHours, 120));
    assert.equal(footprint.powerUsageEffectiveness, 1.1);
    assert.ok(close(footprint.facilityEnergyKilowattHours, 132, 1e-9));
    assert.ok(close(footprint.facilityEnergyKilowattHours /
      footprint.itEnergyKilowattHours, 1.1, 1e-12));
    assert.ok(close(footprint.locationBasedGrams, 39_600, 1e-6));
    assert.ok(!close(footprint.locationBasedGrams, 43_560, 1));
    assert.equal(footprint.carbonFreeEnergyAdjusted?.label,
      'cfe-adjusted, not location-based');
    assert.ok(close(footprint.carbonFreeEnergyAdjusted?.grams ?? null, 3960,
      1e-6));
  });

  it('equals the time-weighted mean over partial intervals at constant power',
    () => {
      const footprint = computeSegmentFootprint(segment({
        startMs: T0 + HOUR_MS / 2,
        endMs: T0 + 2.5 * HOUR_MS,
      }));
      // 0.5 h at 100, 1 h at 200, 0.5 h at 300 -> 200 g/kWh over 2 kWh.
      assert.equal(footprint.energySource, 'model');
      assert.ok(close(footprint.computeEnergyKilowattHours, 2));
      assert.ok(close(footprint.intensityGramsPerKilowattHour, 200));
      assert.ok(close(footprint.locationBasedGrams, 400));
      assert.equal(footprint.incomplete, false);
    });

  it('marks a segment over a null value incomplete, never 0 g', () => {
    const footprint = computeSegmentFootprint(segment({
      endMs: T0 + 3 * HOUR_MS,
      intensity: hourlySeries([100, null, 300]),
    }));
    assert.equal(footprint.incomplete, true);
    assert.deepEqual(footprint.missingIntervals,
      [{startMs: T0 + HOUR_MS, endMs: T0 + 2 * HOUR_MS}]);
    assert.equal(footprint.locationBasedGrams, null);
    assert.equal(footprint.totalGrams, null);
    assert.equal(footprint.intensityGramsPerKilowattHour, null);
    assert.ok(close(footprint.coveredComputeGrams, 400));
    assert.ok(close(footprint.computeEnergyKilowattHours, 3));
  });

  it('lists a stretch with no point at all as missing', () => {
    const footprint = computeSegmentFootprint(segment({
      endMs: T0 + 4 * HOUR_MS,
      intensity: hourlySeries([100, 200]),
    }));
    assert.deepEqual(footprint.missingIntervals,
      [{startMs: T0 + 2 * HOUR_MS, endMs: T0 + 4 * HOUR_MS}]);
  });

  it('charges an unmapped region at the labelled fallback factor (C33)',
    () => {
      const footprint = computeSegmentFootprint(segment({
        regionId: 'northamerica-south1',
        intensity: null,
        fallbackIntensity: {gramsPerKilowattHour: 450,
          source: 'config:fallback'},
        telemetry: [{startMs: T0, durationMs: 2 * HOUR_MS,
          itKilowattHours: 50}],
        powerUsageEffectiveness: 1.1,
      }));
      assert.equal(footprint.estimated, 'unmapped-region');
      assert.equal(footprint.intensitySource, 'config:fallback');
      assert.ok(close(footprint.locationBasedGrams, 50 * 1.1 * 450, 1e-6));
      assert.ok((footprint.locationBasedGrams ?? 0) > 0);
    });

  it('fails for an unmapped region without a fallback factor (C33)', () => {
    assert.throws(
      () => computeSegmentFootprint(segment({
        regionId: 'northamerica-south1', intensity: null})),
      (error: unknown) => error instanceof UnmappedRegionError &&
        /northamerica-south1/.test(error.message),
    );
    assert.throws(
      () => computeSegmentFootprint(segment({
        intensity: null,
        fallbackIntensity: {gramsPerKilowattHour: 0, source: 'config'},
      })),
      InvalidFootprintInputError,
    );
  });

  it('adds embodied grams for the segment duration', () => {
    const embodied = embodiedCoefficientFor('a2-highgpu-1g');
    const footprint = computeSegmentFootprint(segment({embodied}));
    const expected = ((5465.5 * 2) / 35_040 / 16) * 1000;
    assert.ok(close(footprint.embodiedGrams, expected));
    assert.ok(close(footprint.totalGrams,
      (footprint.locationBasedGrams ?? NaN) + expected));
  });

  it('charges transfer energy as IT energy at the segment intensity', () => {
    const footprint = computeSegmentFootprint(segment({
      intensity: hourlySeries([300, 300]),
      powerUsageEffectiveness: 1.1,
      transfer: {checkpointKilowattHours: 0.5},
    }));
    assert.ok(close(footprint.transferEnergyKilowattHours, 0.5));
    assert.ok(close(footprint.itEnergyKilowattHours, 2.5));
    assert.ok(close(footprint.transferGrams, 165, 1e-9));
    assert.ok(close(footprint.locationBasedGrams, 2.5 * 1.1 * 300, 1e-9));
  });

  it('refuses a forecast series', () => {
    assert.throws(
      () => computeSegmentFootprint(segment({
        intensity: {...hourlySeries([1, 2]), kind: 'forecast'},
      })),
      InvalidFootprintInputError,
    );
  });

  it('recomputes the same numbers from the inputs it carries', () => {
    const original = computeSegmentFootprint(segment({
      startMs: T0 + 1234,
      endMs: T0 + 2 * HOUR_MS + 777,
      intensity: hourlySeries([123.4, 234.5, 345.6, 456.7]),
      powerUsageEffectiveness: 1.09,
      embodied: embodiedCoefficientFor('a3-highgpu-8g'),
      carbonFreeEnergyFraction: 0.62,
      telemetry: [{startMs: T0, durationMs: HOUR_MS, itKilowattHours: 5.5}],
    }));
    const stored = JSON.parse(JSON.stringify(original.inputs));
    assert.equal(original.inputs.intensity?.points.length, 3);
    assert.deepEqual(recomputeSegmentFootprint(stored), original);
  });
});
