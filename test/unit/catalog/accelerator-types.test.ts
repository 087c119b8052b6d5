import assert from 'node:assert/strict';

import {
  ACCELERATOR_TYPES,
  vertexAcceleratorTypeFor,
} from '../../../shared/catalog/accelerator-types.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import {KNOWN_ACCELERATORS} from '../../../shared/footprint/accelerators.js';
import {jobRequestSchema} from '../../../shared/schemas/job-request.js';

describe('vertexAcceleratorTypeFor', () => {
  const cases = [
    {extractName: 'NVIDIA A100 40GB', expected: 'NVIDIA_TESLA_A100'},
    {extractName: 'NVIDIA A100 80GB', expected: 'NVIDIA_A100_80GB'},
    {extractName: 'NVIDIA H100 80GB', expected: 'NVIDIA_H100_80GB'},
    {extractName: 'NVIDIA L4', expected: 'NVIDIA_L4'},
    {extractName: 'NVIDIA T4', expected: 'NVIDIA_TESLA_T4'},
    {extractName: 'TPU v5e', expected: 'TPU_V5_LITEPOD'},
    {extractName: 'TPU v4', expected: 'TPU_V4_POD'},
    {extractName: 'TPU v5p', expected: null},
    {extractName: 'TPU v6e', expected: null},
  ];
  for (const testCase of cases) {
    it(`maps ${testCase.extractName} to ${testCase.expected}`, () => {
      assert.equal(vertexAcceleratorTypeFor(testCase.extractName),
        testCase.expected);
    });
  }
});

describe('ACCELERATOR_TYPES (what a job may ask for)', () => {
  it('is every type some shipped region offers and the power table ' +
      'prices, and nothing else', () => {
    const offered = new Set(loadRegionCatalog().regions
      .flatMap((region) => region.accelerators));
    const plannable = [...offered]
      .filter((type) => KNOWN_ACCELERATORS[type] !== undefined).sort();
    assert.deepEqual([...ACCELERATOR_TYPES].sort(), plannable);
    assert.ok(ACCELERATOR_TYPES.includes('NVIDIA_H100_80GB'));
  });

  it('is the list the job schema accepts', () => {
    const hardware = jobRequestSchema.shape.hardware.shape;
    assert.deepEqual(hardware.acceleratorType.options,
      [...ACCELERATOR_TYPES]);
  });
});
