/**
 * Power draw of a training machine from public methodology data: GPU
 * thermal design power x utilisation, CCF per-vCPU CPU power interpolated
 * at utilisation, and memory at a fixed power per GB.
 */
import {
  KNOWN_ACCELERATORS,
  fixedAcceleratorsOf,
  knownAcceleratorMachineTypes,
} from './accelerators.js';
import {
  HardwareMismatchError,
  InvalidFootprintInputError,
  UnknownHardwareError,
} from './footprint-errors.js';
import {hardwareProblem} from './hardware-consistency.js';
import {
  HARDWARE_FILES,
  loadHardwareCatalog,
  type MachineTypeRecord,
} from './hardware-catalog.js';

/** GPU utilisation assumed when none is given: training at full speed. */
export const DEFAULT_GPU_UTILISATION_FRACTION = 1;
/** CPU utilisation assumed when none is given (the CCF default average). */
export const DEFAULT_CPU_UTILISATION_FRACTION = 0.5;

/** Utilisation per device kind, each a fraction in [0, 1]. */
export interface UtilisationFractions {
  readonly gpuFraction?: number;
  readonly cpuFraction?: number;
}

/** What to estimate the draw of. */
export interface PowerDrawRequest {
  readonly machineType: string;
  /** Vertex AI enum name, e.g. NVIDIA_H100_80GB; absent for CPU only. */
  readonly acceleratorType?: string | null;
  readonly acceleratorCount?: number;
  /** One fraction for GPUs and CPUs, or one per device kind. */
  readonly utilisation?: number | UtilisationFractions;
}

/** Where a coefficient came from. */
export interface CoefficientSource {
  readonly file: string;
  /** The row (or variable) read. */
  readonly row: string;
  readonly note?: string;
}

/** A utilisation fraction and whether it was given or assumed. */
export interface StatedUtilisation {
  readonly fraction: number;
  readonly assumed: boolean;
}

/** GPU part of the draw. */
export interface GpuPowerDraw {
  readonly watts: number;
  readonly acceleratorType: string | null;
  readonly acceleratorCount: number;
  readonly tdpWattsPerDevice: number | null;
  readonly utilisation: StatedUtilisation;
  readonly source: CoefficientSource | null;
}

/** CPU part of the draw. */
export interface CpuPowerDraw {
  readonly watts: number;
  readonly vcpuCount: number;
  readonly microarchitecture: string;
  readonly minWattsPerVcpu: number;
  readonly maxWattsPerVcpu: number;
  readonly utilisation: StatedUtilisation;
  readonly source: CoefficientSource;
}

/** Memory part of the draw. */
export interface MemoryPowerDraw {
  readonly watts: number;
  readonly memoryGigabytes: number;
  readonly wattsPerGigabyte: number;
  /** Which memory coefficient was used. */
  readonly method: 'green-algorithms-memory-power';
  readonly source: CoefficientSource;
}

/** The estimated draw, with every coefficient's origin. */
export interface PowerDrawEstimate {
  readonly machineType: string;
  readonly gpu: GpuPowerDraw;
  readonly cpu: CpuPowerDraw;
  readonly memory: MemoryPowerDraw;
  /** IT power of the machine: GPU + CPU + memory, in watts. */
  readonly totalWatts: number;
}

/**
 * Estimates the IT power draw of one machine.
 *
 * @param request - machine type, accelerators and optional utilisation
 * @returns watts per component and in total, each with its source
 * @throws UnknownHardwareError - machine or accelerator type not shipped
 * @throws HardwareMismatchError - accelerators the machine cannot carry
 */
export function estimatePowerDraw(
  request: PowerDrawRequest,
): PowerDrawEstimate {
  const machine = findMachineType(request.machineType);
  const accelerators = resolveAccelerators(request);
  const gpuUtilisation = stateUtilisation(request.utilisation, 'gpu');
  const cpuUtilisation = stateUtilisation(request.utilisation, 'cpu');
  const gpu = estimateGpuDraw(accelerators, gpuUtilisation);
  const cpu = estimateCpuDraw(machine, cpuUtilisation);
  const memory = estimateMemoryDraw(machine);
  return {
    machineType: machine.machineType,
    gpu,
    cpu,
    memory,
    totalWatts: gpu.watts + cpu.watts + memory.watts,
  };
}

/** The shipped record of a machine type, or a typed error. */
export function findMachineType(machineType: string): MachineTypeRecord {
  const record = loadHardwareCatalog().machineTypes.get(machineType);
  if (!record) {
    // Accelerator machine types first: they are what training jobs use.
    const accelerated = knownAcceleratorMachineTypes();
    const others = [...loadHardwareCatalog().machineTypes.keys()]
      .filter((name) => !accelerated.includes(name))
      .sort();
    const known = [...accelerated, ...others];
    throw new UnknownHardwareError('machineType', machineType, known);
  }
  return record;
}

interface ResolvedAccelerators {
  readonly acceleratorType: string | null;
  readonly acceleratorCount: number;
}

// Checks the accelerators against the machine type and the GPU table.
function resolveAccelerators(request: PowerDrawRequest): ResolvedAccelerators {
  const acceleratorType = request.acceleratorType ?? null;
  const acceleratorCount = request.acceleratorCount ?? 0;
  if (!Number.isInteger(acceleratorCount) || acceleratorCount < 0) {
    throw new InvalidFootprintInputError(
      'acceleratorCount',
      `${acceleratorCount} is not a whole number of devices`,
      'an integer >= 0',
    );
  }
  if (acceleratorType !== null && !KNOWN_ACCELERATORS[acceleratorType]) {
    throw new UnknownHardwareError(
      'acceleratorType',
      acceleratorType,
      Object.keys(KNOWN_ACCELERATORS).sort(),
    );
  }
  const problem = hardwareProblem({machineType: request.machineType,
    acceleratorType, acceleratorCount});
  if (problem) {
    throw new HardwareMismatchError(
      `hardware.${problem.field}: ${problem.problem}`);
  }
  const fixed = fixedAcceleratorsOf(request.machineType);
  if (fixed) return fixed;
  if (acceleratorType === null || acceleratorCount === 0) {
    return {acceleratorType: null, acceleratorCount: 0};
  }
  return {acceleratorType, acceleratorCount};
}

function stateUtilisation(
  utilisation: PowerDrawRequest['utilisation'],
  kind: 'gpu' | 'cpu',
): StatedUtilisation {
  const given =
    typeof utilisation === 'number'
      ? utilisation
      : kind === 'gpu'
        ? utilisation?.gpuFraction
        : utilisation?.cpuFraction;
  if (given === undefined) {
    const fraction =
      kind === 'gpu'
        ? DEFAULT_GPU_UTILISATION_FRACTION
        : DEFAULT_CPU_UTILISATION_FRACTION;
    return {fraction, assumed: true};
  }
  if (!Number.isFinite(given) || given < 0 || given > 1) {
    throw new InvalidFootprintInputError(
      `utilisation.${kind}Fraction`,
      `${given} is outside the unit interval`,
      'a fraction from 0 to 1',
    );
  }
  return {fraction: given, assumed: false};
}

function estimateGpuDraw(
  accelerators: ResolvedAccelerators,
  utilisation: StatedUtilisation,
): GpuPowerDraw {
  const {acceleratorType, acceleratorCount} = accelerators;
  const mapping = acceleratorType ? KNOWN_ACCELERATORS[acceleratorType] : null;
  if (!mapping || acceleratorCount === 0) {
    return {
      watts: 0,
      acceleratorType: null,
      acceleratorCount: 0,
      tdpWattsPerDevice: null,
      utilisation,
      source: null,
    };
  }
  const record = loadHardwareCatalog().gpuPower.get(mapping.gpuPowerModel);
  if (!record) {
    throw new Error(
      `${HARDWARE_FILES.gpuPower}: row "${mapping.gpuPowerModel}" missing`,
    );
  }
  return {
    watts: record.tdpWatts * utilisation.fraction * acceleratorCount,
    acceleratorType,
    acceleratorCount,
    tdpWattsPerDevice: record.tdpWatts,
    utilisation,
    source: {
      file: HARDWARE_FILES.gpuPower,
      row: record.model,
      ...(mapping.note ? {note: mapping.note} : {}),
    },
  };
}

function estimateCpuDraw(
  machine: MachineTypeRecord,
  utilisation: StatedUtilisation,
): CpuPowerDraw {
  const catalog = loadHardwareCatalog();
  const record = catalog.cpuPower.get(machine.microarchitecture);
  if (!record) {
    throw new UnknownHardwareError(
      `microarchitecture of ${machine.machineType}`,
      machine.microarchitecture,
      [...catalog.cpuPower.keys()].sort(),
    );
  }
  const wattsPerVcpu =
    record.minWattsPerVcpu +
    utilisation.fraction * (record.maxWattsPerVcpu - record.minWattsPerVcpu);
  return {
    watts: wattsPerVcpu * machine.vcpuCount,
    vcpuCount: machine.vcpuCount,
    microarchitecture: record.microarchitecture,
    minWattsPerVcpu: record.minWattsPerVcpu,
    maxWattsPerVcpu: record.maxWattsPerVcpu,
    utilisation,
    source: {file: HARDWARE_FILES.cpuUse, row: record.microarchitecture},
  };
}

function estimateMemoryDraw(machine: MachineTypeRecord): MemoryPowerDraw {
  const wattsPerGigabyte = loadHardwareCatalog().memoryWattsPerGigabyte;
  return {
    watts: wattsPerGigabyte * machine.memoryGigabytes,
    memoryGigabytes: machine.memoryGigabytes,
    wattsPerGigabyte,
    method: 'green-algorithms-memory-power',
    source: {file: HARDWARE_FILES.referenceValues, row: 'memoryPower'},
  };
}
