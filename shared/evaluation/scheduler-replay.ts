/**
 * The product's own scheduling replayed hour by hour: at each hour the
 * job has not started (or is paused), fresh honest forecasts are issued
 * and the product's planner plans what is left; the fresher plan replaces
 * the current one only when it is better by more than a threshold. A
 * planned segment that starts within the hour is run as planned.
 */
import {planContiguous} from '../planner/contiguous-plan.js';
import {planInterruptible} from '../planner/interruptible-plan.js';
import type {EvaluationJob, ExecutedSegment} from './evaluation-types.js';
import {HOUR_MS} from './hourly-values.js';
import {
  forecastCandidates,
  forecastGrams,
  type ReplayContext,
} from './replay-context.js';

/** Segments the pieces of a planned run; `workMs` is what they do. */
interface PlannedRun extends ExecutedSegment {
  readonly workMs: number;
}

/** Regions the interruptible planner may move segments between. */
const INTERRUPTIBLE_REGION_COUNT = 3;

/** What our scheduler ran, and whether it ended after the deadline. */
export interface ReplayOutcome {
  readonly segments: readonly ExecutedSegment[];
  readonly replans: number;
}

/** Replays the job with the strategy its kind calls for. */
export function replayScheduler(
  job: EvaluationJob,
  context: ReplayContext,
): ReplayOutcome {
  return job.kind === 'interruptible' ?
    replayInterruptible(job, context) : replayContiguous(job, context);
}

/** A job that runs in one piece: wait, re-plan each hour, then run. */
export function replayContiguous(
  job: EvaluationJob,
  context: ReplayContext,
): ReplayOutcome {
  let current: PlannedRun | null = null;
  let replans = 0;
  for (let nowMs = job.submittedAtMs; ; nowMs += HOUR_MS) {
    const plan = planContiguous({
      candidates: forecastCandidates(context, job, nowMs),
      earliestStartMs: nowMs, deadlineMs: job.deadlineMs,
      itPowerKilowatts: context.itPowerKilowatts, durationMs: job.workMs});
    replans += 1;
    const fresh = plan.feasible ? [{regionId: plan.chosen.regionId,
      startMs: plan.chosen.startMs, endMs: plan.chosen.endMs,
      workMs: job.workMs}] : null;
    current = better(context, current === null ? null : [current], fresh,
      plan.feasible ? plan.chosen.expectedEmissionsGrams : 0,
      nowMs)?.[0] ?? null;

    // No plan at all (no forecast anywhere): run at once at home.
    current ??= {regionId: job.homeRegionId, startMs: nowMs,
      endMs: nowMs + job.workMs, workMs: job.workMs};
    if (current.startMs < nowMs + HOUR_MS) {
      return {segments: [{regionId: current.regionId,
        startMs: current.startMs, endMs: current.endMs}], replans};
    }
  }
}

/**
 * A job that may pause: re-plan the remaining work each idle hour on the
 * checkpoint grid, run the plan's first segment when it comes, then
 * re-plan what is left after it (the resume pays the restart overhead).
 */
export function replayInterruptible(
  job: EvaluationJob,
  context: ReplayContext,
): ReplayOutcome {
  const executed: ExecutedSegment[] = [];
  let remainingMs = job.workMs;
  let current: PlannedRun[] | null = null;
  let replans = 0;
  let nowMs = job.submittedAtMs;
  while (remainingMs > 0) {
    const restartMs = executed.length > 0 ? job.restartOverheadMs : 0;
    const plan = planInterruptible({
      candidates: forecastCandidates(context, job, nowMs),
      earliestStartMs: nowMs, deadlineMs: job.deadlineMs - restartMs,
      itPowerKilowatts: context.itPowerKilowatts, workMs: remainingMs,
      checkpointEveryMs: job.checkpointEveryMs, minRunMs: job.minRunMs,
      // every segment run so far was followed by a pause
      maxPauses: job.maxPauses - executed.length,
      checkpointOverheadMs: job.checkpointOverheadMs,
      restartOverheadMs: job.restartOverheadMs,
      maxRegions: INTERRUPTIBLE_REGION_COUNT, gridStepMs: HOUR_MS});
    replans += 1;
    const fresh = plan.feasible ? plan.segments.map((segment) => ({
      regionId: segment.regionId, startMs: segment.startMs,
      endMs: segment.endMs, workMs: segment.workMs})) : null;
    current = better(context, current, fresh,
      plan.feasible ? plan.totalEmissionsGrams : 0, nowMs);

    // No plan fits: run what is left at once where the job last ran.
    current ??= [{regionId: executed.at(-1)?.regionId ?? job.homeRegionId,
      startMs: nowMs, endMs: nowMs + remainingMs, workMs: remainingMs}];
    const first = current[0]!;
    if (first.startMs >= nowMs + HOUR_MS) {
      nowMs += HOUR_MS;
      continue;
    }

    // Run the first segment; a resumed one spends the restart first
    // (the plan was made for a deadline that much earlier).
    const endMs = first.endMs + restartMs;
    executed.push({regionId: first.regionId, startMs: first.startMs, endMs});
    remainingMs = Math.max(0, remainingMs - first.workMs);
    if (remainingMs < 1) break;
    nowMs = Math.ceil(endMs / HOUR_MS) * HOUR_MS;
    current = null;
  }
  return {segments: executed, replans};
}

// TODO(evaluation): use the planner's own re-planning rule (issue 4 item
// 4) and the pause policy for running segments once they exist; this
// local threshold rule can go then.
/**
 * The plan to follow: the fresh one unless the current one, priced on
 * the fresh forecast, is within the improvement threshold of it.
 */
function better(
  context: ReplayContext,
  current: PlannedRun[] | null,
  fresh: PlannedRun[] | null,
  freshGrams: number,
  nowMs: number,
): PlannedRun[] | null {
  if (fresh === null) return current;
  if (current === null) return fresh;
  const keptGrams = forecastGrams(context, current, nowMs);
  if (keptGrams === null) return fresh;
  return freshGrams < keptGrams * (1 - context.replanImprovementFraction) ?
    fresh : current;
}
