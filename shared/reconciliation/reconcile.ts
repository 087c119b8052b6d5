import type {JobSnapshot, JobState} from '../jobs/job-snapshot.js';
import {
  TERMINAL_TRAINING_STATES,
  type TrainingJobState,
} from '../ports/training-backend.js';
import {endedSegmentActions} from './ended-segments.js';
import {strandedJobActions, type JobTermsView} from './stranded-jobs.js';

/**
 * Reconciliation: so that no GPU job runs unwatched, the scheduled poll
 * compares three views of the world and says what to repair. Pure: the
 * caller lists executions and training jobs, and carries out the actions.
 *
 * - A training job still running whose lifecycle execution is gone is
 *   adopted: a new execution takes it over from the job's snapshot.
 * - When adoption is impossible (no snapshot, the job already finished,
 *   or the training job is not the job's current segment), the training
 *   job is checkpointed and cancelled.
 * - An execution waiting on a training job that no longer exists is
 *   failed, with the reason.
 * - A job left waiting for its slot or paused with neither execution nor
 *   training job is restarted: planned again, or resumed from its
 *   checkpoint; failed instead when its deadline can no longer be met
 *   (see stranded-jobs.ts).
 * - A job left running whose current training job ended while nothing
 *   watched it has its footprint recorded (the work is done), is
 *   resumed from the segment's checkpoint, or is failed (see
 *   ended-segments.ts).
 */

/** Workflows execution states (Executions API `State`). */
export type ExecutionState =
  | 'QUEUED'
  | 'ACTIVE'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'CANCELLED'
  | 'UNAVAILABLE';

/** A lifecycle execution, keyed by the job id its label carries. */
export interface ExecutionView {
  readonly jobId: string;
  readonly executionName: string;
  readonly state: ExecutionState;
}

/** A training job carrying the product's labels. */
export interface TrainingJobView {
  /** The job id from the `carbon-job-id` label, mapped back to the id. */
  readonly jobId: string;
  /** The `attempt` label: the segment index. */
  readonly attempt: number;
  readonly name: string;
  readonly state: TrainingJobState;
  /** When it was created, when known. */
  readonly createdAtMs?: number | null;
  /**
   * Where an ended training job stopped, read from the backend for the
   * current segment of a running job nobody watches; absent otherwise.
   */
  readonly ended?: EndedTrainingView;
}

/** How an ended training job left its work. */
export interface EndedTrainingView {
  /** The step it reached; null when unreported. */
  readonly step: number | null;
  /** Its highest complete checkpoint; null when it left none. */
  readonly lastCheckpointStep: number | null;
  /** When it ended; null when unreported. */
  readonly endedAtMs: number | null;
}

/** What the reconciler is given. */
export interface ReconcileInput {
  readonly snapshots: readonly JobSnapshot[];
  readonly executions: readonly ExecutionView[];
  readonly trainingJobs: readonly TrainingJobView[];
  readonly nowMs: number;
  /**
   * Listing is eventually consistent: what was launched or started less
   * than this long ago is left alone. Ten minutes by default.
   */
  readonly graceMs?: number;
  /**
   * Deadline and run length per job, for restarting stranded jobs;
   * a job without terms is restarted without the deadline check.
   */
  readonly terms?: readonly JobTermsView[];
  /** Start-up time of a launched or resumed segment; 0 by default. */
  readonly restartOverheadMs?: number;
}

/** One repair. */
export type ReconcileAction =
  | {
    readonly kind: 'adopt';
    readonly jobId: string;
    readonly trainingJobName: string;
    readonly segmentIndex: number;
    /** The new execution starts from the snapshot with this flag. */
    readonly adopt: true;
    readonly reason: string;
  }
  | {
    readonly kind: 'checkpoint-and-cancel';
    readonly jobId: string;
    readonly trainingJobName: string;
    readonly reason: string;
  }
  | {
    readonly kind: 'fail-execution';
    readonly jobId: string;
    readonly executionName: string;
    readonly trainingJobName: string;
    readonly reason: string;
  }
  | {
    /** A new execution plans again and waits for the slot. */
    readonly kind: 'restart-waiting';
    readonly jobId: string;
    /** The snapshot's last applied sequence when this was decided. */
    readonly lastSequence: number;
    readonly reason: string;
  }
  | {
    /** A new execution resumes the job from its checkpoint. */
    readonly kind: 'restart-paused';
    readonly jobId: string;
    /** The paused segment, the one the resume follows. */
    readonly trainingJobName: string;
    readonly segmentIndex: number;
    /** Where the paused segment stopped; null when unrecorded. */
    readonly checkpointStep: number | null;
    readonly pausedAtMs: number;
    /** When to resume; null: at once. */
    readonly resumeAtMs: number | null;
    readonly lastSequence: number;
    readonly reason: string;
  }
  | {
    /** A stranded job that cannot be restarted ends failed. */
    readonly kind: 'fail-stranded';
    readonly jobId: string;
    readonly state: JobState;
    readonly reason: string;
  }
  | EndedSegmentAction;

/** What ended the current segment of a running job nobody watched. */
interface EndedSegmentFields {
  readonly jobId: string;
  readonly trainingJobName: string;
  readonly segmentIndex: number;
  readonly endState: TrainingJobState;
  /** When the segment ended; null when the backend did not say. */
  readonly endedAtMs: number | null;
  /** The step recorded as the segment's end; null when unknown. */
  readonly endStep: number | null;
  /** The snapshot's last applied sequence when this was decided. */
  readonly lastSequence: number;
  readonly reason: string;
}

/** The repairs of a running job whose training job ended unwatched. */
export type EndedSegmentAction =
  | (EndedSegmentFields & {
    /** The work is done: a new execution records the footprint. */
    readonly kind: 'restart-record';
  })
  | (EndedSegmentFields & {
    /** A new execution resumes from the segment's checkpoint. */
    readonly kind: 'restart-ended';
    readonly checkpointStep: number;
  })
  | (EndedSegmentFields & {
    /** Nothing to resume from, or no time left: the job ends failed. */
    readonly kind: 'fail-ended';
  });

const DEFAULT_GRACE_MS = 10 * 60_000;

/** Execution states in which an execution still runs its job. */
export const LIVE_EXECUTION_STATES: ReadonlySet<ExecutionState> =
  new Set(['QUEUED', 'ACTIVE']);

/** The repairs that bring the three views back into agreement. */
export function reconcile(input: ReconcileInput): ReconcileAction[] {
  const graceMs = input.graceMs ?? DEFAULT_GRACE_MS;
  const snapshots = new Map(input.snapshots.map((s) => [s.jobId, s]));
  const liveExecutions = new Map<string, ExecutionView>();
  for (const execution of input.executions) {
    if (LIVE_EXECUTION_STATES.has(execution.state)) {
      liveExecutions.set(execution.jobId, execution);
    }
  }
  const actions: ReconcileAction[] = [];

  // Step 1: live training jobs nobody watches.
  const liveTraining = input.trainingJobs.filter((job) =>
    !TERMINAL_TRAINING_STATES.has(job.state) &&
    job.state !== 'JOB_STATE_CANCELLING');
  const latestAttempt = new Map<string, number>();
  for (const job of liveTraining) {
    latestAttempt.set(job.jobId,
      Math.max(job.attempt, latestAttempt.get(job.jobId) ?? -1));
  }
  for (const job of liveTraining) {
    if (liveExecutions.has(job.jobId)) continue;
    if (job.createdAtMs != null && input.nowMs - job.createdAtMs < graceMs) {
      continue;
    }
    const latest = latestAttempt.get(job.jobId)!;
    const reason = job.attempt < latest
      ? `${job.name} is segment ${job.attempt}, superseded by segment ` +
        `${latest}, which also runs`
      : adoptionObstacle(snapshots.get(job.jobId), job);
    actions.push(reason === null
      ? {kind: 'adopt', jobId: job.jobId, trainingJobName: job.name,
        segmentIndex: job.attempt, adopt: true,
        reason: `${job.name} is ${job.state} and no lifecycle execution ` +
          'watches it'}
      : {kind: 'checkpoint-and-cancel', jobId: job.jobId,
        trainingJobName: job.name, reason});
  }

  // Step 2: executions waiting on a training job that has vanished.
  const listed = new Set(input.trainingJobs.map((job) => job.name));
  for (const execution of liveExecutions.values()) {
    const snapshot = snapshots.get(execution.jobId);
    if (!snapshot || snapshot.state !== 'running') continue;
    const segment = snapshot.segments.at(-1);
    if (!segment || segment.endedAtMs !== undefined) continue;
    if (listed.has(segment.trainingJobName)) continue;
    if (input.nowMs - segment.launchedAtMs < graceMs) continue;
    actions.push({
      kind: 'fail-execution',
      jobId: execution.jobId,
      executionName: execution.executionName,
      trainingJobName: segment.trainingJobName,
      reason: `the execution waits on ${segment.trainingJobName} ` +
        `(segment ${segment.index}), which no longer exists`,
    });
  }

  // Step 3: jobs waiting or paused that nobody runs any more, and jobs
  // left running whose training job ended unwatched.
  const unwatched = {
    snapshots: input.snapshots,
    watchedJobIds: new Set(liveExecutions.keys()),
    trainingJobIds: new Set(input.trainingJobs
      .filter((job) => !TERMINAL_TRAINING_STATES.has(job.state))
      .map((job) => job.jobId)),
    terms: new Map((input.terms ?? []).map((terms) =>
      [terms.jobId, terms])),
    nowMs: input.nowMs,
    graceMs,
    restartOverheadMs: input.restartOverheadMs ?? 0,
  };
  actions.push(...strandedJobActions(unwatched));
  actions.push(...endedSegmentActions({...unwatched,
    trainingJobs: input.trainingJobs}));
  return actions;
}

// Why a running training job cannot be taken over; null when it can.
function adoptionObstacle(
  snapshot: JobSnapshot | undefined,
  job: TrainingJobView,
): string | null {
  if (!snapshot) {
    return `${job.name} runs for job ${job.jobId}, which has no snapshot ` +
      'to resume from';
  }
  if (snapshot.state === 'completed' || snapshot.state === 'failed') {
    return `${job.name} still runs but job ${job.jobId} has already ` +
      snapshot.state;
  }
  const current = snapshot.segments.at(-1);
  if (current && current.index > job.attempt) {
    return `${job.name} is segment ${job.attempt}, but job ${job.jobId} ` +
      `is at segment ${current.index}`;
  }
  if (current && current.index === job.attempt &&
      current.trainingJobName !== job.name) {
    return `${job.name} is not the training job the snapshot records for ` +
      `segment ${job.attempt} (${current.trainingJobName})`;
  }
  return null;
}
