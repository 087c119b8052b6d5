/**
 * Turns the grid search's solution, or the contiguous window, into the
 * interruptible plan a caller reads.
 */
import type {InterruptiblePlan} from './interruptible-plan.js';
import type {PlannedWindow} from './plan-types.js';
import type {GridSolution} from './segment-grid-search.js';

/** The plan from the grid search's segments. */
export function fromSolution(
  solution: GridSolution,
  regionIds: readonly string[],
  contiguous: PlannedWindow | null,
  grid: InterruptiblePlan['grid'],
): InterruptiblePlan {
  const segments = solution.segments.map((s) => ({
    regionId: regionIds[s.regionIndex] as string, startMs: s.startMs,
    endMs: s.endMs, workMs: s.workMs, restartOverheadMs: s.restartOverheadMs,
    checkpointOverheadMs: s.checkpointOverheadMs,
    averageGramsPerKilowattHour: s.cost.averageGramsPerKilowattHour,
    emissionsGrams: s.cost.emissionsGrams,
    transferEmissionsGrams: s.cost.transferEmissionsGrams}));
  const total = segments.reduce((sum, s) =>
    sum + s.emissionsGrams + s.transferEmissionsGrams, 0);
  return {feasible: true, algorithm: 'checkpoint-grid-dynamic-programming',
    source: 'dynamic-programming', segments, pauses: segments.length - 1,
    finishMs: segments[segments.length - 1]?.endMs ?? NaN,
    totalEmissionsGrams: total, score: solution.score,
    dynamicProgrammingScore: solution.score, contiguous,
    savingVersusContiguousGrams: contiguous === null ? null :
      contiguous.expectedEmissionsGrams + contiguous.transferEmissionsGrams -
        total, grid};
}

/** The contiguous window as a one-segment plan. */
export function fromContiguous(
  window: PlannedWindow,
  solution: GridSolution | null,
  grid: InterruptiblePlan['grid'],
  workMs: number,
): InterruptiblePlan {
  const emissions = window.expectedEmissionsGrams +
    window.transferEmissionsGrams;
  return {feasible: true, algorithm: 'checkpoint-grid-dynamic-programming',
    source: 'contiguous', segments: [{regionId: window.regionId,
      startMs: window.startMs, endMs: window.endMs, workMs,
      restartOverheadMs: 0, checkpointOverheadMs: 0,
      averageGramsPerKilowattHour: window.averageGramsPerKilowattHour,
      emissionsGrams: window.expectedEmissionsGrams,
      transferEmissionsGrams: window.transferEmissionsGrams}],
    pauses: 0, finishMs: window.endMs, totalEmissionsGrams: emissions,
    score: window.score, dynamicProgrammingScore: solution?.score ?? null,
    contiguous: window, savingVersusContiguousGrams: 0, grid};
}
