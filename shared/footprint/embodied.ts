/**
 * Embodied (scope 3) emissions of the hardware a job reserves, amortised
 * by time and by resource share (SCI: M = TE x TiR/EL x RR/ToR), from the
 * CCF embodied coefficients per server platform.
 */
import {
  PLATFORM_ACCELERATOR_COUNTS,
  fixedAcceleratorsOf,
} from './accelerators.js';
import {InvalidFootprintInputError} from './footprint-errors.js';
import {HARDWARE_FILES, loadHardwareCatalog} from './hardware-catalog.js';
import {findMachineType} from './hardware-power.js';

/** CCF's server lifespan: 4 years of 8,760 hours. */
export const CCF_SERVER_LIFESPAN_HOURS = 4 * 8760;

/**
 * CCF's component figures (kgCO2e), as its GCP embodied coefficients
 * decompose: base server, memory beyond the base 16 GB, each CPU beyond
 * the first, each GPU, and the local storage of GPU platforms.
 */
export const CCF_COMPONENT_KILOGRAMS = {
  baseServer: 1000,
  perGigabyteAboveBase: 533 / 384,
  baseMemoryGigabytes: 16,
  perAdditionalCpu: 100,
  perGpu: 150,
  gpuPlatformStorage: 100,
} as const;

/** What a share of a platform's embodied emissions is computed from. */
export interface EmbodiedShareInputs {
  /** TE: embodied emissions of the whole server platform, kgCO2e. */
  readonly platformEmbodiedKilograms: number;
  /** EL: the platform's expected life, hours. */
  readonly lifespanHours: number;
  /** RR: units reserved (GPUs, or vCPUs for CPU-only machines). */
  readonly reservedUnits: number;
  /** ToR: units on the platform. */
  readonly platformUnits: number;
}

/** A machine type's embodied coefficient and how it was obtained. */
export interface EmbodiedCoefficient extends EmbodiedShareInputs {
  readonly machineType: string;
  readonly shareUnit: 'gpu' | 'vcpu';
  /** Read from the CCF table, or derived with its component figures. */
  readonly method: 'ccf-coefficient' | 'ccf-component-method';
  readonly source: {readonly file: string; readonly note: string};
}

/**
 * Grams of embodied emissions for holding `reservedUnits` of a platform
 * for `reservedHours` (TiR): TE x TiR/EL x RR/ToR, kg to g.
 */
export function embodiedShareGrams(
  inputs: EmbodiedShareInputs,
  reservedHours: number,
): number {
  checkPositive('platformEmbodiedKilograms', inputs.platformEmbodiedKilograms);
  checkPositive('lifespanHours', inputs.lifespanHours);
  checkPositive('platformUnits', inputs.platformUnits);
  if (!(inputs.reservedUnits > 0) ||
      inputs.reservedUnits > inputs.platformUnits) {
    throw new InvalidFootprintInputError(
      'reservedUnits',
      `${inputs.reservedUnits} of ${inputs.platformUnits} units`,
      'more than 0 and at most platformUnits',
    );
  }
  if (!Number.isFinite(reservedHours) || reservedHours < 0) {
    throw new InvalidFootprintInputError(
      'reservedHours', `${reservedHours}`, 'a finite number of hours >= 0');
  }
  const timeShare = reservedHours / inputs.lifespanHours;
  const resourceShare = inputs.reservedUnits / inputs.platformUnits;
  return inputs.platformEmbodiedKilograms * timeShare * resourceShare * 1000;
}

/**
 * The embodied coefficient of a machine type: the CCF table row where it
 * has one, otherwise CCF's component figures applied to the platform.
 *
 * @throws UnknownHardwareError - machine type not in the shipped tables
 */
export function embodiedCoefficientFor(
  machineType: string,
): EmbodiedCoefficient {
  const machine = findMachineType(machineType);
  const fixed = fixedAcceleratorsOf(machineType);
  const platformGpus = PLATFORM_ACCELERATOR_COUNTS[machine.platform];
  const share =
    fixed && platformGpus
      ? {shareUnit: 'gpu' as const, reservedUnits: fixed.acceleratorCount,
        platformUnits: platformGpus}
      : {shareUnit: 'vcpu' as const, reservedUnits: machine.vcpuCount,
        platformUnits: platformVcpuCount(machine.platform)};
  const tabled = tabledKilograms(machineType, machine.microarchitecture);
  if (tabled !== null) {
    return {
      machineType, ...share, lifespanHours: CCF_SERVER_LIFESPAN_HOURS,
      platformEmbodiedKilograms: tabled, method: 'ccf-coefficient',
      source: {file: HARDWARE_FILES.embodied, note: `row type=${machineType}`},
    };
  }
  return {
    machineType, ...share, lifespanHours: CCF_SERVER_LIFESPAN_HOURS,
    platformEmbodiedKilograms: componentKilograms(machine.platform,
      platformGpus ?? 0),
    method: 'ccf-component-method',
    // TODO(footprint): derived, not published; replace when the CCF
    // embodied table lists A3, A2 Ultra and G2 platforms.
    source: {
      file: HARDWARE_FILES.machineTypes,
      note:
        `no CCF embodied row for ${machineType}; CCF component figures ` +
        `applied to the largest ${machine.platform} machine, 2 CPUs, ` +
        `${platformGpus ?? 0} GPUs`,
    },
  };
}

/** Embodied grams of one machine type held for `reservedHours`. */
export function estimateEmbodiedEmissions(
  machineType: string,
  reservedHours: number,
): {grams: number; coefficient: EmbodiedCoefficient} {
  const coefficient = embodiedCoefficientFor(machineType);
  return {grams: embodiedShareGrams(coefficient, reservedHours), coefficient};
}

function tabledKilograms(
  machineType: string,
  microarchitecture: string,
): number | null {
  const rows = loadHardwareCatalog().embodied.get(machineType) ?? [];
  if (rows.length === 0) return null;
  const exact = rows.find((row) => row.microarchitecture === microarchitecture);
  if (exact) return exact.totalKilograms;
  const sum = rows.reduce((total, row) => total + row.totalKilograms, 0);
  return sum / rows.length;
}

function platformRecords(platform: string) {
  const records = [...loadHardwareCatalog().machineTypes.values()];
  return records.filter((record) => record.platform === platform);
}

function platformVcpuCount(platform: string): number {
  return Math.max(...platformRecords(platform).map((r) => r.vcpuCount));
}

// CCF's decomposition applied to the largest machine of the platform.
function componentKilograms(platform: string, gpuCount: number): number {
  const figures = CCF_COMPONENT_KILOGRAMS;
  const memoryGigabytes = Math.max(
    ...platformRecords(platform).map((r) => r.memoryGigabytes),
  );
  const extraMemory =
    Math.max(0, memoryGigabytes - figures.baseMemoryGigabytes);
  return (
    figures.baseServer +
    extraMemory * figures.perGigabyteAboveBase +
    figures.perAdditionalCpu +
    gpuCount * figures.perGpu +
    (gpuCount > 0 ? figures.gpuPlatformStorage : 0)
  );
}

function checkPositive(field: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidFootprintInputError(
      field, `${value} is not a positive number`, 'a finite number > 0');
  }
}
