/**
 * The inner loop of the contiguous sweep on a regular grid: every start
 * that can be optimal, priced by two prefix-sum reads and at most one
 * partial-interval correction, keeping only the best start and counts.
 * Nothing is allocated per start.
 */
import {integralTo, touchesMissing} from './regular-grid-sweep.js';
import type {RegularGrid} from './regular-grid-sweep.js';
import {TIE_RELATIVE_TOLERANCE} from './window-order.js';

/** What one region's grid offers a window of fixed length. */
export interface GridSweep {
  readonly evaluatedStartCount: number;
  readonly eligibleStartCount: number;
  readonly firstEligibleStartMs: number | null;
  readonly lastEligibleStartMs: number | null;
  /** The lowest-scoring eligible start, earliest among ties; or null. */
  readonly bestStartMs: number | null;
  /** Integral of intensity over the best window (g/kWh x ms). */
  readonly bestIntegral: number;
  readonly bestScore: number;
}

/** The part of the score that does not depend on the start. */
export interface GridScoreWeights {
  /** Score per unit of average intensity (kWh, with transfer). */
  readonly gramsPerUnitAverage: number;
  /** Price part of the score, the same for every start. */
  readonly priceScore: number;
}

/**
 * Whether the kernel's index arithmetic is exact for this grid and
 * duration: whole milliseconds, and every instant it forms a safe
 * integer. Otherwise the caller takes the general sweep.
 */
export function kernelApplies(
  grid: RegularGrid,
  durationMs: number,
): boolean {
  const {originMs, stepMs, count} = grid;
  return Number.isSafeInteger(originMs) && Number.isSafeInteger(stepMs) &&
    Number.isSafeInteger(durationMs) &&
    Math.abs(originMs) + (count + 2) * stepMs + durationMs <=
      Number.MAX_SAFE_INTEGER;
}

// Running best of one region, shared by the endpoints and the loops.
class RunningBest {
  evaluated = 0;
  ineligible = 0;
  firstMs = NaN;
  lastMs = NaN;
  bestMs = NaN;
  bestIntegral = Infinity;
  bestScore = Infinity;

  constructor(private readonly weights: GridScoreWeights,
    private readonly durationMs: number) {}

  /** One start priced by the general formulas (the interval's ends). */
  considerInstant(grid: RegularGrid, startMs: number): void {
    this.evaluated += 1;
    const endMs = startMs + this.durationMs;
    if (touchesMissing(grid, startMs, endMs)) {
      this.ineligible += 1;
      return;
    }
    if (Number.isNaN(this.firstMs)) this.firstMs = startMs;
    this.lastMs = startMs;
    const integral = integralTo(grid, endMs) - integralTo(grid, startMs);
    const score = (integral / this.durationMs) *
      this.weights.gramsPerUnitAverage + this.weights.priceScore;
    if (!Number.isNaN(this.bestMs) && (score >= this.bestScore ||
      tied(score, this.bestScore))) return;
    this.bestMs = startMs;
    this.bestIntegral = integral;
    this.bestScore = score;
  }
}

/**
 * Sweeps the starts in [lowMs, highMs] in increasing order: lowMs, every
 * grid instant, every grid instant minus the duration, and highMs. A
 * start is replaced only by a strictly lower score outside the tie
 * tolerance, so the earliest of tied starts stays. The caller checks
 * kernelApplies first.
 *
 * @param grid - prefix sums of the region's regular series
 * @param durationMs - the window's length
 */
export function sweepGridStarts(
  grid: RegularGrid,
  durationMs: number,
  lowMs: number,
  highMs: number,
  weights: GridScoreWeights,
): GridSweep {
  const running = new RunningBest(weights, durationMs);
  if (highMs >= lowMs) {
    running.considerInstant(grid, lowMs);
    if (durationMs % grid.stepMs === 0) {
      sweepAligned(grid, durationMs, lowMs, highMs, weights, running);
    } else {
      sweepShifted(grid, durationMs, lowMs, highMs, weights, running);
    }
    if (highMs > lowMs) running.considerInstant(grid, highMs);
  }
  const found = !Number.isNaN(running.bestMs);
  return {evaluatedStartCount: running.evaluated,
    eligibleStartCount: running.evaluated - running.ineligible,
    firstEligibleStartMs: Number.isNaN(running.firstMs) ? null :
      running.firstMs,
    lastEligibleStartMs: Number.isNaN(running.lastMs) ? null :
      running.lastMs,
    bestStartMs: found ? running.bestMs : null,
    bestIntegral: running.bestIntegral, bestScore: running.bestScore};
}

// The duration is whole steps: the starts strictly inside (lowMs, highMs)
// are grid instants k, and the window [k, k + steps) reads two prefixes.
function sweepAligned(
  grid: RegularGrid,
  durationMs: number,
  lowMs: number,
  highMs: number,
  weights: GridScoreWeights,
  running: RunningBest,
): void {
  const {originMs, stepMs, count, integral, missingCount} = grid;
  const steps = (durationMs / stepMs) | 0;
  const from = firstIndexAbove(originMs, stepMs, 0, lowMs) | 0;
  const to = lastIndexBelow(originMs, stepMs, 0, highMs) | 0;
  if (to < from) return;

  const found = missingCount[count] === 0 ?
    alignedBestComplete(integral, from, to, steps, durationMs, weights,
      running) :
    alignedBestWithHoles(integral, missingCount, from, to, steps,
      durationMs, weights, running);
  running.evaluated += to - from + 1;
  if (found.firstIndex >= 0) {
    if (Number.isNaN(running.firstMs)) {
      running.firstMs = originMs + found.firstIndex * stepMs;
    }
    running.lastMs = originMs + found.lastIndex * stepMs;
  }
  if (found.bestIndex >= 0) {
    running.bestMs = originMs + found.bestIndex * stepMs;
    running.bestIntegral = found.bestIntegral;
    running.bestScore = found.bestScore;
  }
}

/** What one pass over aligned starts found, by grid index. */
interface AlignedBest {
  readonly bestIndex: number;
  readonly bestIntegral: number;
  readonly bestScore: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
}

// No point is missing: every start in [from, to] is eligible.
function alignedBestComplete(
  integral: Float64Array,
  from: number,
  to: number,
  steps: number,
  durationMs: number,
  weights: GridScoreWeights,
  running: RunningBest,
): AlignedBest {
  const {gramsPerUnitAverage, priceScore} = weights;
  let bestIndex = -1;
  let bestIntegral = running.bestIntegral;
  let bestScore = running.bestScore;
  let hasBest = !Number.isNaN(running.bestMs);
  for (let k = from; k <= to; k += 1) {
    const windowIntegral = (integral[k + steps] as number) -
      (integral[k] as number);
    // The score is monotone in the integral: no lower integral, no win.
    if (windowIntegral >= bestIntegral) continue;
    const score = (windowIntegral / durationMs) * gramsPerUnitAverage +
      priceScore;
    if (hasBest && (score >= bestScore || tied(score, bestScore))) {
      continue;
    }
    hasBest = true;
    bestIndex = k;
    bestIntegral = windowIntegral;
    bestScore = score;
  }
  return {bestIndex, bestIntegral, bestScore, firstIndex: from,
    lastIndex: to};
}

// Some point is missing: a start whose window counts one is skipped.
function alignedBestWithHoles(
  integral: Float64Array,
  missingCount: Int32Array,
  from: number,
  to: number,
  steps: number,
  durationMs: number,
  weights: GridScoreWeights,
  running: RunningBest,
): AlignedBest {
  const {gramsPerUnitAverage, priceScore} = weights;
  let bestIndex = -1;
  let bestIntegral = running.bestIntegral;
  let bestScore = running.bestScore;
  let hasBest = !Number.isNaN(running.bestMs);
  let firstIndex = -1;
  let lastIndex = -1;
  let ineligible = 0;
  for (let k = from; k <= to; k += 1) {
    if (missingCount[k + steps] !== missingCount[k]) {
      ineligible += 1;
      continue;
    }
    if (firstIndex < 0) firstIndex = k;
    lastIndex = k;
    const windowIntegral = (integral[k + steps] as number) -
      (integral[k] as number);
    if (windowIntegral >= bestIntegral) continue;
    const score = (windowIntegral / durationMs) * gramsPerUnitAverage +
      priceScore;
    if (hasBest && (score >= bestScore || tied(score, bestScore))) {
      continue;
    }
    hasBest = true;
    bestIndex = k;
    bestIntegral = windowIntegral;
    bestScore = score;
  }
  running.ineligible += ineligible;
  return {bestIndex, bestIntegral, bestScore, firstIndex, lastIndex};
}

// The duration is not whole steps: between grid instants m and m + 1 lies
// one shifted start, m + (step - remainder), whose window ends on a grid
// instant. Each start pays one partial-interval correction; a window of
// either start at m spans the points m to m + steps.
function sweepShifted(
  grid: RegularGrid,
  durationMs: number,
  lowMs: number,
  highMs: number,
  weights: GridScoreWeights,
  running: RunningBest,
): void {
  const {originMs, stepMs, count, integral, missingCount, values} = grid;
  const remainderMs = durationMs % stepMs;
  const leadMs = stepMs - remainderMs;
  const steps = ((durationMs - remainderMs) / stepMs) | 0;
  const gridMsAt = (m: number) => originMs + m * stepMs;
  const shiftedMsAt = (m: number) =>
    originMs + (m + steps + 1) * stepMs - durationMs;
  // Shifted starts m in [from, shiftedTo], grid starts in [gridFrom, to].
  const from = firstIndexAbove(originMs, stepMs, leadMs, lowMs) | 0;
  const to = lastIndexBelow(originMs, stepMs, 0, highMs) | 0;
  if (to < from) return;
  const gridFrom = gridMsAt(from) > lowMs ? from : from + 1;
  const shiftedTo = shiftedMsAt(to) < highMs ? to : to - 1;

  const {gramsPerUnitAverage, priceScore} = weights;
  const holes = missingCount[count] !== 0;
  let bestIndex = -1;
  let bestShifted = false;
  let bestIntegral = running.bestIntegral;
  let bestScore = running.bestScore;
  let hasBest = !Number.isNaN(running.bestMs);
  let firstIndex = -1;
  let firstShifted = false;
  let lastIndex = -1;
  let lastShifted = false;
  let ineligible = 0;
  for (let m = from; m <= to; m += 1) {
    const end = m + steps;
    if (holes && missingCount[end + 1] !== missingCount[m]) {
      ineligible += (m >= gridFrom ? 1 : 0) + (m <= shiftedTo ? 1 : 0);
      continue;
    }
    if (m >= gridFrom) {
      if (firstIndex < 0) firstIndex = m;
      lastIndex = m;
      lastShifted = false;
      const windowIntegral = (integral[end] as number) +
        (values[end] as number) * remainderMs - (integral[m] as number);
      if (windowIntegral < bestIntegral) {
        const score = (windowIntegral / durationMs) * gramsPerUnitAverage +
          priceScore;
        if (!hasBest || (score < bestScore && !tied(score, bestScore))) {
          hasBest = true;
          bestIndex = m;
          bestShifted = false;
          bestIntegral = windowIntegral;
          bestScore = score;
        }
      }
    }
    if (m <= shiftedTo) {
      if (firstIndex < 0) {
        firstIndex = m;
        firstShifted = true;
      }
      lastIndex = m;
      lastShifted = true;
      const windowIntegral = (integral[end + 1] as number) -
        ((integral[m] as number) + (values[m] as number) * leadMs);
      if (windowIntegral < bestIntegral) {
        const score = (windowIntegral / durationMs) * gramsPerUnitAverage +
          priceScore;
        if (!hasBest || (score < bestScore && !tied(score, bestScore))) {
          hasBest = true;
          bestIndex = m;
          bestShifted = true;
          bestIntegral = windowIntegral;
          bestScore = score;
        }
      }
    }
  }

  running.evaluated += (to - gridFrom + 1) + (shiftedTo - from + 1);
  running.ineligible += ineligible;
  if (firstIndex >= 0) {
    if (Number.isNaN(running.firstMs)) {
      running.firstMs = firstShifted ? shiftedMsAt(firstIndex) :
        gridMsAt(firstIndex);
    }
    running.lastMs = lastShifted ? shiftedMsAt(lastIndex) :
      gridMsAt(lastIndex);
  }
  if (bestIndex >= 0) {
    running.bestMs = bestShifted ? shiftedMsAt(bestIndex) :
      gridMsAt(bestIndex);
    running.bestIntegral = bestIntegral;
    running.bestScore = bestScore;
  }
}

// scoresTie of window-order.ts, kept in this module so that the loops
// call it directly (the same formula, so the same answers).
function tied(left: number, right: number): boolean {
  const scale = Math.max(Math.abs(left), Math.abs(right));
  return Math.abs(left - right) <= TIE_RELATIVE_TOLERANCE * scale;
}

// The smallest k with originMs + k x stepMs + offsetMs > instantMs.
function firstIndexAbove(
  originMs: number,
  stepMs: number,
  offsetMs: number,
  instantMs: number,
): number {
  let k = Math.floor((instantMs - originMs - offsetMs) / stepMs);
  while (originMs + k * stepMs + offsetMs > instantMs) k -= 1;
  while (originMs + k * stepMs + offsetMs <= instantMs) k += 1;
  return k;
}

// The largest k with originMs + k x stepMs + offsetMs < instantMs.
function lastIndexBelow(
  originMs: number,
  stepMs: number,
  offsetMs: number,
  instantMs: number,
): number {
  let k = Math.ceil((instantMs - originMs - offsetMs) / stepMs);
  while (originMs + k * stepMs + offsetMs < instantMs) k += 1;
  while (originMs + k * stepMs + offsetMs >= instantMs) k -= 1;
  return k;
}
