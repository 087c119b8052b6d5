/**
 * The footprint of one run segment (the time a job really ran in one
 * region): IT energy, facility energy (PUE applied once), the intensity
 * observed while it ran weighted by energy, location-based (scope 2) and
 * embodied (scope 3) grams. Every result carries the inputs it was
 * computed from, so `recomputeSegmentFootprint(result.inputs)` gives the
 * same numbers.
 */
import type {
  IntensityBasis,
  IntensityPoint,
  SeriesKind,
} from '../signals/intensity-series.js';
import {embodiedShareGrams, type EmbodiedCoefficient} from './embodied.js';
import {
  InvalidFootprintInputError,
  UnmappedRegionError,
} from './footprint-errors.js';
import type {PowerDrawEstimate} from './hardware-power.js';

const MILLISECONDS_PER_HOUR = 3_600_000;

/** Measured IT energy over one interval [startMs, startMs + durationMs). */
export interface EnergySample {
  readonly startMs: number;
  readonly durationMs: number;
  /** IT energy only: never facility energy, PUE is applied here. */
  readonly itKilowattHours: number;
}

/** The observed intensity the segment is charged at. */
export interface ObservedIntensity {
  readonly zone: string;
  readonly basis: IntensityBasis;
  readonly source: string;
  /** Must not be 'forecast': a footprint is charged at observed values. */
  readonly kind?: SeriesKind;
  /** Sorted by startMs, non-overlapping; null values mean missing. */
  readonly points: readonly IntensityPoint[];
}

/** The configured factor for a region without any intensity source. */
export interface FallbackIntensity {
  readonly gramsPerKilowattHour: number;
  /** Where the factor comes from, e.g. `config:fallback-world-average`. */
  readonly source: string;
}

/** Everything a segment footprint is computed from (plain JSON). */
export interface SegmentFootprintInputs {
  readonly regionId: string;
  /** When the job really started running in this segment. */
  readonly startMs: number;
  /** When it really stopped (exclusive). */
  readonly endMs: number;
  /** Modelled IT draw; used wherever no telemetry sample covers a time. */
  readonly itPowerWatts: number;
  /** The estimate the draw came from, kept for audit only. */
  readonly powerDraw?: PowerDrawEstimate;
  /** Measured IT energy, when the trainer reports it. */
  readonly telemetry?: readonly EnergySample[];
  readonly powerUsageEffectiveness: number;
  /** Observed series of the region's zone; null for an unmapped region. */
  readonly intensity: ObservedIntensity | null;
  /** Used only when `intensity` is null (C33). */
  readonly fallbackIntensity?: FallbackIntensity;
  /** IT energy of moving the checkpoint and the dataset for this segment. */
  readonly transfer?: {
    readonly checkpointKilowattHours?: number;
    readonly dataKilowattHours?: number;
  };
  /** Embodied coefficient of the reserved hardware; null if unknown. */
  readonly embodied: EmbodiedCoefficient | null;
  /** The region's carbon-free energy share, for the labelled CFE figure. */
  readonly carbonFreeEnergyFraction?: number;
}

/** A stretch of the segment with no intensity value. */
export interface MissingInterval {
  readonly startMs: number;
  readonly endMs: number;
}

/** The CFE-adjusted figure: never a location-based number. */
export interface CarbonFreeEnergyAdjusted {
  readonly label: 'cfe-adjusted, not location-based';
  readonly carbonFreeEnergyFraction: number;
  readonly grams: number | null;
}

/** The footprint of one segment. */
export interface SegmentFootprint {
  readonly regionId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly durationHours: number;
  readonly energySource: 'model' | 'telemetry' | 'telemetry-and-model';
  readonly computeEnergyKilowattHours: number;
  readonly transferEnergyKilowattHours: number;
  /** compute + transfer. */
  readonly itEnergyKilowattHours: number;
  readonly powerUsageEffectiveness: number;
  /** itEnergyKilowattHours x powerUsageEffectiveness, exactly once. */
  readonly facilityEnergyKilowattHours: number;
  /** Energy-weighted over the segment; null when incomplete. */
  readonly intensityGramsPerKilowattHour: number | null;
  readonly intensitySource: string;
  readonly intensityBasis: IntensityBasis | null;
  /** Set when the intensity is a configured fallback, not an observation. */
  readonly estimated?: 'unmapped-region';
  /** Scope 2, location-based; null when incomplete. */
  readonly locationBasedGrams: number | null;
  /** Part of locationBasedGrams that comes from transfer energy. */
  readonly transferGrams: number | null;
  /** Scope 3 share of the hardware; null when no coefficient is known. */
  readonly embodiedGrams: number | null;
  /** Scope 2 + scope 3; null when either is null. */
  readonly totalGrams: number | null;
  readonly incomplete: boolean;
  readonly missingIntervals: readonly MissingInterval[];
  /** Compute grams over the covered part only: a lower bound, labelled. */
  readonly coveredComputeGrams: number;
  readonly coveredComputeEnergyKilowattHours: number;
  readonly carbonFreeEnergyAdjusted?: CarbonFreeEnergyAdjusted;
  readonly inputs: SegmentFootprintInputs;
}

/**
 * Computes a segment's footprint.
 *
 * @param inputs - the segment, its power, PUE and observed intensity
 * @returns energy and grams, with `inputs` trimmed to what the segment uses
 * @throws UnmappedRegionError - no series and no fallback factor
 * @throws InvalidFootprintInputError - a value outside its range
 */
export function computeSegmentFootprint(
  inputs: SegmentFootprintInputs,
): SegmentFootprint {
  checkInputs(inputs);
  const trimmed = trimInputs(inputs);
  const intensityPoints = pointsOf(trimmed);
  const telemetry = trimmed.telemetry ?? [];
  const slices = sliceSegment(trimmed, intensityPoints, telemetry);
  const compute = sumSlices(slices, trimmed.powerUsageEffectiveness);
  const transferEnergy = transferKilowattHours(trimmed);
  const pue = trimmed.powerUsageEffectiveness;
  const itEnergy = compute.energyKilowattHours + transferEnergy;
  const durationHours =
    (trimmed.endMs - trimmed.startMs) / MILLISECONDS_PER_HOUR;
  const incomplete = compute.missingIntervals.length > 0;
  const intensity = incomplete ? null : weightedIntensity(compute, slices);
  const transferGrams =
    intensity === null ? null : transferEnergy * pue * intensity;
  const locationBasedGrams =
    incomplete || transferGrams === null
      ? null
      : compute.coveredGrams + transferGrams;
  const embodiedGrams = trimmed.embodied
    ? embodiedShareGrams(trimmed.embodied, durationHours)
    : null;
  const totalGrams =
    locationBasedGrams === null || embodiedGrams === null
      ? null
      : locationBasedGrams + embodiedGrams;
  return {
    regionId: trimmed.regionId,
    startMs: trimmed.startMs,
    endMs: trimmed.endMs,
    durationHours,
    energySource: energySourceOf(slices),
    computeEnergyKilowattHours: compute.energyKilowattHours,
    transferEnergyKilowattHours: transferEnergy,
    itEnergyKilowattHours: itEnergy,
    powerUsageEffectiveness: pue,
    facilityEnergyKilowattHours: itEnergy * pue,
    intensityGramsPerKilowattHour: intensity,
    intensitySource: trimmed.intensity?.source ??
      trimmed.fallbackIntensity?.source ?? '',
    intensityBasis: trimmed.intensity?.basis ?? null,
    ...(trimmed.intensity === null
      ? {estimated: 'unmapped-region' as const}
      : {}),
    locationBasedGrams,
    transferGrams,
    embodiedGrams,
    totalGrams,
    incomplete,
    missingIntervals: compute.missingIntervals,
    coveredComputeGrams: compute.coveredGrams,
    coveredComputeEnergyKilowattHours: compute.coveredEnergyKilowattHours,
    ...cfeAdjusted(trimmed, locationBasedGrams),
    inputs: trimmed,
  };
}

/**
 * Recomputes a footprint from the inputs a previous result (or ledger
 * row) carried; the numbers are identical to the original.
 */
export function recomputeSegmentFootprint(
  inputs: SegmentFootprintInputs,
): SegmentFootprint {
  return computeSegmentFootprint(inputs);
}

/** One elementary stretch with a single power source and intensity. */
interface Slice {
  readonly startMs: number;
  readonly endMs: number;
  readonly energyKilowattHours: number;
  readonly fromTelemetry: boolean;
  readonly gramsPerKilowattHour: number | null;
}

interface SliceTotals {
  readonly energyKilowattHours: number;
  readonly coveredEnergyKilowattHours: number;
  /** IT energy x PUE x intensity over covered slices. */
  readonly coveredGrams: number;
  readonly missingIntervals: MissingInterval[];
}

// Cuts the segment at every intensity and telemetry boundary inside it.
function sliceSegment(
  inputs: SegmentFootprintInputs,
  points: readonly IntensityPoint[],
  telemetry: readonly EnergySample[],
): Slice[] {
  const cuts = new Set<number>([inputs.startMs, inputs.endMs]);
  const addCut = (instantMs: number) => {
    if (instantMs > inputs.startMs && instantMs < inputs.endMs) {
      cuts.add(instantMs);
    }
  };
  for (const point of points) {
    addCut(point.startMs);
    addCut(point.startMs + point.durationMs);
  }
  for (const sample of telemetry) {
    addCut(sample.startMs);
    addCut(sample.startMs + sample.durationMs);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const slices: Slice[] = [];
  for (let index = 0; index + 1 < sorted.length; index += 1) {
    const startMs = sorted[index] as number;
    const endMs = sorted[index + 1] as number;
    slices.push(makeSlice(inputs, points, telemetry, startMs, endMs));
  }
  return slices;
}

function makeSlice(
  inputs: SegmentFootprintInputs,
  points: readonly IntensityPoint[],
  telemetry: readonly EnergySample[],
  startMs: number,
  endMs: number,
): Slice {
  const sample = telemetry.find((candidate) => covers(candidate, startMs));
  const energyKilowattHours = sample
    ? (sample.itKilowattHours * (endMs - startMs)) / sample.durationMs
    : (inputs.itPowerWatts / 1000) * ((endMs - startMs) /
      MILLISECONDS_PER_HOUR);
  const point = points.find((candidate) => covers(candidate, startMs));
  return {
    startMs,
    endMs,
    energyKilowattHours,
    fromTelemetry: sample !== undefined,
    gramsPerKilowattHour: point?.gramsPerKilowattHour ?? null,
  };
}

function covers(
  interval: {startMs: number; durationMs: number},
  instantMs: number,
): boolean {
  return (
    interval.startMs <= instantMs &&
    instantMs < interval.startMs + interval.durationMs
  );
}

function sumSlices(slices: readonly Slice[], pue: number): SliceTotals {
  let energyKilowattHours = 0;
  let coveredEnergyKilowattHours = 0;
  let coveredGrams = 0;
  const missingIntervals: MissingInterval[] = [];
  for (const slice of slices) {
    energyKilowattHours += slice.energyKilowattHours;
    if (slice.gramsPerKilowattHour === null) {
      appendMissing(missingIntervals, slice);
      continue;
    }
    coveredEnergyKilowattHours += slice.energyKilowattHours;
    coveredGrams += slice.energyKilowattHours * pue *
      slice.gramsPerKilowattHour;
  }
  return {
    energyKilowattHours,
    coveredEnergyKilowattHours,
    coveredGrams,
    missingIntervals,
  };
}

// Merges a missing slice into the previous missing interval when adjacent.
function appendMissing(intervals: MissingInterval[], slice: Slice): void {
  const last = intervals[intervals.length - 1];
  if (last && last.endMs === slice.startMs) {
    intervals[intervals.length - 1] = {startMs: last.startMs,
      endMs: slice.endMs};
    return;
  }
  intervals.push({startMs: slice.startMs, endMs: slice.endMs});
}

// Energy-weighted intensity; with zero energy, the time-weighted mean.
function weightedIntensity(
  totals: SliceTotals,
  slices: readonly Slice[],
): number {
  let weighted = 0;
  let weight = 0;
  const byEnergy = totals.coveredEnergyKilowattHours > 0;
  for (const slice of slices) {
    const sliceWeight = byEnergy
      ? slice.energyKilowattHours
      : slice.endMs - slice.startMs;
    weighted += sliceWeight * (slice.gramsPerKilowattHour ?? 0);
    weight += sliceWeight;
  }
  return weighted / weight;
}

function energySourceOf(
  slices: readonly Slice[],
): SegmentFootprint['energySource'] {
  const measured = slices.filter((slice) => slice.fromTelemetry).length;
  if (measured === 0) return 'model';
  return measured === slices.length ? 'telemetry' : 'telemetry-and-model';
}

function transferKilowattHours(inputs: SegmentFootprintInputs): number {
  const transfer = inputs.transfer;
  return (
    (transfer?.checkpointKilowattHours ?? 0) + (transfer?.dataKilowattHours ??
      0)
  );
}

function pointsOf(inputs: SegmentFootprintInputs): readonly IntensityPoint[] {
  if (inputs.intensity) return inputs.intensity.points;
  const fallback = inputs.fallbackIntensity;
  if (!fallback) throw new UnmappedRegionError(inputs.regionId);
  return [{
    startMs: inputs.startMs,
    durationMs: inputs.endMs - inputs.startMs,
    gramsPerKilowattHour: fallback.gramsPerKilowattHour,
  }];
}

function cfeAdjusted(
  inputs: SegmentFootprintInputs,
  locationBasedGrams: number | null,
): {carbonFreeEnergyAdjusted?: CarbonFreeEnergyAdjusted} {
  const fraction = inputs.carbonFreeEnergyFraction;
  if (fraction === undefined) return {};
  return {
    carbonFreeEnergyAdjusted: {
      label: 'cfe-adjusted, not location-based',
      carbonFreeEnergyFraction: fraction,
      grams: locationBasedGrams === null ? null
        : locationBasedGrams * (1 - fraction),
    },
  };
}

// Keeps only the points and samples that overlap the segment.
function trimInputs(inputs: SegmentFootprintInputs): SegmentFootprintInputs {
  const overlaps = (interval: {startMs: number; durationMs: number}) =>
    interval.startMs < inputs.endMs &&
    interval.startMs + interval.durationMs > inputs.startMs;
  return {
    ...inputs,
    intensity: inputs.intensity
      ? {...inputs.intensity, points: inputs.intensity.points.filter(overlaps)}
      : null,
    ...(inputs.telemetry
      ? {telemetry: inputs.telemetry.filter(overlaps)}
      : {}),
  };
}

function checkInputs(inputs: SegmentFootprintInputs): void {
  const finite = Number.isFinite;
  if (!finite(inputs.startMs) || !finite(inputs.endMs) ||
      inputs.endMs <= inputs.startMs) {
    throw new InvalidFootprintInputError('endMs',
      `segment [${inputs.startMs}, ${inputs.endMs}) is empty or not finite`,
      'finite startMs < endMs');
  }
  if (!finite(inputs.itPowerWatts) || inputs.itPowerWatts < 0) {
    throw new InvalidFootprintInputError('itPowerWatts',
      `${inputs.itPowerWatts}`, 'a finite number of watts >= 0');
  }
  const pue = inputs.powerUsageEffectiveness;
  if (!finite(pue) || pue < 1) {
    throw new InvalidFootprintInputError('powerUsageEffectiveness',
      `${pue}`, 'a finite number >= 1');
  }
  if (inputs.intensity?.kind === 'forecast') {
    throw new InvalidFootprintInputError('intensity.kind', 'forecast',
      "an observed series (kind 'observed')");
  }
  checkFallback(inputs.fallbackIntensity);
  checkTelemetry(inputs.telemetry ?? []);
  checkFraction('carbonFreeEnergyFraction', inputs.carbonFreeEnergyFraction);
  for (const [name, value] of Object.entries(inputs.transfer ?? {})) {
    if (value !== undefined && (!finite(value) || value < 0)) {
      throw new InvalidFootprintInputError(`transfer.${name}`, `${value}`,
        'a finite number of kWh >= 0');
    }
  }
}

function checkFallback(fallback: FallbackIntensity | undefined): void {
  if (!fallback) return;
  const value = fallback.gramsPerKilowattHour;
  // A fallback of 0 g/kWh would be the silent zero this field prevents.
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidFootprintInputError(
      'fallbackIntensity.gramsPerKilowattHour', `${value}`,
      'a finite number of gCO2e/kWh > 0');
  }
}

function checkTelemetry(samples: readonly EnergySample[]): void {
  let previousEndMs = -Infinity;
  samples.forEach((sample, index) => {
    const valid =
      Number.isFinite(sample.itKilowattHours) &&
      sample.itKilowattHours >= 0 &&
      sample.durationMs > 0 &&
      sample.startMs >= previousEndMs;
    if (!valid) {
      throw new InvalidFootprintInputError(`telemetry[${index}]`,
        'negative energy, empty interval, or out of order / overlapping',
        'sorted, non-overlapping samples with itKilowattHours >= 0');
    }
    previousEndMs = sample.startMs + sample.durationMs;
  });
}

function checkFraction(field: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidFootprintInputError(field, `${value}`,
      'a fraction from 0 to 1');
  }
}
