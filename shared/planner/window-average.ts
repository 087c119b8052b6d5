/**
 * Time-weighted average of an intensity series over a half-open window,
 * and the parts of a window the series does not cover.
 */
import type {
  IntensityPoint,
  IntensitySeries,
} from '../signals/intensity-series.js';

/** Why part of a window has no usable value. */
export type UncoveredReason =
  | 'missing-value'
  | 'gap'
  | 'before-coverage'
  | 'beyond-coverage';

/** A stretch [startMs, endMs) without a usable value. */
export interface UncoveredInterval {
  readonly startMs: number;
  readonly endMs: number;
  readonly reason: UncoveredReason;
}

/** A window fully covered by values. */
export interface EligibleWindow {
  readonly eligible: true;
  readonly startMs: number;
  readonly endMs: number;
  readonly averageGramsPerKilowattHour: number;
  /** Points that overlap the window by a positive length. */
  readonly pointCount: number;
}

/** A window that cannot be averaged, with every uncovered stretch. */
export interface IneligibleWindow {
  readonly eligible: false;
  readonly startMs: number;
  readonly endMs: number;
  readonly reason: UncoveredReason | 'empty-window';
  readonly uncovered: readonly UncoveredInterval[];
}

export type WindowAverage = EligibleWindow | IneligibleWindow;

/**
 * Averages `series` over [startMs, endMs), weighting each point by the
 * length it overlaps the window (partial first and last points count
 * their overlap only; a point ending at startMs does not count).
 *
 * @param series - points sorted by start and non-overlapping
 * @returns the average, or why the window is ineligible
 */
export function windowAverage(
  series: IntensitySeries,
  startMs: number,
  endMs: number,
): WindowAverage {
  if (!(endMs > startMs)) {
    return {
      eligible: false, startMs, endMs, reason: 'empty-window', uncovered: [],
    };
  }
  const uncovered: UncoveredInterval[] = [];
  let weightedSum = 0;
  let pointCount = 0;
  walkWindow(series.points, startMs, endMs, (from, to, point) => {
    const value = point?.gramsPerKilowattHour;
    if (value === null || value === undefined) return;
    weightedSum += value * (to - from);
    pointCount += 1;
  }, uncovered);

  const first = uncovered[0];
  if (first !== undefined) {
    return {eligible: false, startMs, endMs, reason: first.reason, uncovered};
  }
  const averageGramsPerKilowattHour = weightedSum / (endMs - startMs);
  return {eligible: true, startMs, endMs, averageGramsPerKilowattHour,
    pointCount};
}

/**
 * Lists the stretches of [startMs, endMs) without a usable value,
 * adjacent stretches of the same reason merged.
 */
export function findUncovered(
  points: readonly IntensityPoint[],
  startMs: number,
  endMs: number,
): UncoveredInterval[] {
  const uncovered: UncoveredInterval[] = [];
  if (endMs > startMs) walkWindow(points, startMs, endMs, () => {}, uncovered);
  return uncovered;
}

type PieceVisitor = (
  fromMs: number, toMs: number, point: IntensityPoint,
) => void;

// Visits each overlapping piece once; records what is not covered.
function walkWindow(
  points: readonly IntensityPoint[],
  startMs: number,
  endMs: number,
  visit: PieceVisitor,
  uncovered: UncoveredInterval[],
): void {
  let index = firstEndingAfter(points, startMs);
  let cursorMs = startMs;
  while (cursorMs < endMs) {
    const point = points[index];
    if (point === undefined) {
      addUncovered(uncovered, cursorMs, endMs, 'beyond-coverage');
      return;
    }
    if (point.startMs > cursorMs) {
      const toMs = Math.min(point.startMs, endMs);
      addUncovered(uncovered, cursorMs, toMs,
        index === 0 ? 'before-coverage' : 'gap');
      cursorMs = toMs;
      continue;
    }
    const toMs = Math.min(point.startMs + point.durationMs, endMs);
    if (point.gramsPerKilowattHour === null) {
      addUncovered(uncovered, cursorMs, toMs, 'missing-value');
    }
    visit(cursorMs, toMs, point);
    cursorMs = toMs;
    index += 1;
  }
}

function addUncovered(
  uncovered: UncoveredInterval[],
  startMs: number,
  endMs: number,
  reason: UncoveredReason,
): void {
  const last = uncovered[uncovered.length - 1];
  if (last !== undefined && last.endMs === startMs && last.reason === reason) {
    uncovered[uncovered.length - 1] = {startMs: last.startMs, endMs, reason};
    return;
  }
  uncovered.push({startMs, endMs, reason});
}

// Binary search: the first point whose half-open interval ends after t.
function firstEndingAfter(
  points: readonly IntensityPoint[],
  instantMs: number,
): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const point = points[middle] as IntensityPoint;
    if (point.startMs + point.durationMs <= instantMs) low = middle + 1;
    else high = middle;
  }
  return low;
}
