import assert from 'node:assert/strict';

import {
  CCF_SERVER_LIFESPAN_HOURS,
  embodiedCoefficientFor,
  embodiedShareGrams,
  estimateEmbodiedEmissions,
} from '../../../shared/footprint/embodied.js';
import {UnknownHardwareError} from
  '../../../shared/footprint/footprint-errors.js';

describe('embodied emissions', () => {
  it('shares a server by time and by resource (C20: 178.4 g)', () => {
    const grams = embodiedShareGrams(
      {
        platformEmbodiedKilograms: 2500,
        lifespanHours: 35_040,
        reservedUnits: 2,
        platformUnits: 8,
      },
      10,
    );
    assert.ok(Math.abs(grams - 178.4) < 0.05, `got ${grams}`);
    assert.notEqual(Math.round(grams * 10) / 10, 713.5);
  });

  it('uses a 4-year lifespan in hours', () => {
    assert.equal(CCF_SERVER_LIFESPAN_HOURS, 35_040);
  });

  it('reads the CCF coefficient of a2-highgpu-1g, 1 of 16 GPUs', () => {
    const {grams, coefficient} = estimateEmbodiedEmissions('a2-highgpu-1g', 10);
    assert.equal(coefficient.method, 'ccf-coefficient');
    assert.equal(coefficient.platformEmbodiedKilograms, 5465.5);
    assert.equal(coefficient.shareUnit, 'gpu');
    assert.equal(coefficient.reservedUnits, 1);
    assert.equal(coefficient.platformUnits, 16);
    const expected = ((5465.5 * 10) / 35_040 / 16) * 1000;
    assert.ok(Math.abs(grams - expected) < 1e-9);
  });

  it('derives and labels a coefficient for a3-highgpu-8g', () => {
    const coefficient = embodiedCoefficientFor('a3-highgpu-8g');
    assert.equal(coefficient.method, 'ccf-component-method');
    assert.equal(coefficient.reservedUnits, 8);
    assert.equal(coefficient.platformUnits, 8);
    // 1000 base + (1872 - 16) GB x 533/384 + 100 CPU + 8 x 150 + 100 disk.
    const expected = 1000 + 1856 * (533 / 384) + 100 + 1200 + 100;
    assert.ok(Math.abs(coefficient.platformEmbodiedKilograms - expected) <
      1e-9);
  });

  it('shares a CPU-only machine by vCPUs', () => {
    const coefficient = embodiedCoefficientFor('n1-standard-8');
    assert.equal(coefficient.shareUnit, 'vcpu');
    assert.equal(coefficient.reservedUnits, 8);
    assert.equal(coefficient.platformUnits, 96);
  });

  it('rejects an unknown machine type', () => {
    assert.throws(() => embodiedCoefficientFor('z9-mystery-1'),
      UnknownHardwareError);
  });
});
