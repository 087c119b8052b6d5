/**
 * The oracle: the product's planner given perfect foresight (the hours
 * later observed) at submission, under the job's own constraints, with
 * an interruptible job's pauses allowed at every hour as the replay's
 * monitor allows them. It bounds what a forecast-driven schedule could
 * save up to the planner's grid: segments of whole hours of work, where
 * a resumed segment in the replay works whole hours less its restart
 * overhead, so with perfect foresight the replay can come out a few
 * tenths of a percent of the oracle's saving ahead in a scenario.
 */
import {planContiguous} from '../planner/contiguous-plan.js';
import {planInterruptible} from '../planner/interruptible-plan.js';
import type {EvaluationJob, ExecutedSegment} from './evaluation-types.js';
import {HOUR_MS} from './hourly-values.js';
import {observedCandidates, type ReplayContext} from './replay-context.js';

/** The oracle's segments, or null when nothing fits the observed data. */
export function oraclePlan(
  job: EvaluationJob,
  context: ReplayContext,
): ExecutedSegment[] | null {
  const base = {candidates: observedCandidates(context, job),
    earliestStartMs: job.submittedAtMs, deadlineMs: job.deadlineMs,
    itPowerKilowatts: context.itPowerKilowatts};
  if (job.kind === 'contiguous') {
    const plan = planContiguous({...base, durationMs: job.workMs});
    if (!plan.feasible) return null;
    const {regionId, startMs, endMs} = plan.chosen;
    return [{regionId, startMs, endMs}];
  }
  const plan = planInterruptible({...base, workMs: job.workMs,
    // The replay's monitor may pause at any hourly poll (the product
    // asks for a checkpoint on pausing), so the oracle may too: on the
    // job's own checkpoint grid alone it could be beaten.
    checkpointEveryMs: Math.min(job.checkpointEveryMs, HOUR_MS),
    minRunMs: job.minRunMs,
    maxPauses: job.maxPauses,
    checkpointOverheadMs: job.checkpointOverheadMs,
    restartOverheadMs: job.restartOverheadMs, maxRegions: 3,
    gridStepMs: HOUR_MS});
  if (!plan.feasible) return null;
  return plan.segments.map(({regionId, startMs, endMs}) =>
    ({regionId, startMs, endMs}));
}
