/**
 * The product's own scheduling replayed hour by hour: at each hour the
 * job has not started (or is paused), fresh honest forecasts are issued
 * and the product's planner plans what is left; the planner's re-planning
 * rule (shared/planner/replan.ts) decides whether the fresher plan
 * replaces the current one, both priced on the fresh forecast. A plan
 * whose start falls within the hour is launched, never postponed. While
 * an interruptible job runs, the monitor's pause policy is polled each
 * hour (see running-segment.ts).
 */
import {planContiguous} from '../planner/contiguous-plan.js';
import {planInterruptible} from '../planner/interruptible-plan.js';
import {shouldReplace} from '../planner/replan.js';
import type {PolicyMemory} from '../policy/policy-types.js';
import {INITIAL_MEMORY} from '../policy/policy-types.js';
import type {EvaluationJob, ExecutedSegment} from './evaluation-types.js';
import {HOUR_MS} from './hourly-values.js';
import {
  forecastCandidates,
  forecastGrams,
  type ReplayContext,
} from './replay-context.js';
import {runSegment} from './running-segment.js';

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
      nowMs, job.deadlineMs)?.[0] ?? null;

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
 * checkpoint grid, run the plan's first segment when it comes (the pause
 * policy may end it early), then re-plan what is left after it (the
 * resume pays the restart overhead).
 */
export function replayInterruptible(
  job: EvaluationJob,
  context: ReplayContext,
): ReplayOutcome {
  const executed: ExecutedSegment[] = [];
  let remainingMs = job.workMs;
  let current: PlannedRun[] | null = null;
  let replans = 0;
  let memory: PolicyMemory = INITIAL_MEMORY;
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
      plan.feasible ? plan.totalEmissionsGrams : 0, nowMs,
      job.deadlineMs - restartMs);

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
    const run = runSegment(context, job, {...first,
      endMs: first.endMs + restartMs}, {restartMs, remainingMs,
      pausesLeft: job.maxPauses - executed.length, memory});
    memory = run.memory;
    executed.push(run.segment);
    remainingMs = Math.max(0, remainingMs - run.workMs);
    if (remainingMs < 1) break;
    nowMs = Math.ceil(run.segment.endMs / HOUR_MS) * HOUR_MS;
    current = null;
  }
  return {segments: executed, replans};
}

/**
 * The plan to follow, by the planner's re-planning rule: the current
 * plan is re-priced on the fresh forecast and gives way only to a fresh
 * plan better by the mix's threshold plus its margin for the forecast's
 * error at the fresh plan's lead; one due within the hour is launched
 * as it is.
 */
function better(
  context: ReplayContext,
  current: PlannedRun[] | null,
  fresh: PlannedRun[] | null,
  freshGrams: number,
  nowMs: number,
  deadlineMs: number,
): PlannedRun[] | null {
  if (fresh === null) return current;
  if (current === null) return fresh;
  const decision = shouldReplace(
    {startMs: current[0]!.startMs, finishMs: current.at(-1)!.endMs,
      expectedEmissionsGrams: forecastGrams(context, current, nowMs)},
    {startMs: fresh[0]!.startMs, finishMs: fresh.at(-1)!.endMs,
      expectedEmissionsGrams: freshGrams},
    context.replanImprovementFraction, deadlineMs, nowMs, HOUR_MS,
    context.replanLeadErrorFraction);
  return decision.replace ? fresh : current;
}
