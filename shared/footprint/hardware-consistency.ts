/**
 * Whether a machine type can carry the accelerators a job asks for, from
 * the same tables the power model reads: the accelerator-optimized
 * machine types with their built-in GPUs (A3, A2, G2), and the N1 family
 * to which T4 GPUs are attached. One check, used at intake (the job
 * request rules) and by the power model.
 */
import {
  ATTACHABLE_GPU_COUNTS,
  fixedAcceleratorsOf,
  knownAcceleratorMachineTypes,
} from './accelerators.js';

/** The hardware block of a job, as far as the check needs it. */
export interface HardwareChoice {
  readonly machineType: string;
  /** Vertex AI enum name; null for a machine without accelerators. */
  readonly acceleratorType: string | null;
  /** Accelerators per replica; 0 for none. */
  readonly acceleratorCount: number;
}

/** One inconsistency: the hardware field at fault, what and what to do. */
export interface HardwareProblem {
  readonly field: 'machineType' | 'acceleratorType' | 'acceleratorCount';
  readonly problem: string;
}

/**
 * What is wrong with `choice`, or null when the machine type carries the
 * accelerators named (or the choice names none).
 */
export function hardwareProblem(
  choice: HardwareChoice,
): HardwareProblem | null {
  const {machineType, acceleratorType, acceleratorCount} = choice;

  // Accelerator-optimized machine types carry a fixed set.
  const fixed = fixedAcceleratorsOf(machineType);
  if (fixed) {
    const carries = `${machineType} carries ${fixed.acceleratorCount} x ` +
      `${fixed.acceleratorType}`;
    if (acceleratorType !== null && acceleratorType !== fixed.acceleratorType) {
      return {
        field: 'acceleratorType',
        problem: `${carries}, not ${acceleratorType}; use acceleratorType ` +
          `${fixed.acceleratorType}, or for ${acceleratorType} ` +
          carriersOf(acceleratorType, acceleratorCount),
      };
    }
    if (acceleratorCount !== 0 && acceleratorCount !== fixed.acceleratorCount) {
      const other = fixedCarriers(fixed.acceleratorType)
        .find((name) => fixedAcceleratorsOf(name)!.acceleratorCount ===
          acceleratorCount);
      return {
        field: 'acceleratorCount',
        problem: `${carries}, not ${acceleratorCount}; use acceleratorCount ` +
          `${fixed.acceleratorCount}` + (other
          ? ` or ${other} for ${acceleratorCount}`
          : `; no machine type carries ${acceleratorCount} x ` +
            `${fixed.acceleratorType} (${countsOf(fixed.acceleratorType)})`),
      };
    }
    return null;
  }
  if (acceleratorType === null || acceleratorCount === 0) return null;

  // Other families take attached GPUs (N1 + T4) or none at all.
  const family = machineType.split('-')[0] ?? '';
  const attachable = ATTACHABLE_GPU_COUNTS[family];
  const counts = attachable?.[acceleratorType];
  if (!attachable || !counts) {
    const takes = attachable
      ? `can carry only attached ${Object.keys(attachable).join(', ')}`
      : 'takes no accelerators';
    return {
      field: 'machineType',
      problem: `${machineType} ${takes}, not ${acceleratorType}; for ` +
        `${acceleratorCount} x ${acceleratorType} ` +
        carriersOf(acceleratorType, acceleratorCount),
    };
  }
  if (!counts.includes(acceleratorCount)) {
    return {
      field: 'acceleratorCount',
      problem: `${machineType} takes ${orList(counts)} attached ` +
        `${acceleratorType}, not ${acceleratorCount}; use acceleratorCount ` +
        orList(counts),
    };
  }
  return null;
}

// "use a3-highgpu-2g", or every machine type that can carry the type.
function carriersOf(acceleratorType: string, acceleratorCount: number): string {
  const fixed = fixedCarriers(acceleratorType);
  const exact = fixed.find((name) =>
    fixedAcceleratorsOf(name)!.acceleratorCount === acceleratorCount);
  if (exact) return `use ${exact}`;
  const attachedTo = Object.entries(ATTACHABLE_GPU_COUNTS)
    .filter(([, types]) => types[acceleratorType] !== undefined)
    .map(([family, types]) => `an ${family} machine type with ` +
      `${orList(types[acceleratorType]!)} attached`);
  const all = [...fixed, ...attachedTo];
  if (all.length === 0) return 'no machine type in the hardware data ' +
    'carries it';
  return all.length === 1 ? `use ${all[0]}` : `use one of ${all.join(', ')}`;
}

// Accelerator-optimized machine types carrying the type, fewest first.
function fixedCarriers(acceleratorType: string): string[] {
  return knownAcceleratorMachineTypes()
    .filter((name) =>
      fixedAcceleratorsOf(name)!.acceleratorType === acceleratorType)
    .sort((a, b) => fixedAcceleratorsOf(a)!.acceleratorCount -
      fixedAcceleratorsOf(b)!.acceleratorCount || a.localeCompare(b));
}

// "a3-highgpu-1g: 1, a3-highgpu-2g: 2, ..."
function countsOf(acceleratorType: string): string {
  const counts = fixedCarriers(acceleratorType).map((name) =>
    `${name}: ${fixedAcceleratorsOf(name)!.acceleratorCount}`);
  return counts.join(', ');
}

// "1, 2 or 4".
function orList(values: readonly number[]): string {
  return values.length < 2 ? values.join('') :
    `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}
