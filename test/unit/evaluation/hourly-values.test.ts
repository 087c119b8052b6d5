import assert from 'node:assert/strict';
import {
  HOUR_MS,
  HourlyValues,
  hourlyValuesOf,
} from '../../../shared/evaluation/hourly-values.js';

const START_MS = Date.UTC(2022, 5, 1);

describe('HourlyValues (running totals of an hourly series)', () => {
  const values = new HourlyValues(START_MS,
    Float64Array.from([100, 200, Number.NaN, 400]));

  it('integrates over partial hours at both ends', () => {
    // half of hour 0 (50) + half of hour 1 (100)
    assert.equal(values.integralHours(START_MS + HOUR_MS / 2,
      START_MS + 1.5 * HOUR_MS), 150);
    assert.equal(values.meanBetween(START_MS, START_MS + 2 * HOUR_MS), 150);
  });

  it('answers null for a span touching a missing hour', () => {
    assert.equal(values.integralHours(START_MS + 1.5 * HOUR_MS,
      START_MS + 2.25 * HOUR_MS), null);
    assert.equal(values.integralHours(START_MS + 3 * HOUR_MS,
      START_MS + 4 * HOUR_MS), 400);
  });

  it('answers null outside the recorded hours', () => {
    assert.equal(values.integralHours(START_MS - HOUR_MS, START_MS), null);
    assert.equal(values.integralHours(START_MS, START_MS + 5 * HOUR_MS),
      null);
  });

  it('lays a series with a skipped hour on the grid as missing', () => {
    const laid = hourlyValuesOf({zone: 'XX', basis: 'average-lifecycle',
      kind: 'observed', source: 'test', points: [
        {startMs: START_MS, durationMs: HOUR_MS, gramsPerKilowattHour: 10},
        {startMs: START_MS + 2 * HOUR_MS, durationMs: HOUR_MS,
          gramsPerKilowattHour: 30}]});
    assert.equal(laid.valueOfHour(START_MS + HOUR_MS), null);
    assert.equal(laid.valueOfHour(START_MS + 2 * HOUR_MS), 30);
  });

  it('refuses a point that is not one hour long', () => {
    assert.throws(() => hourlyValuesOf({zone: 'XX',
      basis: 'average-lifecycle', kind: 'observed', source: 'test',
      points: [{startMs: START_MS, durationMs: HOUR_MS / 2,
        gramsPerKilowattHour: 10}]}), /traces\.XX\.points\[0\]/);
  });
});
