/**
 * What the job would have emitted without the scheduler: the same work
 * started at max(submission, earliest start) in the home region, without
 * pauses, charged at the intensity observed there, compared with what the
 * job's segments actually emitted.
 */
import type {EmbodiedCoefficient} from './embodied.js';
import {InvalidFootprintInputError} from './footprint-errors.js';
import {
  computeSegmentFootprint,
  type FallbackIntensity,
  type ObservedIntensity,
  type SegmentFootprint,
} from './segment-footprint.js';

/** The inputs of a counterfactual run (plain JSON). */
export interface CounterfactualInputs {
  readonly homeRegionId: string;
  readonly submittedAtMs: number;
  /** The request's earliest start, when it set one. */
  readonly earliestStartMs?: number | null;
  /** Running time of the work at full speed, without pause overheads. */
  readonly workDurationMs: number;
  readonly itPowerWatts: number;
  readonly powerUsageEffectiveness: number;
  /** Observed series of the home region's zone over the window. */
  readonly intensity: ObservedIntensity | null;
  readonly fallbackIntensity?: FallbackIntensity;
  readonly embodied: EmbodiedCoefficient | null;
  /** Moving the dataset, if the home region is not where it lives. */
  readonly dataTransferKilowattHours?: number;
}

/** Emissions summed over a job's actual segments. */
export interface ActualTotals {
  readonly segmentCount: number;
  readonly itEnergyKilowattHours: number;
  readonly facilityEnergyKilowattHours: number;
  /** Null when any segment's scope 2 figure is unknown. */
  readonly locationBasedGrams: number | null;
  readonly embodiedGrams: number | null;
  readonly totalGrams: number | null;
  readonly incomplete: boolean;
}

/** A saving: positive when the scheduler emitted less. */
export interface Saving {
  readonly grams: number | null;
  /** Saved grams over the counterfactual grams x 100; null if undefined. */
  readonly percent: number | null;
}

/** Actual against counterfactual. */
export interface CounterfactualComparison {
  readonly actual: ActualTotals;
  readonly counterfactual: SegmentFootprint;
  readonly savedScope2: Saving;
  readonly savedTotal: Saving;
}

/**
 * The counterfactual run's footprint.
 *
 * @throws UnmappedRegionError - home region with no series or fallback
 */
export function computeCounterfactual(
  inputs: CounterfactualInputs,
): SegmentFootprint {
  if (!Number.isFinite(inputs.workDurationMs) || inputs.workDurationMs <= 0) {
    throw new InvalidFootprintInputError('workDurationMs',
      `${inputs.workDurationMs}`, 'a finite number of milliseconds > 0');
  }
  const startMs = Math.max(inputs.submittedAtMs,
    inputs.earliestStartMs ?? -Infinity);
  return computeSegmentFootprint({
    regionId: inputs.homeRegionId,
    startMs,
    endMs: startMs + inputs.workDurationMs,
    itPowerWatts: inputs.itPowerWatts,
    powerUsageEffectiveness: inputs.powerUsageEffectiveness,
    intensity: inputs.intensity,
    ...(inputs.fallbackIntensity
      ? {fallbackIntensity: inputs.fallbackIntensity}
      : {}),
    ...(inputs.dataTransferKilowattHours !== undefined
      ? {transfer: {dataKilowattHours: inputs.dataTransferKilowattHours}}
      : {}),
    embodied: inputs.embodied,
  });
}

/** Sums the actual segments of one job. */
export function sumActualSegments(
  segments: readonly SegmentFootprint[],
): ActualTotals {
  const sumOrNull = (pick: (segment: SegmentFootprint) => number | null) =>
    segments.reduce<number | null>((total, segment) => {
      const value = pick(segment);
      return total === null || value === null ? null : total + value;
    }, 0);
  return {
    segmentCount: segments.length,
    itEnergyKilowattHours: segments.reduce(
      (total, segment) => total + segment.itEnergyKilowattHours, 0),
    facilityEnergyKilowattHours: segments.reduce(
      (total, segment) => total + segment.facilityEnergyKilowattHours, 0),
    locationBasedGrams: sumOrNull((segment) => segment.locationBasedGrams),
    embodiedGrams: sumOrNull((segment) => segment.embodiedGrams),
    totalGrams: sumOrNull((segment) => segment.totalGrams),
    incomplete: segments.some((segment) => segment.incomplete),
  };
}

/**
 * Compares a job's actual segments with its counterfactual run.
 *
 * @param segments - the segments as they ran
 * @param counterfactual - from {@link computeCounterfactual}
 */
export function compareWithCounterfactual(
  segments: readonly SegmentFootprint[],
  counterfactual: SegmentFootprint,
): CounterfactualComparison {
  const actual = sumActualSegments(segments);
  return {
    actual,
    counterfactual,
    savedScope2: saving(counterfactual.locationBasedGrams,
      actual.locationBasedGrams),
    savedTotal: saving(counterfactual.totalGrams, actual.totalGrams),
  };
}

function saving(
  counterfactualGrams: number | null,
  actualGrams: number | null,
): Saving {
  if (counterfactualGrams === null || actualGrams === null) {
    return {grams: null, percent: null};
  }
  const grams = counterfactualGrams - actualGrams;
  const percent =
    counterfactualGrams > 0 ? (grams / counterfactualGrams) * 100 : null;
  return {grams, percent};
}
