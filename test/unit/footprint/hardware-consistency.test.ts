import assert from 'node:assert/strict';

import {hardwareProblem} from
  '../../../shared/footprint/hardware-consistency.js';

describe('hardwareProblem (machine type against accelerators)', () => {
  it('accepts a machine type with the accelerators it carries', () => {
    assert.equal(hardwareProblem({machineType: 'a3-highgpu-1g',
      acceleratorType: 'NVIDIA_H100_80GB', acceleratorCount: 1}), null);
    assert.equal(hardwareProblem({machineType: 'g2-standard-24',
      acceleratorType: 'NVIDIA_L4', acceleratorCount: 2}), null);
    assert.equal(hardwareProblem({machineType: 'n1-standard-8',
      acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 4}), null);
  });

  it('names the count a machine carries and the machine for the count ' +
      'asked', () => {
    const problem = hardwareProblem({machineType: 'a3-highgpu-1g',
      acceleratorType: 'NVIDIA_H100_80GB', acceleratorCount: 2});
    assert.equal(problem?.field, 'acceleratorCount');
    assert.equal(problem?.problem, 'a3-highgpu-1g carries 1 x ' +
      'NVIDIA_H100_80GB, not 2; use acceleratorCount 1 or a3-highgpu-2g ' +
      'for 2');
  });

  it('says no machine type carries a count none has, listing the counts',
    () => {
      const problem = hardwareProblem({machineType: 'a3-highgpu-1g',
        acceleratorType: 'NVIDIA_H100_80GB', acceleratorCount: 3});
      assert.equal(problem?.field, 'acceleratorCount');
      assert.equal(problem?.problem, 'a3-highgpu-1g carries 1 x ' +
        'NVIDIA_H100_80GB, not 3; use acceleratorCount 1; no machine type ' +
        'carries 3 x NVIDIA_H100_80GB (a3-highgpu-1g: 1, a3-highgpu-2g: 2, ' +
        'a3-highgpu-4g: 4, a3-highgpu-8g: 8)');
    });

  it('refuses an accelerator of another type than the machine carries',
    () => {
      const problem = hardwareProblem({machineType: 'a3-highgpu-8g',
        acceleratorType: 'NVIDIA_L4', acceleratorCount: 8});
      assert.equal(problem?.field, 'acceleratorType');
      assert.equal(problem?.problem, 'a3-highgpu-8g carries 8 x ' +
        'NVIDIA_H100_80GB, not NVIDIA_L4; use acceleratorType ' +
        'NVIDIA_H100_80GB, or for NVIDIA_L4 use g2-standard-96');
    });

  it('refuses an H100 on an N1 machine, naming the A3 machine for it', () => {
    const problem = hardwareProblem({machineType: 'n1-standard-4',
      acceleratorType: 'NVIDIA_H100_80GB', acceleratorCount: 1});
    assert.equal(problem?.field, 'machineType');
    assert.equal(problem?.problem, 'n1-standard-4 can carry only attached ' +
      'NVIDIA_TESLA_T4, not NVIDIA_H100_80GB; for 1 x NVIDIA_H100_80GB use ' +
      'a3-highgpu-1g');
  });

  it('refuses a T4 count an N1 machine cannot take', () => {
    const problem = hardwareProblem({machineType: 'n1-standard-8',
      acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 3});
    assert.equal(problem?.field, 'acceleratorCount');
    assert.equal(problem?.problem, 'n1-standard-8 takes 1, 2 or 4 ' +
      'attached NVIDIA_TESLA_T4, not 3; use acceleratorCount 1, 2 or 4');
  });

  it('refuses accelerators on a family that takes none', () => {
    const problem = hardwareProblem({machineType: 'e2-standard-4',
      acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1});
    assert.equal(problem?.field, 'machineType');
    assert.equal(problem?.problem, 'e2-standard-4 takes no accelerators, ' +
      'not NVIDIA_TESLA_T4; for 1 x NVIDIA_TESLA_T4 use an n1 machine ' +
      'type with 1, 2 or 4 attached');
  });
});
