/** The typed errors of the Vertex AI training adapter. */
import {SchedulerError} from '../../shared/errors.js';

/** The code launch-training reads to move a job to its next region. */
export const TRAINING_CAPACITY_UNAVAILABLE = 'training-capacity-unavailable';

/** Why a region could not take the job now. */
export type CapacityReason = 'stockout' | 'quota';

/**
 * The region has no capacity (a stockout) or no quota for the hardware.
 * Retryable elsewhere: the launch moves to the next region that meets
 * the job's constraints and records this reason.
 */
export class TrainingCapacityError extends SchedulerError {
  constructor(
    readonly regionId: string,
    readonly reason: CapacityReason,
    readonly detail: string,
    cause?: unknown,
  ) {
    super(TRAINING_CAPACITY_UNAVAILABLE,
      `${regionId} cannot take the job now (${reason}): ${detail}; ` +
        'launch it in the next region that meets its constraints',
      {retryable: true, cause});
  }
}

/** The CustomJob built from the job and plan is not valid. */
export class CustomJobRequestError extends SchedulerError {
  constructor(readonly field: string, problem: string) {
    super('custom-job-request-invalid', `${field} ${problem}`);
  }
}

/** The segment cannot finish before the deadline if it starts now. */
export class DeadlineInfeasibleError extends SchedulerError {
  constructor(message: string) {
    super('deadline-infeasible', message);
  }
}

/** The segment needs longer than one CustomJob may run. */
export class SegmentTooLongError extends SchedulerError {
  constructor(readonly neededSeconds: number, readonly capSeconds: number) {
    super('segment-too-long',
      `the segment needs ${neededSeconds} s of running time, more than ` +
        `the ${capSeconds} s a CustomJob may run here; make the job ` +
        'interruptible so the planner splits it into segments, or raise ' +
        'maxTimeoutSeconds');
  }
}

/** The pause checkpoint was not confirmed in time; nothing was cancelled. */
export class CheckpointNotConfirmedError extends SchedulerError {
  constructor(readonly jobName: string, readonly waitedMs: number) {
    super('checkpoint-not-confirmed',
      `${jobName} wrote no confirmed pause checkpoint within ${waitedMs} ms; ` +
        'the CustomJob was left running (cancelling it would lose the ' +
        'steps since its last checkpoint); retry the pause',
      {retryable: true});
  }
}

/** A CustomJob did not reach a terminal state in time after cancel. */
export class CancellationPendingError extends SchedulerError {
  constructor(readonly jobName: string, readonly state: string) {
    super('cancellation-pending',
      `${jobName} is still ${state} after cancellation; JOB_STATE_CANCELLING ` +
        'is not terminal, so nothing may resume yet; retry later',
      {retryable: true});
  }
}

/** The job ended without the checkpoint a pause needs. */
export class PauseFailedError extends SchedulerError {
  constructor(readonly jobName: string, readonly state: string) {
    super('pause-failed',
      `cannot pause ${jobName}: it ended ${state} without a confirmed ` +
        'checkpoint');
  }
}

/** A name that is not `projects/P/locations/R/customJobs/ID`. */
export class CustomJobNameError extends SchedulerError {
  constructor(readonly jobName: string) {
    super('custom-job-name-invalid',
      `"${jobName}" is not a CustomJob name; expected ` +
        'projects/<project>/locations/<region>/customJobs/<id>');
  }
}

/** A region whose labelled CustomJobs could not be listed, and why. */
export interface RegionListingFailure {
  readonly regionId: string;
  readonly message: string;
}

/**
 * The labelled CustomJobs of some regions could not be listed. Retryable:
 * a partial list would make the jobs of those regions look gone, and the
 * reconciler would fail the executions that watch them.
 */
export class TrainingJobListingError extends SchedulerError {
  constructor(readonly failures: readonly RegionListingFailure[]) {
    super('training-job-listing-incomplete',
      `labelled CustomJobs could not be listed in ` +
        `${failures.map((failure) => failure.regionId).join(', ')} ` +
        `(first: ${failures[0]?.message ?? 'unknown'}); nothing is ` +
        'reconciled until every region lists, so the poll is retried',
      {retryable: true, cause: failures[0]});
  }
}
