import {effectiveDeadlineMs} from '../../shared/jobs/apply-command.js';
import {listCommands} from '../../shared/jobs/job-command-store.js';
import type {JobSnapshot} from '../../shared/jobs/job-snapshot.js';
import {writeSnapshot} from '../../shared/jobs/job-snapshot.js';
import {
  DEFAULT_MAX_SPOT_PREEMPTIONS,
  preemptionsOf,
} from '../../shared/jobs/spot-preemption.js';
import type {TrainingSegmentStatus} from
  '../../shared/ports/training-backend.js';
import type {SchedulerDependencies} from '../dependencies.js';

const HOUR_MS = 3_600_000;

/** What the decision after a preemption reads. */
export interface PreemptionFacts {
  readonly nowMs: number;
  /** The deadline in force (an operator's extend included). */
  readonly deadlineMs: number;
  /** Preemptions of the job, the one being decided on included. */
  readonly preemptions: number;
  /** Most preemptions the job resumes from. */
  readonly maxPreemptions: number;
  /** Work left from the latest complete checkpoint. */
  readonly remainingWorkMs: number;
  /** Time the resumed segment spends before its first step. */
  readonly restartOverheadMs: number;
}

/** Resume from the latest complete checkpoint, or end failed. */
export type PreemptionDecision =
  | {readonly action: 'resume'; readonly reason: 'preempted';
    readonly resumeAtMs: number; readonly finishByMs: number}
  | {readonly action: 'fail';
    readonly reason: 'max-preemptions-exceeded' | 'preempted-past-deadline';
    readonly message: string};

/**
 * After a SPOT segment was preempted: resume at once from the latest
 * complete checkpoint (the next segment's restart overhead is all it
 * costs; waiting would only spend slack), unless the job has been
 * preempted more than `maxPreemptions` times or the resumed work can no
 * longer end by the deadline.
 */
export function decideAfterPreemption(
  facts: PreemptionFacts,
): PreemptionDecision {
  if (facts.preemptions > facts.maxPreemptions) {
    return {action: 'fail', reason: 'max-preemptions-exceeded',
      message: `preempted ${facts.preemptions} times, more than the ` +
        `${facts.maxPreemptions} a SPOT job resumes from`};
  }
  const finishByMs = facts.nowMs + facts.restartOverheadMs +
    facts.remainingWorkMs;
  if (finishByMs > facts.deadlineMs) {
    return {action: 'fail', reason: 'preempted-past-deadline',
      message: 'preempted; resumed now it would end ' +
        `${new Date(finishByMs).toISOString()}, after the deadline ` +
        `${new Date(facts.deadlineMs).toISOString()}`};
  }
  return {action: 'resume', reason: 'preempted', resumeAtMs: facts.nowMs,
    finishByMs};
}

/** The preempted segment, as the monitor found it. */
export interface PreemptedSegment {
  readonly jobId: string;
  readonly snapshot: JobSnapshot;
  readonly status: TrainingSegmentStatus;
  readonly totalSteps: number;
  readonly requestDeadlineMs: number;
}

/**
 * Records a preempted segment as ended by preemption and answers the
 * workflow: `pause` with `resumeAt` now, so that it resumes through the
 * same checkpoint-pause and resume steps as after a pause (the pause
 * settles on the latest complete checkpoint of a segment that has
 * ended); or `failed` with the reason. The segment's energy covers all
 * the time it held the hardware, the lost steps included.
 */
export async function answerPreemption(
  dependencies: SchedulerDependencies,
  preempted: PreemptedSegment,
): Promise<Record<string, unknown>> {
  const {training, clock, settings, blobs, logger} = dependencies;
  const {snapshot, status} = preempted;
  const nowMs = clock.nowMs();

  // Step 1: the segment ended by preemption, not by a fault of the job.
  const segment = snapshot.segments.find((candidate) =>
    candidate.trainingJobName === status.name);
  if (segment) {
    segment.endedAtMs = status.endTimeMs ?? nowMs;
    segment.endState = status.state;
    segment.endStep = status.lastCheckpointStep ?? 0;
    segment.preempted = true;
  }

  // Step 2: resume or fail, on the work left from the last checkpoint.
  const checkpointStep = status.lastCheckpointStep ?? 0;
  const settled = (await listCommands(blobs, preempted.jobId))
    .filter((record) => record.status !== 'pending');
  const decision = decideAfterPreemption({
    nowMs,
    deadlineMs: effectiveDeadlineMs(preempted.requestDeadlineMs, settled),
    preemptions: preemptionsOf(snapshot) + (segment ? 0 : 1),
    maxPreemptions: settings.maxSpotPreemptions ??
      DEFAULT_MAX_SPOT_PREEMPTIONS,
    remainingWorkMs: (Math.max(0, preempted.totalSteps - checkpointStep) /
      training.stepsPerHour) * HOUR_MS,
    restartOverheadMs: training.restartOverheadMs,
  });
  const lostSteps = status.step === null
    ? null : Math.max(0, status.step - checkpointStep);
  snapshot.decisions.push({
    atMs: nowMs,
    decision: decision.action === 'resume' ? 'pause' : 'failed',
    reason: decision.reason,
    details: {trainingJobName: status.name, preempted: true,
      reachedStep: status.step, checkpointStep, lostSteps,
      preemptions: preemptionsOf(snapshot), ...decision},
  });
  if (decision.action === 'fail') {
    snapshot.state = 'failed';
    snapshot.failureReason = `${status.name} ${decision.message}`;
  }
  snapshot.updatedAtMs = nowMs;
  await writeSnapshot(blobs, snapshot);

  // Step 3: the answer, logged as progress.
  logger.log(decision.action === 'resume' ? 'NOTICE' : 'ERROR',
    decision.action === 'resume'
      ? 'training preempted; resuming from the latest checkpoint'
      : 'training preempted; job failed', {
      jobId: preempted.jobId, trainingJobName: status.name,
      reason: decision.reason, checkpointStep, lostSteps,
      preemptions: preemptionsOf(snapshot), progress: true,
    });
  return decision.action === 'resume'
    ? {decision: 'pause', reason: decision.reason, preempted: true,
      resumeAt: new Date(decision.resumeAtMs).toISOString()}
    : {decision: 'failed', reason: `${decision.reason}: ${decision.message}`};
}
