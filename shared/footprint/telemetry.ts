/**
 * Measured IT energy from what a trainer reports: an energy counter
 * (cumulative joules, as NVML's total energy consumption gives), else
 * power samples integrated over time (trapezoids between samples). A
 * counter that is missing, unsupported (null readings) or goes backwards
 * (a reset) is not used; the power samples are; with neither, nothing is
 * measured and the footprint uses its power model. Never 0 for unknown.
 *
 * TODO(footprint): neither the local trainer nor the container contract
 * reports telemetry yet, so record-footprint passes none; this can go
 * when the trainer writes its readings beside its checkpoints and
 * record-footprint hands them to computeSegmentFootprint.
 */
import type {EnergySample} from './segment-footprint.js';

const JOULES_PER_KILOWATT_HOUR = 3_600_000;

/** One reading of a cumulative energy counter. */
export interface EnergyCounterReading {
  readonly atMs: number;
  /** Joules since the counter's origin; null when unsupported. */
  readonly joules: number | null;
}

/** One instantaneous IT power sample. */
export interface PowerSample {
  readonly atMs: number;
  readonly watts: number;
}

/** What the trainer reported for a segment. */
export interface SegmentTelemetry {
  readonly energyCounter?: readonly EnergyCounterReading[];
  readonly power?: readonly PowerSample[];
}

/** Measured energy, and how it was measured. */
export interface MeasuredEnergy {
  readonly method: 'energy-counter' | 'power-integration' | 'none';
  /** Empty when nothing could be measured. */
  readonly samples: readonly EnergySample[];
}

/** The measured energy of a segment, by the best method available. */
export function measuredEnergy(telemetry: SegmentTelemetry): MeasuredEnergy {
  const fromCounter = energyFromCounter(telemetry.energyCounter ?? []);
  if (fromCounter !== null) {
    return {method: 'energy-counter', samples: fromCounter};
  }
  const fromPower = energyFromPower(telemetry.power ?? []);
  if (fromPower.length > 0) {
    return {method: 'power-integration', samples: fromPower};
  }
  return {method: 'none', samples: []};
}

/**
 * Differences of consecutive counter readings, or null when the counter
 * cannot be trusted: fewer than two readings, an unsupported (null)
 * reading, or a value that goes down.
 */
export function energyFromCounter(
  readings: readonly EnergyCounterReading[],
): EnergySample[] | null {
  if (readings.length < 2) return null;
  const sorted = [...readings].sort((a, b) => a.atMs - b.atMs);
  const samples: EnergySample[] = [];
  for (let index = 1; index < sorted.length; index += 1) {
    const before = sorted[index - 1]!;
    const after = sorted[index]!;
    if (before.joules === null || after.joules === null) return null;
    if (after.joules < before.joules) return null;
    if (after.atMs <= before.atMs) continue;
    samples.push({
      startMs: before.atMs,
      durationMs: after.atMs - before.atMs,
      itKilowattHours: (after.joules - before.joules) /
        JOULES_PER_KILOWATT_HOUR,
    });
  }
  return samples.length > 0 ? samples : null;
}

/** Trapezoids between consecutive power samples (non-finite dropped). */
export function energyFromPower(
  samples: readonly PowerSample[],
): EnergySample[] {
  const sorted = samples
    .filter((sample) => Number.isFinite(sample.watts) && sample.watts >= 0)
    .sort((a, b) => a.atMs - b.atMs);
  const energy: EnergySample[] = [];
  for (let index = 1; index < sorted.length; index += 1) {
    const before = sorted[index - 1]!;
    const after = sorted[index]!;
    const durationMs = after.atMs - before.atMs;
    if (durationMs <= 0) continue;
    const averageWatts = (before.watts + after.watts) / 2;
    energy.push({
      startMs: before.atMs,
      durationMs,
      itKilowattHours: averageWatts * durationMs / 3_600_000 / 1000,
    });
  }
  return energy;
}
