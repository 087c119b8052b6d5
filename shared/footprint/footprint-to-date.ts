/**
 * The footprint of a segment that is still running: what it emitted from
 * its start to now (observed intensity, the same model as a finished
 * segment), and a projection to completion if it runs on in the same
 * region without pause (the remaining work at the forecast intensity).
 * Both are labelled: a figure to date is not final, and a projection is
 * not a measurement.
 */
import type {IntensitySeries} from '../signals/intensity-series.js';
import {
  computeSegmentFootprint,
  type SegmentFootprint,
  type SegmentFootprintInputs,
} from './segment-footprint.js';

/** What a footprint to date is computed from. */
export interface FootprintToDateInputs {
  /** The running segment, with `endMs` the instant of the reading. */
  readonly segment: SegmentFootprintInputs;
  /** Work left after `segment.endMs`, at full speed. */
  readonly remainingWorkMs: number;
  /** Forecast of the segment's zone; null when there is none. */
  readonly forecast: IntensitySeries | null;
}

/** The projection to completion, marked as such. */
export interface FootprintProjection {
  readonly label: 'projection to completion, not measured';
  readonly completionMs: number;
  /** This segment to date plus the remaining work, kWh of IT energy. */
  readonly itEnergyKilowattHours: number;
  /** Null when the forecast does not cover the remaining work. */
  readonly locationBasedGrams: number | null;
  readonly embodiedGrams: number | null;
  readonly totalGrams: number | null;
}

/** A running segment's footprint to date and its projection. */
export interface FootprintToDate {
  readonly label: 'to date, segment still running';
  readonly asOfMs: number;
  readonly toDate: SegmentFootprint;
  readonly projection: FootprintProjection;
}

/**
 * Computes a running segment's footprint to date and projects it to the
 * job's completion.
 *
 * @throws UnmappedRegionError, InvalidFootprintInputError - as
 *   computeSegmentFootprint does for the part to date
 */
export function computeFootprintToDate(
  inputs: FootprintToDateInputs,
): FootprintToDate {
  const toDate = computeSegmentFootprint(inputs.segment);
  const asOfMs = inputs.segment.endMs;
  const completionMs = asOfMs + Math.max(0, inputs.remainingWorkMs);

  // The remaining work, charged at the forecast where it reaches.
  const remainder = inputs.remainingWorkMs > 0
    ? remainingFootprint(inputs, asOfMs, completionMs)
    : null;
  const add = (
    first: number | null,
    second: number | null | undefined,
  ): number | null => {
    if (second === undefined) return first;
    return first === null || second === null ? null : first + second;
  };
  return {
    label: 'to date, segment still running',
    asOfMs,
    toDate,
    projection: {
      label: 'projection to completion, not measured',
      completionMs,
      itEnergyKilowattHours: toDate.itEnergyKilowattHours +
        (remainder?.itEnergyKilowattHours ?? 0),
      locationBasedGrams: add(toDate.locationBasedGrams,
        remainder?.locationBasedGrams),
      embodiedGrams: add(toDate.embodiedGrams, remainder?.embodiedGrams),
      totalGrams: add(toDate.totalGrams, remainder?.totalGrams),
    },
  };
}

// The remaining work's footprint; energy only when no intensity is known.
function remainingFootprint(
  inputs: FootprintToDateInputs,
  startMs: number,
  endMs: number,
): Pick<SegmentFootprint, 'itEnergyKilowattHours' | 'locationBasedGrams' |
  'embodiedGrams' | 'totalGrams'> {
  const forecast = inputs.forecast;
  if (!forecast && !inputs.segment.fallbackIntensity) {
    const hours = (endMs - startMs) / 3_600_000;
    return {
      itEnergyKilowattHours: (inputs.segment.itPowerWatts / 1000) * hours,
      locationBasedGrams: null,
      embodiedGrams: null,
      totalGrams: null,
    };
  }
  return computeSegmentFootprint({
    ...inputs.segment,
    startMs,
    endMs,
    telemetry: [],
    transfer: {},
    intensity: forecast
      ? {
        zone: forecast.zone,
        basis: forecast.basis,
        source: forecast.source,
        points: forecast.points,
      }
      : null,
  });
}
