/**
 * Slides a job's window over one region's series with prefix sums and
 * keeps the region's best start.
 */
import {cumulativeIntensity, TotalsCursor} from './cumulative-intensity.js';
import type {RunningTotals} from './cumulative-intensity.js';
import {candidateStarts} from './candidate-starts.js';
import {MILLISECONDS_PER_HOUR} from './plan-types.js';
import type {PlanCandidate, PlannedWindow} from './plan-types.js';
import {
  integralTo,
  regularGrid,
  touchesMissing,
} from './regular-grid-sweep.js';
import type {RegularGrid} from './regular-grid-sweep.js';
import {sweepAlignedPass} from './aligned-window-pass.js';
import {kernelApplies, sweepGridStarts} from './grid-window-kernel.js';
import type {GridSweep} from './grid-window-kernel.js';
import {findUncovered} from './window-average.js';
import type {UncoveredInterval} from './window-average.js';
import {scoresTie} from './window-order.js';

/** Job facts the sweep needs, the same for every region. */
export interface WindowJob {
  readonly durationMs: number;
  readonly earliestStartMs: number;
  readonly deadlineMs: number;
  readonly itPowerKilowatts: number;
  readonly costWeight: number;
  /** Dataset transfer energy when running away from the dataset. */
  readonly transferKilowattHoursAway: number;
  /** costWeight x egress price of the dataset when running away from it. */
  readonly egressScoreAway: number;
  readonly datasetRegionId: string | null;
  readonly listCandidates: boolean;
}

/** One evaluated start, listed when asked for. */
export interface CandidateStart {
  readonly startMs: number;
  /** null when the window touches missing data. */
  readonly averageGramsPerKilowattHour: number | null;
}

/** What one region offers the job. */
export interface RegionWindows {
  readonly regionId: string;
  readonly best: PlannedWindow | null;
  readonly evaluatedStartCount: number;
  readonly eligibleStartCount: number;
  readonly firstEligibleStartMs: number | null;
  readonly lastEligibleStartMs: number | null;
  readonly coverageEndMs: number | null;
  /** The series ends before the deadline: re-plan when it grows. */
  readonly deadlineBeyondCoverage: boolean;
  /** Uncovered stretches inside [earliestStartMs, deadlineMs). */
  readonly uncovered: readonly UncoveredInterval[];
  readonly candidates?: readonly CandidateStart[];
}

/** Missing time below this (ms) is rounding, not a hole. */
const MISSING_TOLERANCE_MS = 1e-6;

/**
 * Evaluates every start that can be optimal, O(points) for the region.
 *
 * @param candidate - the region and its series
 * @param job - duration, bounds and weights
 */
export function sweepRegion(
  candidate: PlanCandidate,
  job: WindowJob,
): RegionWindows {
  // The usual case in one pass; anything else by the grid or in general.
  if (!job.listCandidates) {
    const weights = regionWeights(candidate, job);
    const swept = sweepAlignedPass(candidate.series.points, job, weights);
    if (swept !== null) {
      const clean = swept.originMs <= job.earliestStartMs &&
        swept.coverageEndMs >= job.deadlineMs;
      return gridWindows(candidate, job, weights, swept,
        swept.coverageEndMs, clean);
    }
  }
  const grid = regularGrid(candidate.series.points);
  if (grid === null) return sweepGeneral(candidate, job);
  if (job.listCandidates || !kernelApplies(grid, job.durationMs)) {
    return sweepListedGrid(candidate, job, grid);
  }
  return sweepGrid(candidate, job, grid);
}

// A regular grid through the kernel: counts and the best start only.
function sweepGrid(
  candidate: PlanCandidate,
  job: WindowJob,
  grid: RegularGrid,
): RegionWindows {
  const {originMs, stepMs, count} = grid;
  const coverageEndMs = originMs + count * stepMs;
  const lowMs = Math.max(job.earliestStartMs, originMs);
  const highMs = Math.min(job.deadlineMs, coverageEndMs) - job.durationMs;
  const weights = regionWeights(candidate, job);
  const swept = sweepGridStarts(grid, job.durationMs, lowMs, highMs,
    weights);
  const clean = originMs <= job.earliestStartMs &&
    coverageEndMs >= job.deadlineMs &&
    !touchesMissing(grid, job.earliestStartMs, job.deadlineMs);
  return gridWindows(candidate, job, weights, swept, coverageEndMs, clean);
}

// What a grid sweep found, as the region's windows; `clean`: nothing in
// [earliestStartMs, deadlineMs) is uncovered.
function gridWindows(
  candidate: PlanCandidate,
  job: WindowJob,
  weights: ReturnType<typeof regionWeights>,
  swept: GridSweep,
  coverageEndMs: number,
  clean: boolean,
): RegionWindows {
  const {regionId, series} = candidate;
  const durationMs = job.durationMs;
  let best: PlannedWindow | null = null;
  if (swept.bestStartMs !== null) {
    const average = swept.bestIntegral / durationMs;
    best = {regionId, startMs: swept.bestStartMs,
      endMs: swept.bestStartMs + durationMs,
      averageGramsPerKilowattHour: average,
      expectedEmissionsGrams: average * weights.operationalKilowattHours,
      transferEmissionsGrams: average * weights.transferKilowattHours,
      score: swept.bestScore};
  }
  return {regionId, best, evaluatedStartCount: swept.evaluatedStartCount,
    eligibleStartCount: swept.eligibleStartCount,
    firstEligibleStartMs: swept.firstEligibleStartMs,
    lastEligibleStartMs: swept.lastEligibleStartMs, coverageEndMs,
    deadlineBeyondCoverage: coverageEndMs < job.deadlineMs,
    uncovered: clean ? [] : findUncovered(series.points, job.earliestStartMs,
      job.deadlineMs)};
}

// Any series: boundaries merged, totals read through two cursors.
function sweepGeneral(
  candidate: PlanCandidate,
  job: WindowJob,
): RegionWindows {
  const {regionId, series} = candidate;
  const totals = cumulativeIntensity(series,
    `candidates[${regionId}].series`);
  const coverageEndMs = totals.coverageEndMs;
  const lowMs = Math.max(job.earliestStartMs, totals.coverageStartMs ?? NaN);
  const highMs = Math.min(job.deadlineMs, coverageEndMs ?? NaN) -
    job.durationMs;
  const starts = Number.isNaN(lowMs + highMs) ? [] :
    candidateStarts(totals.boundariesMs, job.durationMs, lowMs, highMs);

  const weights = regionWeights(candidate, job);
  const startCursor = new TotalsCursor(totals);
  const endCursor = new TotalsCursor(totals);
  const atStart: RunningTotals = {integral: 0, missingMs: 0};
  const atEnd: RunningTotals = {integral: 0, missingMs: 0};
  const listed: CandidateStart[] = [];
  let best: PlannedWindow | null = null;
  let eligibleStartCount = 0;
  let firstEligibleStartMs: number | null = null;
  let lastEligibleStartMs: number | null = null;

  for (const startMs of starts) {
    startCursor.at(startMs, atStart);
    endCursor.at(startMs + job.durationMs, atEnd);
    const eligible = atEnd.missingMs - atStart.missingMs <=
      MISSING_TOLERANCE_MS;
    const average = eligible ?
      (atEnd.integral - atStart.integral) / job.durationMs : null;
    if (job.listCandidates) {
      listed.push({startMs, averageGramsPerKilowattHour: average});
    }
    if (average === null) continue;

    eligibleStartCount += 1;
    firstEligibleStartMs ??= startMs;
    lastEligibleStartMs = startMs;
    const score = average * weights.gramsPerUnitAverage + weights.priceScore;
    if (best !== null && (scoresTie(score, best.score) ||
      score > best.score)) continue;
    best = {regionId, startMs, endMs: startMs + job.durationMs,
      averageGramsPerKilowattHour: average,
      expectedEmissionsGrams: average * weights.operationalKilowattHours,
      transferEmissionsGrams: average * weights.transferKilowattHours,
      score};
  }

  return {regionId, best, evaluatedStartCount: starts.length,
    eligibleStartCount, firstEligibleStartMs, lastEligibleStartMs,
    coverageEndMs,
    deadlineBeyondCoverage: coverageEndMs === null ||
      coverageEndMs < job.deadlineMs,
    uncovered: findUncovered(series.points, job.earliestStartMs,
      job.deadlineMs),
    ...(job.listCandidates ? {candidates: listed} : {})};
}

// The same sweep on a regular grid, one start at a time through the
// general formulas, listing every start: for listCandidates, and for
// grids whose instants are not whole milliseconds.
function sweepListedGrid(
  candidate: PlanCandidate,
  job: WindowJob,
  grid: RegularGrid,
): RegionWindows {
  const {regionId, series} = candidate;
  const {originMs, stepMs, count} = grid;
  const coverageEndMs = originMs + count * stepMs;
  const durationMs = job.durationMs;
  const lowMs = Math.max(job.earliestStartMs, originMs);
  const highMs = Math.min(job.deadlineMs, coverageEndMs) - durationMs;
  const weights = regionWeights(candidate, job);
  const listed: CandidateStart[] = [];
  let best: PlannedWindow | null = null;
  let bestScore = Infinity;
  let evaluatedStartCount = 0;
  let eligibleStartCount = 0;
  let firstEligibleStartMs: number | null = null;
  let lastEligibleStartMs: number | null = null;

  const visit = (startMs: number) => {
    evaluatedStartCount += 1;
    const endMs = startMs + durationMs;
    const eligible = !touchesMissing(grid, startMs, endMs);
    const average = eligible ? (integralTo(grid, endMs) -
      integralTo(grid, startMs)) / durationMs : null;
    if (job.listCandidates) {
      listed.push({startMs, averageGramsPerKilowattHour: average});
    }
    if (average === null) return;
    eligibleStartCount += 1;
    firstEligibleStartMs ??= startMs;
    lastEligibleStartMs = startMs;
    const score = average * weights.gramsPerUnitAverage + weights.priceScore;
    if (best !== null && (score >= bestScore || scoresTie(score, bestScore))) {
      return;
    }
    bestScore = score;
    best = {regionId, startMs, endMs, averageGramsPerKilowattHour: average,
      expectedEmissionsGrams: average * weights.operationalKilowattHours,
      transferEmissionsGrams: average * weights.transferKilowattHours,
      score};
  };

  if (highMs >= lowMs) {
    // Walk both sequences in order, skipping repeats, low and high kept.
    const shiftMs = durationMs % stepMs;
    let previousMs = -Infinity;
    const take = (startMs: number) => {
      if (startMs > previousMs && startMs >= lowMs && startMs <= highMs) {
        visit(startMs);
        previousMs = startMs;
      }
    };
    take(lowMs);
    let onGrid = Math.ceil((lowMs - originMs) / stepMs);
    let shifted = Math.ceil((lowMs - originMs + durationMs) / stepMs);
    for (;;) {
      const gridMs = originMs + onGrid * stepMs;
      const shiftedMs = shiftMs === 0 ? Infinity :
        originMs + shifted * stepMs - durationMs;
      const nextMs = Math.min(gridMs, shiftedMs);
      if (nextMs > highMs) break;
      take(nextMs);
      if (gridMs === nextMs) onGrid += 1;
      if (shiftedMs === nextMs) shifted += 1;
    }
    take(highMs);
  }

  const clean = originMs <= job.earliestStartMs &&
    coverageEndMs >= job.deadlineMs &&
    !touchesMissing(grid, job.earliestStartMs, job.deadlineMs);
  return {regionId, best, evaluatedStartCount, eligibleStartCount,
    firstEligibleStartMs, lastEligibleStartMs, coverageEndMs,
    deadlineBeyondCoverage: coverageEndMs < job.deadlineMs,
    uncovered: clean ? [] : findUncovered(series.points, job.earliestStartMs,
      job.deadlineMs),
    ...(job.listCandidates ? {candidates: listed} : {})};
}

// Everything in the score that does not depend on the start.
function regionWeights(candidate: PlanCandidate, job: WindowJob) {
  const durationHours = job.durationMs / MILLISECONDS_PER_HOUR;
  const operationalKilowattHours = job.itPowerKilowatts * durationHours *
    candidate.powerUsageEffectiveness;
  const away = job.datasetRegionId !== null &&
    job.datasetRegionId !== candidate.regionId;
  const transferKilowattHours = away ? job.transferKilowattHoursAway : 0;
  const priceScore = job.costWeight > 0 ?
    job.costWeight * (candidate.pricePerHour ?? NaN) * durationHours +
      (away ? job.egressScoreAway : 0) : 0;
  return {operationalKilowattHours, transferKilowattHours, priceScore,
    gramsPerUnitAverage: operationalKilowattHours + transferKilowattHours};
}
