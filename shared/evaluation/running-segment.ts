/**
 * A planned segment of an interruptible job as the product runs it: the
 * monitor polls the pause policy (shared/policy) each hour with the
 * reading of the hour just ended, the forecast issued then and the
 * automatic thresholds, and the job's own limits (pauses left, shortest
 * run) on top. A pause ends the segment early after its checkpoint;
 * otherwise it runs to its planned end.
 */
import {autoThresholds} from '../policy/auto-threshold.js';
import {decidePauseOrContinue} from '../policy/pause-policy.js';
import type {PolicyMemory} from '../policy/policy-types.js';
import type {EvaluationJob, ExecutedSegment} from './evaluation-types.js';
import {HOUR_MS} from './hourly-values.js';
import {regionOf, type ReplayContext} from './replay-context.js';

/** A segment to run; `workMs` is the work it does if never paused. */
export interface SegmentToRun extends ExecutedSegment {
  readonly workMs: number;
}

/** The state the run starts from. */
export interface RunState {
  /** Restart overhead spent at the segment's start (0 for the first). */
  readonly restartMs: number;
  /** Work the job has left before this segment. */
  readonly remainingMs: number;
  readonly pausesLeft: number;
  readonly memory: PolicyMemory;
}

/** What was run: the span, the work done and the policy's memory. */
export interface SegmentRun {
  readonly segment: ExecutedSegment;
  readonly workMs: number;
  readonly memory: PolicyMemory;
}

/** Runs the segment, polling the pause policy on each hour inside it. */
export function runSegment(
  context: ReplayContext,
  job: EvaluationJob,
  planned: SegmentToRun,
  state: RunState,
): SegmentRun {
  const region = regionOf(context, planned.regionId);
  const observed = context.observed.get(region.zone);
  const workStartMs = planned.startMs + state.restartMs;
  let memory = state.memory;
  const firstPollMs = Math.floor(planned.startMs / HOUR_MS) * HOUR_MS +
    HOUR_MS;

  for (let nowMs = firstPollMs; nowMs < planned.endMs; nowMs += HOUR_MS) {
    const workedMs = Math.min(planned.workMs,
      Math.max(0, nowMs - workStartMs));
    const remainingWorkMs = state.remainingMs - workedMs;
    if (workedMs >= planned.workMs || remainingWorkMs <= 0) break;

    // What the monitor reads: the hour just ended and a fresh forecast.
    const value = observed?.valueOfHour(nowMs - HOUR_MS);
    const forecast = context.forecasts.series(region.zone, nowMs,
      job.deadlineMs);
    const thresholds = autoThresholds(forecast, nowMs, job.deadlineMs,
      remainingWorkMs);
    if (thresholds === null) continue;
    const decision = decidePauseOrContinue({state: 'running', nowMs,
      reading: {startMs: nowMs - HOUR_MS, durationMs: HOUR_MS,
        gramsPerKilowattHour: value ?? null},
      forecast, remainingWorkMs, unsavedWorkMs: 0,
      deadlineMs: job.deadlineMs,
      checkpoint: {durationMs: job.checkpointOverheadMs},
      restart: {durationMs: job.restartOverheadMs},
      itPowerKilowatts: context.itPowerKilowatts,
      powerUsageEffectiveness: region.powerUsageEffectiveness,
      pollIntervalMs: HOUR_MS,
      config: {pauseAboveGramsPerKilowattHour:
          thresholds.pauseAboveGramsPerKilowattHour,
        resumeBelowGramsPerKilowattHour:
          thresholds.resumeBelowGramsPerKilowattHour},
      memory});
    memory = decision.memory;

    // The job's limits come on top, as in the monitor.
    if (decision.action !== 'pause' || state.pausesLeft < 1 ||
      nowMs - planned.startMs < job.minRunMs) continue;
    return {segment: {regionId: planned.regionId, startMs: planned.startMs,
      endMs: nowMs + job.checkpointOverheadMs}, workMs: workedMs, memory};
  }
  return {segment: {regionId: planned.regionId, startMs: planned.startMs,
    endMs: planned.endMs}, workMs: planned.workMs, memory};
}
