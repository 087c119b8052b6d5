/**
 * Which GPUs the footprint model knows, by Vertex AI accelerator enum name,
 * and which machine types carry a fixed set of them.
 */

/** How a Vertex AI accelerator maps to a row of the GPU power table. */
export interface AcceleratorPowerMapping {
  /** The `name` of the row in data/hardware/mlco2_impact_gpus.csv. */
  readonly gpuPowerModel: string;
  /** Why that row stands for this accelerator, when it is not exact. */
  readonly note?: string;
}

/** The accelerators with a shipped power coefficient. */
export const KNOWN_ACCELERATORS: Readonly<
  Record<string, AcceleratorPowerMapping>
> = {
  NVIDIA_H100_80GB: {gpuPowerModel: 'H100 SXM'},
  NVIDIA_H100_MEGA_80GB: {gpuPowerModel: 'H100 SXM'},
  NVIDIA_A100_80GB: {gpuPowerModel: 'A100 SXM4 80 GB'},
  NVIDIA_TESLA_A100: {
    gpuPowerModel: 'A100 SXM4 80 GB',
    note:
      'A100 40GB on GCP is the SXM4 board; the table has no SXM4 40GB row ' +
      'and NVIDIA rates both SXM4 boards at the same 400 W',
  },
  NVIDIA_L4: {gpuPowerModel: 'L4'},
  NVIDIA_TESLA_T4: {gpuPowerModel: 'T4'},
};

/** A machine type's built-in accelerators. */
export interface FixedAccelerators {
  readonly acceleratorType: string;
  readonly acceleratorCount: number;
}

const G2_STANDARD_GPU_COUNTS: Readonly<Record<string, number>> = {
  'g2-standard-4': 1,
  'g2-standard-8': 1,
  'g2-standard-12': 1,
  'g2-standard-16': 1,
  'g2-standard-24': 2,
  'g2-standard-32': 1,
  'g2-standard-48': 4,
  'g2-standard-96': 8,
};

const SUFFIXED_FAMILIES: ReadonlyArray<[RegExp, string]> = [
  [/^a3-highgpu-(1|2|4|8)g$/, 'NVIDIA_H100_80GB'],
  [/^a3-megagpu-(8)g$/, 'NVIDIA_H100_MEGA_80GB'],
  [/^a2-ultragpu-(1|2|4|8)g$/, 'NVIDIA_A100_80GB'],
  [/^a2-highgpu-(1|2|4|8)g$/, 'NVIDIA_TESLA_A100'],
];

/**
 * The accelerators an accelerator-optimized machine type always has
 * (A3, A2, G2, per cloud.google.com/compute/docs/gpus); null for other
 * machine types.
 */
export function fixedAcceleratorsOf(
  machineType: string,
): FixedAccelerators | null {
  const g2Count = G2_STANDARD_GPU_COUNTS[machineType];
  if (g2Count !== undefined) {
    return {acceleratorType: 'NVIDIA_L4', acceleratorCount: g2Count};
  }
  for (const [pattern, acceleratorType] of SUFFIXED_FAMILIES) {
    const match = pattern.exec(machineType);
    if (match) {
      return {acceleratorType, acceleratorCount: Number(match[1])};
    }
  }
  return null;
}

/** Every accelerator-optimized machine type the model knows. */
export function knownAcceleratorMachineTypes(): string[] {
  const names = Object.keys(G2_STANDARD_GPU_COUNTS);
  for (const prefix of ['a3-highgpu', 'a2-ultragpu', 'a2-highgpu']) {
    for (const count of [1, 2, 4, 8]) names.push(`${prefix}-${count}g`);
  }
  names.push('a3-megagpu-8g');
  return names.sort();
}

/**
 * GPUs attached separately, by machine family: type and the counts one
 * VM takes (N1 + T4: 1, 2 or 4, per cloud.google.com/compute/docs/gpus).
 */
export const ATTACHABLE_GPU_COUNTS: Readonly<
  Record<string, Readonly<Record<string, readonly number[]>>>
> = {
  n1: {NVIDIA_TESLA_T4: [1, 2, 4]},
};

/**
 * GPUs on one physical server of each accelerator platform, the divisor of
 * the embodied resource share. a2-highgpu counts 16 because the CCF a2
 * embodied coefficient describes the 16-GPU a2-megagpu server (its
 * additional_gpus and memory are those of 16 GPUs and 1,360 GB).
 */
export const PLATFORM_ACCELERATOR_COUNTS: Readonly<Record<string, number>> = {
  'a2-highgpu': 16,
  'a2-ultragpu': 8,
  'a3-highgpu': 8,
  'a3-megagpu': 8,
  'g2-standard': 8,
};
