import assert from 'node:assert/strict';

import {
  vertexAcceleratorTypeFor,
} from '../../../shared/catalog/accelerator-types.js';

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
