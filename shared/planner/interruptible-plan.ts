/**
 * The greenest segment plan for a job that may pause at checkpoints.
 */
import {planContiguous} from './contiguous-plan.js';
import type {ContiguousPlanResult} from './contiguous-plan.js';
import {MissingPriceError, PlannerInputError} from './planner-errors.js';
import {checkBaseInput, nonNegative, positive} from './plan-input-checks.js';
import {TRANSFER_KILOWATT_HOURS_PER_GIGABYTE} from './plan-types.js';
import type {PlanBaseInput, PlannedWindow} from './plan-types.js';
import {RegionSegmentCosts} from './segment-cost.js';
import {searchSegmentGrid} from './segment-grid-search.js';
import type {GridJob} from './segment-grid-search.js';
import {fromContiguous, fromSolution} from './segment-plan-result.js';
import {scoresTie} from './window-order.js';

/** A job that may stop after a checkpoint and resume later. */
export interface InterruptiblePlanInput extends PlanBaseInput {
  /** Run time at full speed, overheads excluded. */
  readonly workMs: number;
  /** Work is saved, and may pause, only every this many ms of work. */
  readonly checkpointEveryMs: number;
  /** No segment runs shorter than this (overheads included). */
  readonly minRunMs: number;
  readonly maxPauses: number;
  /** Time a pausing job spends writing its checkpoint. */
  readonly checkpointOverheadMs: number;
  /** Time a resumed job spends before it does work again. */
  readonly restartOverheadMs: number;
  /** Moved when a segment runs in another region than the one before. */
  readonly checkpointGigabytes?: number;
  /** How many of the best contiguous regions segments may use (3). */
  readonly maxRegions?: number;
  /** Spacing of allowed segment starts (checkpointEveryMs). */
  readonly gridStepMs?: number;
}

/** One run of the plan, overheads included in its span and emissions. */
export interface PlannedSegment {
  readonly regionId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly workMs: number;
  readonly restartOverheadMs: number;
  readonly checkpointOverheadMs: number;
  readonly averageGramsPerKilowattHour: number;
  readonly emissionsGrams: number;
  readonly transferEmissionsGrams: number;
}

/** The chosen plan, and the contiguous plan it is compared with. */
export interface InterruptiblePlan {
  readonly feasible: true;
  readonly algorithm: 'checkpoint-grid-dynamic-programming';
  /** Whether the grid search or the continuous-start window won. */
  readonly source: 'dynamic-programming' | 'contiguous';
  readonly segments: readonly PlannedSegment[];
  readonly pauses: number;
  readonly finishMs: number;
  readonly totalEmissionsGrams: number;
  readonly score: number;
  /** Best grid-search score, for cross-checks; null when none fits. */
  readonly dynamicProgrammingScore: number | null;
  readonly contiguous: PlannedWindow | null;
  /** Contiguous minus chosen emissions; null without a contiguous plan. */
  readonly savingVersusContiguousGrams: number | null;
  readonly grid: {stepMs: number; slotCount: number; unitCount: number;
    regionIds: readonly string[]};
}

/** No segment plan meets the deadline on the available data. */
export interface InfeasibleInterruptiblePlan {
  readonly feasible: false;
  readonly reason: 'no-candidates' | 'no-feasible-plan';
  readonly message: string;
  readonly contiguous: ContiguousPlanResult;
}

export type InterruptiblePlanResult =
  | InterruptiblePlan
  | InfeasibleInterruptiblePlan;

/** States above this many refuse the grid, asking for a coarser step. */
const MAX_GRID_STATES = 20_000_000;

/**
 * Plans segments on the checkpoint grid by exact dynamic programming
 * (see searchSegmentGrid: O(T x P x U x R^2 x U) time), over the best
 * `maxRegions` regions of the contiguous ranking, then keeps whichever
 * of that and the contiguous plan (continuous starts) scores lower.
 *
 * @throws PlannerInputError, MissingPriceError, BasisMismatchError
 */
export function planInterruptible(
  input: InterruptiblePlanInput,
): InterruptiblePlanResult {
  checkInterruptibleInput(input);
  const contiguousResult = planContiguous({...input, durationMs: input.workMs});
  const contiguous = contiguousResult.feasible ? contiguousResult.chosen :
    null;
  const regionIds = pickRegions(contiguousResult, input.maxRegions ?? 3);
  if (regionIds.length === 0) {
    return {feasible: false, reason: 'no-candidates', contiguous:
      contiguousResult, message: 'candidates: none on the ranking basis'};
  }

  const byId = new Map(input.candidates.map((c) => [c.regionId, c]));
  const regions = regionIds.map((id) => new RegionSegmentCosts(
    byId.get(id)!, input.itPowerKilowatts, input.costWeight ?? 0));
  const job = gridJob(input, regionIds);
  const solution = searchSegmentGrid(regions, job);
  const grid = {stepMs: job.stepMs, slotCount: job.slotCount,
    unitCount: job.unitCount, regionIds};

  const useContiguous = contiguous !== null && (solution === null ||
    contiguous.score <= solution.score ||
    scoresTie(contiguous.score, solution.score));
  if (useContiguous) {
    return fromContiguous(contiguous, solution, grid, input.workMs);
  }
  if (solution === null) {
    return {feasible: false, reason: 'no-feasible-plan', contiguous:
      contiguousResult, message: 'no segment plan of the work ends by the ' +
        'deadline on covered data within maxPauses and minRunMs'};
  }
  return fromSolution(solution, regionIds, contiguous, grid);
}

function checkInterruptibleInput(input: InterruptiblePlanInput): void {
  checkBaseInput(input);
  positive('workMs', input.workMs);
  positive('checkpointEveryMs', input.checkpointEveryMs);
  positive('gridStepMs', input.gridStepMs ?? input.checkpointEveryMs);
  nonNegative('minRunMs', input.minRunMs);
  nonNegative('checkpointOverheadMs', input.checkpointOverheadMs);
  nonNegative('restartOverheadMs', input.restartOverheadMs);
  nonNegative('checkpointGigabytes', input.checkpointGigabytes ?? 0);
  for (const [field, value] of [['maxPauses', input.maxPauses],
    ['maxRegions', input.maxRegions ?? 1]] as const) {
    if (!(Number.isInteger(value) && value >= 0)) {
      throw new PlannerInputError(field, `${value} is unusable`,
        'a whole number >= 0');
    }
  }
}

// Regions with a contiguous window first (by rank), then the others.
function pickRegions(result: ContiguousPlanResult, maxRegions: number) {
  const usable = result.regions.filter((r) => r.excluded !== 'basis-mismatch');
  const ranked = usable.filter((r) => r.best !== null)
    .sort((a, b) => scoresTie(a.best!.score, b.best!.score) ?
      a.best!.startMs - b.best!.startMs : a.best!.score - b.best!.score);
  const rest = usable.filter((r) => r.best === null);
  return [...ranked, ...rest].slice(0, maxRegions).map((r) => r.regionId);
}

function gridJob(input: InterruptiblePlanInput, regionIds: string[]): GridJob {
  const stepMs = input.gridStepMs ?? input.checkpointEveryMs;
  const slotCount = Math.max(0, Math.floor(
    (input.deadlineMs - input.earliestStartMs) / stepMs));
  const unitCount = Math.ceil(input.workMs / input.checkpointEveryMs);
  const states = (slotCount + 1) * (unitCount + 1) *
    (input.maxPauses + 1) * regionIds.length;
  if (states > MAX_GRID_STATES) {
    throw new PlannerInputError('gridStepMs', `the grid would hold ${states}` +
      ' states', `a step giving at most ${MAX_GRID_STATES} states`);
  }
  const perGigabyte = TRANSFER_KILOWATT_HOURS_PER_GIGABYTE;
  return {originMs: input.earliestStartMs, stepMs, slotCount,
    deadlineMs: input.deadlineMs, workMs: input.workMs,
    checkpointEveryMs: input.checkpointEveryMs, unitCount,
    minRunMs: input.minRunMs, maxPauses: input.maxPauses,
    checkpointOverheadMs: input.checkpointOverheadMs,
    restartOverheadMs: input.restartOverheadMs,
    checkpointTransferKilowattHours: (input.checkpointGigabytes ?? 0) *
      perGigabyte,
    datasetTransferKilowattHours: (input.datasetGigabytes ?? 0) * perGigabyte,
    checkpointEgressScore: egressScore(input, input.checkpointGigabytes),
    datasetEgressScore: egressScore(input, input.datasetGigabytes),
    datasetRegionIndex: input.datasetRegionId === undefined ? -1 :
      regionIds.indexOf(input.datasetRegionId)};
}

// costWeight x egress price x gigabytes; 0 without a cost weight.
function egressScore(input: InterruptiblePlanInput, gigabytes = 0): number {
  const costWeight = input.costWeight ?? 0;
  if (!(costWeight > 0) || gigabytes === 0) return 0;
  const price = input.egressPricePerGigabyte;
  if (price === null || price === undefined) {
    throw new MissingPriceError('egressPricePerGigabyte', costWeight);
  }
  return costWeight * price * gigabytes;
}
