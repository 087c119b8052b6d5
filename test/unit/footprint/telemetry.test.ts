import assert from 'node:assert/strict';

import {
  energyFromCounter,
  energyFromPower,
  measuredEnergy,
} from '../../../shared/footprint/telemetry.js';

const T0 = Date.parse('2022-06-14T00:00:00Z');
const HOUR = 3_600_000;

describe('measured energy from trainer telemetry', () => {
  it('takes counter differences: 3.6 MJ over an hour is 1 kWh', () => {
    const samples = energyFromCounter([
      {atMs: T0, joules: 1_000},
      {atMs: T0 + HOUR, joules: 3_601_000},
    ]);
    assert.deepEqual(samples, [
      {startMs: T0, durationMs: HOUR, itKilowattHours: 1},
    ]);
  });

  it('integrates power samples by trapezoids', () => {
    // 600 W then 1000 W an hour later: 800 Wh.
    const samples = energyFromPower([
      {atMs: T0 + HOUR, watts: 1000},
      {atMs: T0, watts: 600},
    ]);
    assert.equal(samples.length, 1);
    assert.ok(Math.abs(samples[0]!.itKilowattHours - 0.8) < 1e-12);
  });

  it('falls back to power integration for an unsupported counter', () => {
    const measured = measuredEnergy({
      energyCounter: [{atMs: T0, joules: null}, {atMs: T0 + HOUR,
        joules: null}],
      power: [{atMs: T0, watts: 500}, {atMs: T0 + HOUR, watts: 500}],
    });
    assert.equal(measured.method, 'power-integration');
    assert.ok(Math.abs(measured.samples[0]!.itKilowattHours - 0.5) < 1e-12);
  });

  it('refuses a counter that goes backwards (a reset)', () => {
    assert.equal(energyFromCounter([
      {atMs: T0, joules: 5_000_000},
      {atMs: T0 + HOUR, joules: 1_000},
    ]), null);
  });

  it('measures nothing, rather than 0, without telemetry', () => {
    assert.deepEqual(measuredEnergy({}), {method: 'none', samples: []});
  });
});
