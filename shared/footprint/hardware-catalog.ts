/**
 * The shipped hardware coefficients (data/hardware, see its NOTICE.md),
 * read once and indexed: machine types, per-vCPU CPU power, GPU thermal
 * design power, memory power and embodied emissions per platform.
 */
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

import {parseCsvRecords} from './csv-table.js';

const HARDWARE_DATA_DIRECTORY = fileURLToPath(
  new URL('../../data/hardware/', import.meta.url),
);

/** Repository-relative names of the files, used as coefficient sources. */
export const HARDWARE_FILES = {
  machineTypes: 'data/hardware/ccf_gcp-instances-latest-2026.csv',
  cpuUse: 'data/hardware/ccf_coefficients-gcp-use.csv',
  embodied: 'data/hardware/ccf_coefficients-gcp-embodied.csv',
  gpuPower: 'data/hardware/mlco2_impact_gpus.csv',
  referenceValues: 'data/hardware/greenalgorithms_referenceValues.csv',
} as const;

/** A machine type as the CCF instance table describes it. */
export interface MachineTypeRecord {
  readonly machineType: string;
  readonly vcpuCount: number;
  readonly memoryGigabytes: number;
  /** e.g. `a3-highgpu`: machine types sharing one server platform. */
  readonly platform: string;
  /** e.g. `Cascade Lake`; empty when the table names none. */
  readonly microarchitecture: string;
}

/** CCF per-vCPU power of one CPU microarchitecture. */
export interface CpuPowerRecord {
  readonly microarchitecture: string;
  readonly minWattsPerVcpu: number;
  readonly maxWattsPerVcpu: number;
}

/** One embodied-emission row (kgCO2e per server platform). */
export interface EmbodiedRecord {
  readonly machineType: string;
  readonly microarchitecture: string;
  readonly totalKilograms: number;
}

/** A GPU model's thermal design power. */
export interface GpuPowerRecord {
  readonly model: string;
  readonly tdpWatts: number;
}

/** Everything the footprint model reads from data/hardware. */
export interface HardwareCatalog {
  readonly machineTypes: ReadonlyMap<string, MachineTypeRecord>;
  readonly cpuPower: ReadonlyMap<string, CpuPowerRecord>;
  readonly embodied: ReadonlyMap<string, readonly EmbodiedRecord[]>;
  readonly gpuPower: ReadonlyMap<string, GpuPowerRecord>;
  readonly memoryWattsPerGigabyte: number;
}

let cachedCatalog: HardwareCatalog | undefined;

/** Reads and indexes the shipped tables (once per process). */
export function loadHardwareCatalog(): HardwareCatalog {
  cachedCatalog ??= {
    machineTypes: readMachineTypes(),
    cpuPower: readCpuPower(),
    embodied: readEmbodied(),
    gpuPower: readGpuPower(),
    memoryWattsPerGigabyte: readMemoryWattsPerGigabyte(),
  };
  return cachedCatalog;
}

function readTable(file: string, headerLineIndex = 0) {
  const name = file.slice('data/hardware/'.length);
  const text = readFileSync(HARDWARE_DATA_DIRECTORY + name, 'utf8');
  return parseCsvRecords(text, headerLineIndex);
}

function readMachineTypes(): Map<string, MachineTypeRecord> {
  const records = new Map<string, MachineTypeRecord>();
  for (const row of readTable(HARDWARE_FILES.machineTypes)) {
    const machineType = row['Instance Type'] ?? '';
    records.set(machineType, {
      machineType,
      vcpuCount: Number(row['Instance vCPU']),
      memoryGigabytes: Number(row['Instance Memory']),
      platform: row['Platform'] ?? '',
      microarchitecture: row['Microarchitecture'] ?? '',
    });
  }
  return records;
}

function readCpuPower(): Map<string, CpuPowerRecord> {
  const records = new Map<string, CpuPowerRecord>();
  for (const row of readTable(HARDWARE_FILES.cpuUse)) {
    const microarchitecture = row['Architecture'] ?? '';
    records.set(microarchitecture, {
      microarchitecture,
      minWattsPerVcpu: Number(row['Min Watts']),
      maxWattsPerVcpu: Number(row['Max Watts']),
    });
  }
  return records;
}

function readEmbodied(): Map<string, EmbodiedRecord[]> {
  const records = new Map<string, EmbodiedRecord[]>();
  for (const row of readTable(HARDWARE_FILES.embodied)) {
    const machineType = row['type'] ?? '';
    const list = records.get(machineType) ?? [];
    list.push({
      machineType,
      microarchitecture: row['microarchitecture'] ?? '',
      totalKilograms: Number(row['total']),
    });
    records.set(machineType, list);
  }
  return records;
}

function readGpuPower(): Map<string, GpuPowerRecord> {
  const records = new Map<string, GpuPowerRecord>();
  for (const row of readTable(HARDWARE_FILES.gpuPower)) {
    const tdpWatts = Number(row['tdp_watts']);
    if (row['type'] !== 'gpu' || !Number.isFinite(tdpWatts)) continue;
    const model = row['name'] ?? '';
    records.set(model, {model, tdpWatts});
  }
  return records;
}

function readMemoryWattsPerGigabyte(): number {
  // The file opens with a notes row; the header is on its second line.
  const rows = readTable(HARDWARE_FILES.referenceValues, 1);
  const row = rows.find((candidate) => candidate['variable'] === 'memoryPower');
  const value = Number(row?.['value']);
  if (!Number.isFinite(value)) {
    throw new Error(
      `${HARDWARE_FILES.referenceValues}: memoryPower row missing or not a ` +
        'number',
    );
  }
  return value;
}
