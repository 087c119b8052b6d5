/**
 * The usual case of the contiguous sweep in a single pass over the
 * points: a regular grid with every value present, a window of whole
 * steps, and both ends of the start range on grid instants. Each point
 * is read once, and that one read proves the grid regular, extends the
 * prefix sums and, where the point ends a window, prices that window,
 * so no second pass over the grid is needed. Nothing is allocated per
 * point.
 *
 * The loops read four points per iteration with the tests written out
 * rather than in a helper: V8 then pays its per-iteration costs
 * (bounds, map and interrupt checks, and for a helper the check that it
 * is still the same function) once per four points, and those are most
 * of what a point costs above reading its value. Eight per iteration
 * ran slower (bench/planner.bench.ts times the planner).
 */
import type {IntensityPoint} from '../signals/intensity-series.js';
import type {GridScoreWeights, GridSweep} from './grid-window-kernel.js';
import {scoresTie} from './window-order.js';

/** The sweep of one region, and the regular grid its points proved. */
export interface AlignedPassSweep extends GridSweep {
  readonly originMs: number;
  readonly stepMs: number;
  readonly coverageEndMs: number;
}

/** The job's window and start range, as the region's sweep reads it. */
export interface AlignedPassJob {
  readonly durationMs: number;
  readonly earliestStartMs: number;
  readonly deadlineMs: number;
}

// Prefix sums of the current region, reused by the next call.
let scratchIntegral = new Float64Array(0);

/**
 * Sweeps every start of the region in one pass, or gives null when the
 * case is not the usual one (then the caller takes the general sweep,
 * which also reports what is wrong with the points): a point off the
 * grid, a missing or unusable value, a duration that is not a positive
 * number of whole steps, a start range ending between grid instants,
 * or instants that are not safe integers. Starts are priced in
 * increasing order and one is replaced only by a strictly lower score
 * outside the tie tolerance, as in sweepGridStarts, whose answers this
 * pass repeats exactly.
 *
 * @param points - the region's series
 * @param job - the window's length and the job's bounds
 * @param weights - the start-independent parts of the score
 */
export function sweepAlignedPass(
  points: readonly IntensityPoint[],
  job: AlignedPassJob,
  weights: GridScoreWeights,
): AlignedPassSweep | null {
  // What the grid must be, read from its first point and its length.
  const count = points.length;
  const first = points[0];
  if (first === undefined) return null;
  const originMs = first.startMs;
  const stepMs = first.durationMs;
  const {durationMs} = job;
  // durationMs > 0 (planContiguous checks it first) makes steps >= 1,
  // which the loops below rely on to read integral[end - steps].
  if (!(stepMs > 0) || !(durationMs > 0) ||
    !Number.isSafeInteger(originMs) || !Number.isSafeInteger(stepMs) ||
    !Number.isSafeInteger(durationMs) || durationMs % stepMs !== 0 ||
    Math.abs(originMs) + (count + 2) * stepMs + durationMs >
      Number.MAX_SAFE_INTEGER) return null;
  const coverageEndMs = originMs + count * stepMs;

  // The start range, both ends on grid instants, as grid indexes.
  const lowMs = Math.max(job.earliestStartMs, originMs);
  const highMs = Math.min(job.deadlineMs, coverageEndMs) - durationMs;
  if (!Number.isSafeInteger(lowMs) || !Number.isSafeInteger(highMs) ||
    (lowMs - originMs) % stepMs !== 0 ||
    (highMs - originMs) % stepMs !== 0) return null;
  // With a start in range, steps <= count: every index fits an int32.
  const fits = highMs >= lowMs;
  const steps = fits ? (durationMs / stepMs) | 0 : 0;
  const from = fits ? ((lowMs - originMs) / stepMs) | 0 : 0;
  const to = fits ? ((highMs - originMs) / stepMs) | 0 : -1;
  // integral[e] is the integral over the points before point e; window
  // k covers the points k to k + steps - 1 and is priced at its end,
  // e = k + steps, once point e - 1 is read. The ends [pricedFrom,
  // pricedTo) price one.
  const pricedFrom = fits ? (from + steps) | 0 : count + 1;
  const pricedTo = fits ? (to + steps + 1) | 0 : count + 1;

  if (scratchIntegral.length < count + 1) {
    scratchIntegral = new Float64Array(count + 1);
  }
  const integral = scratchIntegral;
  integral[0] = 0;
  // The points before the first window's end: proof and sums only.
  if (!extendPrefix(points, integral, 1, pricedFrom, originMs, stepMs)) {
    return null;
  }

  // The points that end a window, four at a time (see the header), then
  // the last few one at a time.
  const {gramsPerUnitAverage, priceScore} = weights;
  let bestIndex = -1;
  let bestIntegral = Infinity;
  let bestScore = Infinity;
  let sum = integral[pricedFrom - 1] as number;
  // Exact: every instant formed here is a safe integer (checked above).
  let startMs = originMs + (pricedFrom - 1) * stepMs;
  let end = pricedFrom;
  while (end < pricedTo) {
    let groupEnd = end + 4;
    if (groupEnd <= pricedTo) {
      const a = points[end - 1] as IntensityPoint;
      const b = points[end] as IntensityPoint;
      const c = points[end + 1] as IntensityPoint;
      const d = points[end + 2] as IntensityPoint;
      const valueA = a.gramsPerKilowattHour;
      const valueB = b.gramsPerKilowattHour;
      const valueC = c.gramsPerKilowattHour;
      const valueD = d.gramsPerKilowattHour;
      // onGrid, written out for each point.
      if (a.startMs !== startMs || a.durationMs !== stepMs ||
        valueA === null || !(valueA >= 0)) return null;
      startMs += stepMs;
      if (b.startMs !== startMs || b.durationMs !== stepMs ||
        valueB === null || !(valueB >= 0)) return null;
      startMs += stepMs;
      if (c.startMs !== startMs || c.durationMs !== stepMs ||
        valueC === null || !(valueC >= 0)) return null;
      startMs += stepMs;
      if (d.startMs !== startMs || d.durationMs !== stepMs ||
        valueD === null || !(valueD >= 0)) return null;
      startMs += stepMs;
      const sumA = sum + valueA * stepMs;
      const sumB = sumA + valueB * stepMs;
      const sumC = sumB + valueC * stepMs;
      sum = sumC + valueD * stepMs;
      integral[end] = sumA;
      integral[end + 1] = sumB;
      integral[end + 2] = sumC;
      integral[end + 3] = sum;
      // The usual group after the first few: no window beats the best,
      // and nothing more is to be done. (Read after the writes: with
      // steps < 4 a window starts in the group.)
      const start = end - steps;
      if (sumA - (integral[start] as number) >= bestIntegral &&
        sumB - (integral[start + 1] as number) >= bestIntegral &&
        sumC - (integral[start + 2] as number) >= bestIntegral &&
        sum - (integral[start + 3] as number) >= bestIntegral) {
        end = groupEnd;
        continue;
      }
    } else {
      groupEnd = pricedTo;
      for (let last = end; last < groupEnd; last += 1) {
        const point = points[last - 1] as IntensityPoint;
        if (!onGrid(point, startMs, stepMs)) return null;
        startMs += stepMs;
        sum += (point.gramsPerKilowattHour as number) * stepMs;
        integral[last] = sum;
      }
    }
    // The group's windows in increasing start: one replaces the best
    // only with a lower integral (the score is monotone in it) and a
    // score lower outside the tie tolerance, so the earliest of tied
    // windows stays. The last few points come here too, so that this
    // code has type feedback whenever they need it: a copy of it that
    // ran only for them would lack it, and each call reaching it would
    // leave the optimized code.
    for (; end < groupEnd; end += 1) {
      const windowIntegral = (integral[end] as number) -
        (integral[end - steps] as number);
      if (windowIntegral >= bestIntegral) continue;
      const score = (windowIntegral / durationMs) * gramsPerUnitAverage +
        priceScore;
      if (bestIndex >= 0 && (score >= bestScore ||
        scoresTie(score, bestScore))) continue;
      bestIndex = end - steps;
      bestIntegral = windowIntegral;
      bestScore = score;
    }
  }

  // The points after the last window's end: proof and sums only.
  if (!extendPrefix(points, integral, pricedTo, count + 1, originMs,
    stepMs)) return null;
  // Infinity passes the value tests: a sum that overflows fails here.
  if (!((integral[count] as number) < Infinity)) return null;

  const evaluated = Math.max(0, to - from + 1);
  return {originMs, stepMs, coverageEndMs, evaluatedStartCount: evaluated,
    eligibleStartCount: evaluated,
    firstEligibleStartMs: evaluated > 0 ? lowMs : null,
    lastEligibleStartMs: evaluated > 0 ? highMs : null,
    bestStartMs: bestIndex >= 0 ? originMs + bestIndex * stepMs : null,
    bestIntegral, bestScore};
}

// Whether a point is the grid's point at startMs with a usable value:
// a number >= 0 (NaN fails too; Infinity is caught by the final sum).
function onGrid(
  point: IntensityPoint,
  startMs: number,
  stepMs: number,
): boolean {
  const value = point.gramsPerKilowattHour;
  return point.startMs === startMs && point.durationMs === stepMs &&
    value !== null && value >= 0;
}

/**
 * Proves the points that end at integral[fromEnd] .. integral[toEnd - 1]
 * on the grid and writes those prefix sums, from integral[fromEnd - 1];
 * false at the first point off the grid or without a usable value.
 * Four points per iteration, as in sweepAlignedPass.
 */
function extendPrefix(
  points: readonly IntensityPoint[],
  integral: Float64Array,
  fromEnd: number,
  toEnd: number,
  originMs: number,
  stepMs: number,
): boolean {
  // The sum read back as a double: passed in, it would stay boxed.
  let sum = integral[fromEnd - 1] as number;
  // Exact: the caller bounds every instant by Number.MAX_SAFE_INTEGER.
  let startMs = originMs + (fromEnd - 1) * stepMs;
  // By point index k, which ends at integral[k + 1].
  let k = fromEnd - 1;
  const last = toEnd - 1;
  for (; k + 3 < last; k += 4) {
    const a = points[k] as IntensityPoint;
    const b = points[k + 1] as IntensityPoint;
    const c = points[k + 2] as IntensityPoint;
    const d = points[k + 3] as IntensityPoint;
    const valueA = a.gramsPerKilowattHour;
    const valueB = b.gramsPerKilowattHour;
    const valueC = c.gramsPerKilowattHour;
    const valueD = d.gramsPerKilowattHour;
    if (a.startMs !== startMs || a.durationMs !== stepMs ||
      valueA === null || !(valueA >= 0)) return false;
    startMs += stepMs;
    if (b.startMs !== startMs || b.durationMs !== stepMs ||
      valueB === null || !(valueB >= 0)) return false;
    startMs += stepMs;
    if (c.startMs !== startMs || c.durationMs !== stepMs ||
      valueC === null || !(valueC >= 0)) return false;
    startMs += stepMs;
    if (d.startMs !== startMs || d.durationMs !== stepMs ||
      valueD === null || !(valueD >= 0)) return false;
    startMs += stepMs;
    sum += valueA * stepMs;
    integral[k + 1] = sum;
    sum += valueB * stepMs;
    integral[k + 2] = sum;
    sum += valueC * stepMs;
    integral[k + 3] = sum;
    sum += valueD * stepMs;
    integral[k + 4] = sum;
  }
  for (; k < last; k += 1) {
    const point = points[k] as IntensityPoint;
    if (!onGrid(point, startMs, stepMs)) return false;
    startMs += stepMs;
    sum += (point.gramsPerKilowattHour as number) * stepMs;
    integral[k + 1] = sum;
  }
  return true;
}
