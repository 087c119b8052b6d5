import type {JobSnapshot} from '../jobs/job-snapshot.js';
import {TERMINAL_TRAINING_STATES} from '../ports/training-backend.js';
import type {
  EndedSegmentAction,
  TrainingJobView,
} from './reconcile.js';
import {
  hours,
  iso,
  MAX_RESTARTS,
  RESTART_DECISIONS,
  remainingWorkMs,
  type StrandedInput,
} from './stranded-jobs.js';

/**
 * Ended segments: a job still `running` on its snapshot whose current
 * training job ended (succeeded, failed, cancelled) while no execution
 * watched it would stay running for ever, since no monitor poll reports
 * the end. This part of reconciliation repairs it:
 *
 * - the segment succeeded with the work done, or an operator cancel was
 *   applied: a new execution records the footprint (the workflow's
 *   record step), which completes (or cancels) the job;
 * - otherwise, with a complete checkpoint and time left before the
 *   deadline: a new execution resumes from the checkpoint, through the
 *   resume path of a paused job;
 * - otherwise the job is failed, with the reason.
 *
 * Only past the grace period (of the snapshot and of the training job's
 * end), and never twice for the same sequence: a repair lost again
 * without progress fails the job. Pure, like {@link reconcile}.
 */

/** What {@link endedSegmentActions} is given. */
export interface EndedInput extends StrandedInput {
  /** The labelled training jobs, ended ones described. */
  readonly trainingJobs: readonly TrainingJobView[];
}

/** The decision name a footprint restart leaves on the snapshot. */
export const RECORD_DECISION = 'restart-record';

/** The repair of every running job whose training job ended unwatched. */
export function endedSegmentActions(
  input: EndedInput,
): EndedSegmentAction[] {
  const byName = new Map(input.trainingJobs.map((job) => [job.name, job]));
  const actions: EndedSegmentAction[] = [];
  for (const snapshot of input.snapshots) {
    const action = repairOf(snapshot, byName, input);
    if (action) actions.push(action);
  }
  return actions;
}

// The repair of one job; null when its segment has not ended unwatched.
function repairOf(
  snapshot: JobSnapshot,
  byName: ReadonlyMap<string, TrainingJobView>,
  input: EndedInput,
): EndedSegmentAction | null {
  // Step 1: a running job nobody watches, whose current training job
  // ended and was described, all quiet for the grace period.
  const {jobId} = snapshot;
  if (snapshot.state !== 'running') return null;
  if (input.watchedJobIds.has(jobId) || input.trainingJobIds.has(jobId)) {
    return null;
  }
  const segment = snapshot.segments.at(-1);
  const job = segment ? byName.get(segment.trainingJobName) : undefined;
  if (!segment || !job?.ended || !TERMINAL_TRAINING_STATES.has(job.state)) {
    return null;
  }
  const {step, lastCheckpointStep} = job.ended;
  const endedAtMs = job.ended.endedAtMs ?? segment.endedAtMs ?? null;
  if (input.nowMs - snapshot.updatedAtMs < input.graceMs) return null;
  if (endedAtMs !== null && input.nowMs - endedAtMs < input.graceMs) {
    return null;
  }
  const ended = `${job.name} (segment ${segment.index}) ended ` +
    `${job.state} at step ${step ?? 'unknown'} while no lifecycle ` +
    `execution watched job ${jobId}`;
  const fields = {
    jobId, trainingJobName: job.name, segmentIndex: segment.index,
    endState: job.state, endedAtMs, endStep: step,
    lastSequence: snapshot.lastSequence,
  };
  const fail = (why: string): EndedSegmentAction =>
    ({kind: 'fail-ended', ...fields, reason: `${ended}; ${why}`});

  // Step 2: a repair already made at this sequence was lost again.
  const repairs = snapshot.decisions.filter((decision) =>
    decision.decision === RECORD_DECISION ||
    RESTART_DECISIONS.has(decision.decision));
  const lastRepair = repairs.at(-1);
  if (lastRepair?.decision === RECORD_DECISION &&
      lastRepair.details['lastSequence'] === snapshot.lastSequence) {
    return fail(`the execution started at ${iso(lastRepair.atMs)} to ` +
      'record its footprint is gone without any progress');
  }
  if (repairs.length >= MAX_RESTARTS) {
    return fail(`the job was restarted ${repairs.length} times; it is ` +
      'not restarted again');
  }

  // Step 3: work done (or cancelled): record the footprint.
  const terms = input.terms.get(jobId);
  const totalSteps = terms?.totalSteps ?? null;
  const stepsLeft = step !== null && totalSteps !== null &&
    step < totalSteps;
  if (snapshot.cancellation ||
      (job.state === 'JOB_STATE_SUCCEEDED' && !stepsLeft)) {
    return {kind: 'restart-record', ...fields,
      reason: `${ended}; ${snapshot.cancellation
        ? 'an operator cancel was applied' : 'its work is complete'}, so ` +
        'a new execution records the footprint'};
  }

  // Step 4: work left: resume from a complete checkpoint, in time.
  const short = stepsLeft ? ` short of its ${totalSteps} steps` : '';
  if (lastCheckpointStep === null || lastCheckpointStep <= 0) {
    return fail(`it left no checkpoint to resume from${short}`);
  }
  const remainingMs = remainingWorkMs(terms, lastCheckpointStep,
    input.restartOverheadMs);
  const deadlineMs = terms?.deadlineMs ?? null;
  if (remainingMs !== null && deadlineMs !== null &&
      input.nowMs + remainingMs > deadlineMs) {
    return fail(`the ${hours(remainingMs)} of work left from checkpoint ` +
      `step ${lastCheckpointStep} cannot finish by the deadline ` +
      `${iso(deadlineMs)}`);
  }
  return {kind: 'restart-ended', ...fields,
    endStep: lastCheckpointStep, checkpointStep: lastCheckpointStep,
    reason: `${ended}${short}; it resumes at once from checkpoint step ` +
      `${lastCheckpointStep}`};
}
