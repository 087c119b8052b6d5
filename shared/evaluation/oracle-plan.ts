/**
 * The oracle: the product's planner given perfect foresight (the hours
 * later observed) at submission, under the job's own constraints. It
 * bounds what any forecast-driven schedule could save.
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
    checkpointEveryMs: job.checkpointEveryMs, minRunMs: job.minRunMs,
    maxPauses: job.maxPauses,
    checkpointOverheadMs: job.checkpointOverheadMs,
    restartOverheadMs: job.restartOverheadMs, maxRegions: 3,
    gridStepMs: HOUR_MS});
  if (!plan.feasible) return null;
  return plan.segments.map(({regionId, startMs, endMs}) =>
    ({regionId, startMs, endMs}));
}
