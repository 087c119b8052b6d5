/**
 * The usual case of the contiguous sweep in a single pass over the
 * points: a regular grid with every value present, a window of whole
 * steps, and both ends of the start range on grid instants. Each point
 * is read once, and that one read proves the grid regular, extends the
 * prefix sums and prices the start whose window ends there, so no
 * second pass over the grid is needed. Nothing is allocated per point.
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
 * grid, a missing or unusable value, a duration that is not whole
 * steps, a start range ending between grid instants, or instants that
 * are not safe integers. Starts are priced in increasing order and one
 * is replaced only by a strictly lower score outside the tie tolerance,
 * as in sweepGridStarts, whose answers this pass repeats exactly.
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
  if (!(stepMs > 0) || !Number.isSafeInteger(originMs) ||
    !Number.isSafeInteger(stepMs) || !Number.isSafeInteger(durationMs) ||
    durationMs % stepMs !== 0 || Math.abs(originMs) + (count + 2) *
      stepMs + durationMs > Number.MAX_SAFE_INTEGER) return null;
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
  // Window k covers the points k to k + steps - 1: priced at the last.
  const firstEnd = (from + steps) | 0;
  const lastEnd = (to + steps) | 0;

  // One read of every point: proof, prefix sums, the best start.
  if (scratchIntegral.length < count + 1) {
    scratchIntegral = new Float64Array(count + 1);
  }
  const integral = scratchIntegral;
  const {gramsPerUnitAverage, priceScore} = weights;
  let sum = 0;
  let bestIndex = -1;
  let bestIntegral = Infinity;
  let bestScore = Infinity;
  integral[0] = 0;
  for (let k = 0; k < count; k += 1) {
    const point = points[k] as IntensityPoint;
    const value = point.gramsPerKilowattHour;
    // A value that is not a number >= 0 fails here (NaN too);
    // Infinity is caught by the sum below.
    if (point.startMs !== originMs + k * stepMs ||
      point.durationMs !== stepMs || value === null || !(value >= 0)) {
      return null;
    }
    sum += value * stepMs;
    const end = k + 1;
    integral[end] = sum;
    if (end < firstEnd || end > lastEnd) continue;
    const windowIntegral = sum - (integral[end - steps] as number);
    // The score is monotone in the integral: no lower integral, no win.
    if (windowIntegral >= bestIntegral) continue;
    const score = (windowIntegral / durationMs) * gramsPerUnitAverage +
      priceScore;
    if (bestIndex >= 0 && (score >= bestScore || scoresTie(score,
      bestScore))) continue;
    bestIndex = end - steps;
    bestIntegral = windowIntegral;
    bestScore = score;
  }
  if (!(sum < Infinity)) return null;

  const evaluated = Math.max(0, to - from + 1);
  return {originMs, stepMs, coverageEndMs, evaluatedStartCount: evaluated,
    eligibleStartCount: evaluated,
    firstEligibleStartMs: evaluated > 0 ? lowMs : null,
    lastEligibleStartMs: evaluated > 0 ? highMs : null,
    bestStartMs: bestIndex >= 0 ? originMs + bestIndex * stepMs : null,
    bestIntegral, bestScore};
}
