/**
 * The fast path of the contiguous sweep for a series on a regular grid
 * (equal, back-to-back points, the usual forecast shape): prefix sums in
 * one pass into reused typed arrays, then O(1) per candidate start.
 */

/** Prefix sums of one regular series. */
export interface RegularGrid {
  readonly originMs: number;
  readonly stepMs: number;
  readonly count: number;
  /** values[k]: the k-th value, 0 where missing (see missingCount). */
  readonly values: Float64Array;
  /** integral[k]: sum of values before point k, times stepMs. */
  readonly integral: Float64Array;
  /** missingCount[k]: null points before point k. */
  readonly missingCount: Int32Array;
}

let scratchValues = new Float64Array(0);
let scratchIntegral = new Float64Array(0);
let scratchMissing = new Int32Array(0);

/**
 * The grid of `points`, or null when they are not equal and back to back
 * or a value is unusable (the general sweep then checks and reports it).
 * The arrays are reused by the next call: read them before calling again.
 */
export function regularGrid(
  points: readonly {startMs: number; durationMs: number;
    gramsPerKilowattHour: number | null}[],
): RegularGrid | null {
  const count = points.length;
  const first = points[0];
  if (first === undefined) return null;
  const stepMs = first.durationMs;
  if (!(stepMs > 0) || !Number.isFinite(stepMs) ||
    !Number.isFinite(first.startMs)) return null;
  if (scratchValues.length < count + 1) {
    scratchValues = new Float64Array(count + 1);
    scratchIntegral = new Float64Array(count + 1);
    scratchMissing = new Int32Array(count + 1);
  }
  const values = scratchValues;
  const integral = scratchIntegral;
  const missingCount = scratchMissing;
  let expectedStartMs = first.startMs;
  let sum = 0;

  // The usual case first: points back to back, every value present.
  let k = 0;
  for (; k < count; k += 1) {
    const point = points[k]!;
    const value = point.gramsPerKilowattHour;
    if (point.startMs !== expectedStartMs || point.durationMs !== stepMs ||
      value === null || !(value >= 0 && value < Infinity)) break;
    expectedStartMs += stepMs;
    integral[k] = sum;
    values[k] = value;
    sum += value * stepMs;
  }
  missingCount.fill(0, 0, k + 1);

  // From the first missing value on, count what is missing.
  let missing = 0;
  for (; k < count; k += 1) {
    const point = points[k]!;
    if (point.startMs !== expectedStartMs || point.durationMs !== stepMs) {
      return null;
    }
    expectedStartMs += stepMs;
    integral[k] = sum;
    missingCount[k] = missing;
    const value = point.gramsPerKilowattHour;
    if (value === null) {
      values[k] = 0;
      missing += 1;
    } else {
      if (!(value >= 0 && value < Infinity)) return null;
      values[k] = value;
      sum += value * stepMs;
    }
  }
  integral[count] = sum;
  missingCount[count] = missing;
  values[count] = 0;
  return {originMs: first.startMs, stepMs, count, values, integral,
    missingCount};
}

/** The integral of intensity over [originMs, instantMs] (g/kWh x ms). */
export function integralTo(grid: RegularGrid, instantMs: number): number {
  const offsetMs = instantMs - grid.originMs;
  let k = Math.floor(offsetMs / grid.stepMs);
  if (k >= grid.count) k = grid.count;
  return (grid.integral[k] as number) +
    (grid.values[k] as number) * (offsetMs - k * grid.stepMs);
}

/** Whether [startMs, endMs) overlaps a null point by a positive length. */
export function touchesMissing(
  grid: RegularGrid,
  startMs: number,
  endMs: number,
): boolean {
  const from = Math.floor((startMs - grid.originMs) / grid.stepMs);
  const to = Math.ceil((endMs - grid.originMs) / grid.stepMs);
  return (grid.missingCount[Math.min(to, grid.count)] as number) -
    (grid.missingCount[Math.max(from, 0)] as number) > 0;
}
