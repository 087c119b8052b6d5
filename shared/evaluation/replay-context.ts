/**
 * What every strategy of one evaluation reads: the regions, the observed
 * hours (the ground truth), the shared honest forecasts, and the
 * emissions of executed segments computed on observed data.
 */
import type {PlanCandidate} from '../planner/plan-types.js';
import type {IntensitySeries} from '../signals/intensity-series.js';
import type {
  EvaluationJob,
  EvaluationRegion,
  ExecutedSegment,
} from './evaluation-types.js';
import {HonestForecasts} from './honest-forecasts.js';
import {HOUR_MS, type HourlyValues} from './hourly-values.js';

/** The shared state of a replay. */
export interface ReplayContext {
  readonly regions: ReadonlyMap<string, EvaluationRegion>;
  /** Observed hours by zone. */
  readonly observed: ReadonlyMap<string, HourlyValues>;
  readonly forecasts: HonestForecasts;
  readonly itPowerKilowatts: number;
  readonly replanImprovementFraction: number;
  readonly replanLeadErrorFraction: number;
}

/** The region, which the job generator guarantees is known. */
export function regionOf(
  context: ReplayContext,
  regionId: string,
): EvaluationRegion {
  const region = context.regions.get(regionId);
  if (!region) throw new Error(`region ${regionId} is not in the replay`);
  return region;
}

/**
 * Grams the segments emitted: IT power x PUE x the observed intensity
 * over each span (overheads run at IT power). Null when any span touches
 * a missing hour.
 */
export function actualGrams(
  context: ReplayContext,
  segments: readonly ExecutedSegment[],
): number | null {
  let total = 0;
  for (const segment of segments) {
    const region = regionOf(context, segment.regionId);
    const integral = context.observed.get(region.zone)
      ?.integralHours(segment.startMs, segment.endMs) ?? null;
    if (integral === null) return null;
    total += context.itPowerKilowatts * region.powerUsageEffectiveness *
      integral;
  }
  return total;
}

/** Grams a plan's segments would emit by the forecast issued at `atMs`. */
export function forecastGrams(
  context: ReplayContext,
  segments: readonly ExecutedSegment[],
  issuedAtMs: number,
): number | null {
  let total = 0;
  for (const segment of segments) {
    const region = regionOf(context, segment.regionId);
    const integral = context.forecasts.forecast(region.zone, issuedAtMs)
      .values.integralHours(segment.startMs, segment.endMs);
    if (integral === null) return null;
    total += context.itPowerKilowatts * region.powerUsageEffectiveness *
      integral;
  }
  return total;
}

/** The job's allowed regions with the forecast issued at `issuedAtMs`. */
export function forecastCandidates(
  context: ReplayContext,
  job: EvaluationJob,
  issuedAtMs: number,
  regionIds: readonly string[] = job.allowedRegionIds,
): PlanCandidate[] {
  return regionIds.map((regionId) => {
    const region = regionOf(context, regionId);
    return {regionId, isHome: regionId === job.homeRegionId,
      powerUsageEffectiveness: region.powerUsageEffectiveness,
      series: context.forecasts.series(region.zone, issuedAtMs,
        job.deadlineMs)};
  });
}

/** The job's allowed regions with what was later observed (the oracle). */
export function observedCandidates(
  context: ReplayContext,
  job: EvaluationJob,
): PlanCandidate[] {
  return job.allowedRegionIds.map((regionId) => {
    const region = regionOf(context, regionId);
    return {regionId, isHome: regionId === job.homeRegionId,
      powerUsageEffectiveness: region.powerUsageEffectiveness,
      series: observedSeries(context, region.zone, job.submittedAtMs,
        job.deadlineMs)};
  });
}

function observedSeries(
  context: ReplayContext,
  zone: string,
  fromMs: number,
  toMs: number,
): IntensitySeries {
  const values = context.observed.get(zone);
  const points = [];
  for (let startMs = fromMs; startMs < toMs; startMs += HOUR_MS) {
    const value = values?.valueOfHour(startMs);
    points.push({startMs, durationMs: HOUR_MS,
      gramsPerKilowattHour: value ?? null});
  }
  return {zone, basis: 'average-lifecycle', kind: 'observed',
    source: 'replay:observed', points};
}
