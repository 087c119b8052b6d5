/**
 * The expected emissions of the counterfactual run, before it happens:
 * the same work started at once in the home region, without pauses,
 * priced on the home zone's forecast. The home region is the job's,
 * whatever the filters left for planning (residency, accelerators,
 * quota): it is where the job would have run without the scheduler.
 * optimize-slot and `carbon-scheduler plan` both price it here.
 */
import type {IntensitySeries} from '../signals/intensity-series.js';
import {windowAverage} from './window-average.js';

const HOUR_MS = 3_600_000;

/** What pricing the counterfactual needs. */
export interface CounterfactualEstimateInputs {
  readonly homeRegionId: string;
  /** The home zone's forecast, or why there is none. */
  readonly forecast:
    | {readonly series: IntensitySeries}
    | {readonly series: null; readonly reason: string};
  readonly powerUsageEffectiveness: number;
  /** max(submission, earliest start). */
  readonly startMs: number;
  /** Running time of the work at full speed. */
  readonly workMs: number;
  readonly itPowerKilowatts: number;
}

/** The expected grams, or why they cannot be known. */
export type CounterfactualEstimate =
  | {readonly expectedEmissionsGrams: number; readonly unknownReason: null}
  | {readonly expectedEmissionsGrams: null; readonly unknownReason: string};

/**
 * Prices the counterfactual: the home forecast's average over
 * [start, start + work) x IT power x hours x PUE.
 */
export function estimateCounterfactual(
  inputs: CounterfactualEstimateInputs,
): CounterfactualEstimate {
  const {homeRegionId, forecast, startMs, workMs} = inputs;
  if (forecast.series === null) {
    return unknown(`no forecast for ${homeRegionId}: ${forecast.reason}`);
  }
  const endMs = startMs + workMs;
  const average = windowAverage(forecast.series, startMs, endMs);
  if (!average.eligible) {
    const at = average.uncovered[0];
    return unknown(`the ${forecast.series.zone} forecast of ` +
      `${homeRegionId} does not cover ${iso(startMs)} to ${iso(endMs)} ` +
      `(${average.reason}` +
      (at ? ` from ${iso(at.startMs)} to ${iso(at.endMs)}` : '') + ')');
  }
  return {
    expectedEmissionsGrams: average.averageGramsPerKilowattHour *
      inputs.itPowerKilowatts * (workMs / HOUR_MS) *
      inputs.powerUsageEffectiveness,
    unknownReason: null,
  };
}

function unknown(reason: string): CounterfactualEstimate {
  return {expectedEmissionsGrams: null, unknownReason: reason};
}

function iso(instantMs: number): string {
  return new Date(instantMs).toISOString().replace('.000Z', 'Z');
}
