/**
 * Prefix sums over an intensity series: the integral of intensity over
 * time and the length of missing time, both piecewise linear between the
 * series' boundaries, so any window costs two lookups.
 */
import type {IntensitySeries} from '../signals/intensity-series.js';
import {PlannerInputError} from './planner-errors.js';

/** Knots of the two piecewise-linear running totals of one series. */
export interface CumulativeIntensity {
  /** Sorted boundaries: every point's start and end. */
  readonly boundariesMs: Float64Array;
  /** ∫ gCO2e/kWh dt (in g/kWh x ms) from the first boundary to each. */
  readonly integral: Float64Array;
  /** Missing milliseconds (null values and gaps) up to each boundary. */
  readonly missingMs: Float64Array;
  /** Slope of the integral on the piece ending at each boundary. */
  readonly rate: Float64Array;
  /** Whether the piece ending at each boundary is missing. */
  readonly missing: Uint8Array;
  readonly coverageStartMs: number | null;
  readonly coverageEndMs: number | null;
}

/**
 * Builds the running totals of a series, checking its contract first.
 *
 * @param field - where the series sits in the caller's input, for errors
 * @throws PlannerInputError when points overlap, are unsorted, or carry
 *   a non-finite or negative value
 */
export function cumulativeIntensity(
  series: IntensitySeries,
  field = 'series',
): CumulativeIntensity {
  assertWellFormed(series, field);
  const size = series.points.length * 2;
  const boundariesMs = new Float64Array(size);
  const integral = new Float64Array(size);
  const missingMs = new Float64Array(size);
  const rate = new Float64Array(size);
  const missing = new Uint8Array(size);

  let count = 0;
  for (const point of series.points) {
    const endMs = point.startMs + point.durationMs;
    const previousEndMs = count > 0 ? boundariesMs[count - 1] as number : null;
    if (previousEndMs === null || point.startMs > previousEndMs) {
      // a gap, or the very first boundary: a missing piece up to the start
      const gapMs = previousEndMs === null ? 0 : point.startMs - previousEndMs;
      boundariesMs[count] = point.startMs;
      integral[count] = count > 0 ? integral[count - 1] as number : 0;
      missingMs[count] = (count > 0 ? missingMs[count - 1] as number : 0) +
        gapMs;
      missing[count] = 1;
      count += 1;
    }
    const value = point.gramsPerKilowattHour;
    boundariesMs[count] = endMs;
    integral[count] = (integral[count - 1] as number) +
      (value ?? 0) * point.durationMs;
    missingMs[count] = (missingMs[count - 1] as number) +
      (value === null ? point.durationMs : 0);
    rate[count] = value ?? 0;
    missing[count] = value === null ? 1 : 0;
    count += 1;
  }

  return {
    boundariesMs: boundariesMs.subarray(0, count),
    integral: integral.subarray(0, count),
    missingMs: missingMs.subarray(0, count),
    rate: rate.subarray(0, count),
    missing: missing.subarray(0, count),
    coverageStartMs: count > 0 ? boundariesMs[0] as number : null,
    coverageEndMs: count > 0 ? boundariesMs[count - 1] as number : null,
  };
}

/** Integral and missing time from the coverage start to an instant. */
export interface RunningTotals {
  integral: number;
  missingMs: number;
}

/**
 * Reads the running totals at instants that never decrease, moving one
 * index forward, so a sweep over n instants costs O(n + boundaries).
 * Instants outside the coverage are clamped; callers check coverage.
 */
export class TotalsCursor {
  private index = 0;

  constructor(private readonly totals: CumulativeIntensity) {}

  /** Totals at `instantMs`; instants must not decrease between calls. */
  at(instantMs: number, into: RunningTotals): RunningTotals {
    const {boundariesMs, integral, missingMs, rate, missing} = this.totals;
    const last = boundariesMs.length - 1;
    if (last < 0) return set(into, 0, 0);
    while (this.index < last && (boundariesMs[this.index] as number) <
      instantMs) {
      this.index += 1;
    }
    const knotMs = boundariesMs[this.index] as number;
    if (instantMs >= knotMs || this.index === 0) {
      return set(into, integral[this.index] as number,
        missingMs[this.index] as number);
    }
    const backMs = knotMs - instantMs;
    return set(into,
      (integral[this.index] as number) - (rate[this.index] as number) * backMs,
      (missingMs[this.index] as number) -
        (missing[this.index] === 1 ? backMs : 0));
  }

  /** Moves the sweep to a boundary index (0 starts it again). */
  seek(index: number): void {
    this.index = index;
  }

  /**
   * at(), after jumping ahead to the boundary the instant would reach if
   * the boundaries were evenly spaced, when the instant lies past the
   * one before it: O(1) per instant on a regular series instead of a
   * walk over every boundary between two instants, the same totals.
   */
  jumpTo(instantMs: number, into: RunningTotals): RunningTotals {
    const {boundariesMs} = this.totals;
    const last = boundariesMs.length - 1;
    if (last > 0) {
      const firstMs = boundariesMs[0] as number;
      const spacingMs = ((boundariesMs[last] as number) - firstMs) / last;
      const guess = Math.ceil((instantMs - firstMs) / spacingMs);
      if (guess > this.index && guess <= last &&
        (boundariesMs[guess - 1] as number) < instantMs) this.index = guess;
    }
    return this.at(instantMs, into);
  }
}

function set(into: RunningTotals, integral: number, missingMs: number) {
  into.integral = integral;
  into.missingMs = missingMs;
  return into;
}

function assertWellFormed(series: IntensitySeries, field: string): void {
  let previousEndMs = -Infinity;
  series.points.forEach((point, index) => {
    const at = `${field}.points[${index}]`;
    if (!Number.isFinite(point.startMs) || !(point.durationMs > 0) ||
      !Number.isFinite(point.durationMs)) {
      throw new PlannerInputError(at, 'start or duration is not usable',
        'a finite startMs and a finite durationMs > 0');
    }
    if (point.startMs < previousEndMs) {
      throw new PlannerInputError(at, 'overlaps or precedes the point ' +
        'before it', 'points sorted by startMs, non-overlapping');
    }
    const value = point.gramsPerKilowattHour;
    if (value !== null && !(Number.isFinite(value) && value >= 0)) {
      throw new PlannerInputError(`${at}.gramsPerKilowattHour`,
        `${value} is not a usable intensity`, 'a finite number >= 0, or null');
    }
    previousEndMs = point.startMs + point.durationMs;
  });
}

/**
 * The integral of intensity over [fromMs, toMs) (g/kWh x ms), or null
 * when any part of it is missing or outside the coverage. O(log n).
 */
export function integralBetween(
  totals: CumulativeIntensity,
  fromMs: number,
  toMs: number,
): number | null {
  const {coverageStartMs, coverageEndMs} = totals;
  if (coverageStartMs === null || coverageEndMs === null) return null;
  if (fromMs < coverageStartMs || toMs > coverageEndMs) return null;
  const from = totalsAt(totals, fromMs);
  const to = totalsAt(totals, toMs);
  if (to.missingMs - from.missingMs > 1e-6) return null;
  return to.integral - from.integral;
}

/**
 * integralBetween without allocating, for inner loops: the same number,
 * or NaN where integralBetween gives null.
 */
export function integralBetweenOrNaN(
  totals: CumulativeIntensity,
  fromMs: number,
  toMs: number,
): number {
  const {coverageStartMs, coverageEndMs} = totals;
  if (coverageStartMs === null || coverageEndMs === null) return NaN;
  if (fromMs < coverageStartMs || toMs > coverageEndMs) return NaN;
  const from = boundaryAtOrAfter(totals.boundariesMs, fromMs);
  const to = boundaryAtOrAfter(totals.boundariesMs, toMs);
  const {boundariesMs, integral, missingMs, rate, missing} = totals;
  const fromBackMs = Math.max(0, (boundariesMs[from] as number) - fromMs);
  const toBackMs = Math.max(0, (boundariesMs[to] as number) - toMs);
  const missingFromMs = (missingMs[from] as number) -
    (missing[from] === 1 ? fromBackMs : 0);
  const missingToMs = (missingMs[to] as number) -
    (missing[to] === 1 ? toBackMs : 0);
  if (missingToMs - missingFromMs > 1e-6) return NaN;
  return ((integral[to] as number) - (rate[to] as number) * toBackMs) -
    ((integral[from] as number) - (rate[from] as number) * fromBackMs);
}

// The first boundary at or after the instant (the last when none is).
function boundaryAtOrAfter(boundariesMs: Float64Array, instantMs: number) {
  let low = 0;
  let high = boundariesMs.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((boundariesMs[middle] as number) < instantMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

// Binary search for the first boundary at or after the instant.
function totalsAt(totals: CumulativeIntensity, instantMs: number) {
  const {boundariesMs, integral, missingMs, rate, missing} = totals;
  let low = 0;
  let high = boundariesMs.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((boundariesMs[middle] as number) < instantMs) low = middle + 1;
    else high = middle;
  }
  const backMs = Math.max(0, (boundariesMs[low] as number) - instantMs);
  return {
    integral: (integral[low] as number) - (rate[low] as number) * backMs,
    missingMs: (missingMs[low] as number) -
      (missing[low] === 1 ? backMs : 0),
  };
}
