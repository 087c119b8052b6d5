import assert from 'node:assert/strict';

import {
  HardwareMismatchError,
  InvalidFootprintInputError,
  UnknownHardwareError,
} from '../../../shared/footprint/footprint-errors.js';
import {estimatePowerDraw} from '../../../shared/footprint/hardware-power.js';

describe('estimatePowerDraw', () => {
  it('sums GPU TDP, interpolated CPU and memory of a3-highgpu-8g', () => {
    const draw = estimatePowerDraw({
      machineType: 'a3-highgpu-8g',
      acceleratorType: 'NVIDIA_H100_80GB',
      acceleratorCount: 8,
    });
    assert.equal(draw.gpu.watts, 8 * 700);
    assert.deepEqual(draw.gpu.utilisation, {fraction: 1, assumed: true});
    assert.equal(draw.gpu.source?.row, 'H100 SXM');
    // CCF Emerald Rapids: 0.814 W idle, 4.382 W at 100 %, 208 vCPUs, 50 %.
    assert.equal(draw.cpu.vcpuCount, 208);
    assert.equal(draw.cpu.microarchitecture, 'Emerald Rapids');
    assert.ok(Math.abs(draw.cpu.watts - 540.35) < 0.01);
    assert.deepEqual(draw.cpu.utilisation, {fraction: 0.5, assumed: true});
    assert.equal(draw.memory.wattsPerGigabyte, 0.3725);
    assert.equal(draw.memory.method, 'green-algorithms-memory-power');
    assert.ok(Math.abs(draw.memory.watts - 1872 * 0.3725) < 1e-9);
    const sum = draw.gpu.watts + draw.cpu.watts + draw.memory.watts;
    assert.equal(draw.totalWatts, sum);
  });

  it('applies a given utilisation and states it was not assumed', () => {
    const draw = estimatePowerDraw({
      machineType: 'a3-highgpu-1g',
      utilisation: {gpuFraction: 0.6, cpuFraction: 1},
    });
    assert.ok(Math.abs(draw.gpu.watts - 420) < 1e-9);
    assert.deepEqual(draw.gpu.utilisation, {fraction: 0.6, assumed: false});
    assert.ok(Math.abs(draw.cpu.watts - 26 * 4.3816792499999995) < 1e-9);
  });

  it('knows every required accelerator machine type', () => {
    const expected: Array<[string, string, number, number]> = [
      ['a3-highgpu-1g', 'NVIDIA_H100_80GB', 1, 700],
      ['a3-highgpu-2g', 'NVIDIA_H100_80GB', 2, 1400],
      ['a3-highgpu-4g', 'NVIDIA_H100_80GB', 4, 2800],
      ['a3-highgpu-8g', 'NVIDIA_H100_80GB', 8, 5600],
      ['a2-ultragpu-1g', 'NVIDIA_A100_80GB', 1, 400],
      ['a2-highgpu-1g', 'NVIDIA_TESLA_A100', 1, 400],
      ['g2-standard-4', 'NVIDIA_L4', 1, 72],
      ['g2-standard-24', 'NVIDIA_L4', 2, 144],
      ['g2-standard-96', 'NVIDIA_L4', 8, 576],
    ];
    for (const [machineType, acceleratorType, count, gpuWatts] of expected) {
      const draw = estimatePowerDraw({machineType});
      assert.equal(draw.gpu.acceleratorType, acceleratorType, machineType);
      assert.equal(draw.gpu.acceleratorCount, count, machineType);
      assert.equal(draw.gpu.watts, gpuWatts, machineType);
      assert.ok(draw.cpu.watts > 0 && draw.memory.watts > 0, machineType);
    }
  });

  it('attaches T4 GPUs to an N1 machine', () => {
    const draw = estimatePowerDraw({
      machineType: 'n1-standard-8',
      acceleratorType: 'NVIDIA_TESLA_T4',
      acceleratorCount: 2,
    });
    assert.equal(draw.gpu.watts, 140);
  });

  it('rejects an unknown accelerator by name, listing the known ones', () => {
    assert.throws(
      () => estimatePowerDraw({
        machineType: 'n1-standard-8',
        acceleratorType: 'NVIDIA_B300',
        acceleratorCount: 1,
      }),
      (error: unknown) =>
        error instanceof UnknownHardwareError &&
        error.field === 'acceleratorType' &&
        /NVIDIA_B300/.test(error.message) &&
        /NVIDIA_H100_80GB/.test(error.message) &&
        error.known.includes('NVIDIA_L4'),
    );
  });

  it('rejects an unknown machine type instead of returning 0 W', () => {
    assert.throws(
      () => estimatePowerDraw({machineType: 'a9-highgpu-8g'}),
      (error: unknown) =>
        error instanceof UnknownHardwareError &&
        /a9-highgpu-8g/.test(error.message) &&
        /a3-highgpu-8g/.test(error.message),
    );
  });

  it('rejects accelerators that the machine type does not carry', () => {
    assert.throws(
      () => estimatePowerDraw({
        machineType: 'a3-highgpu-8g',
        acceleratorType: 'NVIDIA_L4',
        acceleratorCount: 8,
      }),
      HardwareMismatchError,
    );
    assert.throws(
      () => estimatePowerDraw({
        machineType: 'a3-highgpu-8g',
        acceleratorType: 'NVIDIA_H100_80GB',
        acceleratorCount: 4,
      }),
      HardwareMismatchError,
    );
  });

  it('rejects a utilisation outside the unit interval', () => {
    assert.throws(
      () => estimatePowerDraw({machineType: 'g2-standard-8', utilisation: 1.5}),
      InvalidFootprintInputError,
    );
  });
});
