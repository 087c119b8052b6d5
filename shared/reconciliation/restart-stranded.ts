import {SchedulerError} from '../errors.js';
import {
  readSnapshot,
  writeSnapshot,
  type JobSnapshot,
} from '../jobs/job-snapshot.js';
import type {BlobStore} from '../ports/blob-store.js';
import type {
  LifecycleArguments,
  LifecycleStarter,
  RestartArgument,
} from '../ports/lifecycle-starter.js';
import type {Clock} from '../time/clock.js';
import type {ReconcileAction} from './reconcile.js';

/** The repairs of stranded jobs. */
export type StrandedAction = Extract<ReconcileAction,
  {kind: 'restart-waiting' | 'restart-paused' | 'fail-stranded'}>;

/** What carrying out a stranded job's repair needs. */
export interface RestartPorts {
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly lifecycle: LifecycleStarter;
}

/** The snapshot changed between the decision and its repair. */
export class StrandedJobMovedError extends SchedulerError {
  readonly jobId: string;
  readonly decidedState: string;
  readonly foundState: string | null;

  constructor(jobId: string, decided: string, found: string | null) {
    super('stranded-job-moved',
      `job ${jobId} was ${decided} when its repair was decided but is ` +
        `${found ?? 'gone'} now; the next poll decides again`,
      {retryable: true});
    this.jobId = jobId;
    this.decidedState = decided;
    this.foundState = found;
  }
}

/**
 * Restarts a stranded job, or fails it. The restart is noted on the
 * snapshot first (with the sequence it was decided at), then the new
 * execution starts: a poll that comes before the execution is listed
 * finds the snapshot freshly updated and waits out the grace period,
 * and a restart lost again without progress is recognised by the note.
 *
 * @param base - the arguments every execution of the job starts with
 * @returns what the announcement adds
 * @throws StrandedJobMovedError - the job moved on since the decision
 */
export async function repairStranded(
  ports: RestartPorts,
  action: StrandedAction,
  base: Omit<LifecycleArguments, 'adopt' | 'restart'>,
): Promise<Record<string, unknown>> {
  // Step 1: the snapshot must still be as the decision saw it.
  const snapshot = await readSnapshot(ports.blobs, action.jobId);
  const decided = action.kind === 'fail-stranded' ? action.state
    : action.kind === 'restart-paused' ? 'paused' : null;
  const unchanged = snapshot !== undefined &&
    (decided === null
      ? snapshot.state === 'accepted' || snapshot.state === 'planned'
      : snapshot.state === decided) &&
    (action.kind === 'fail-stranded' ||
      snapshot.lastSequence === action.lastSequence);
  if (!unchanged) {
    throw new StrandedJobMovedError(action.jobId, decided ?? 'waiting',
      snapshot?.state ?? null);
  }
  const nowMs = ports.clock.nowMs();

  // Step 2: a job that cannot be restarted ends failed, with the reason.
  if (action.kind === 'fail-stranded') {
    snapshot.state = 'failed';
    snapshot.failureReason = action.reason;
    note(snapshot, nowMs, action.kind, action.reason, {
      stateBefore: action.state,
    });
    await writeSnapshot(ports.blobs, snapshot);
    return {stateBefore: action.state};
  }

  // Step 3: note the restart, then start the new execution.
  const restart = restartArgument(action);
  note(snapshot, nowMs, action.kind, action.reason, {
    lastSequence: action.lastSequence,
    afterSequence: restart.afterSequence,
    ...(restart.phase === 'paused'
      ? {resumeAt: restart.resumeAt, checkpointStep: restart.checkpointStep}
      : {}),
  });
  await writeSnapshot(ports.blobs, snapshot);
  const execution = await ports.lifecycle.start({...base, restart});
  return {
    executionName: execution.executionName,
    afterSequence: restart.afterSequence,
    ...(restart.phase === 'paused'
      ? {resumeAt: restart.resumeAt, checkpointStep: restart.checkpointStep,
        trainingJobName: restart.trainingJobName}
      : {}),
  };
}

/** The `restart` argument of the new execution. */
export function restartArgument(
  action: Extract<StrandedAction, {kind: 'restart-waiting' |
    'restart-paused'}>,
): RestartArgument {
  // One past the snapshot's sequence: a request the lost execution may
  // have sent without its reply being applied is never repeated.
  const afterSequence = action.lastSequence + 1;
  if (action.kind === 'restart-waiting') {
    return {phase: 'waiting', afterSequence};
  }
  return {
    phase: 'paused',
    afterSequence,
    trainingJobName: action.trainingJobName,
    segmentIndex: action.segmentIndex,
    checkpointStep: action.checkpointStep,
    pausedAt: new Date(action.pausedAtMs).toISOString(),
    resumeAt: action.resumeAtMs === null
      ? null : new Date(action.resumeAtMs).toISOString(),
  };
}

function note(
  snapshot: JobSnapshot,
  nowMs: number,
  decision: string,
  reason: string,
  details: Record<string, unknown>,
): void {
  snapshot.updatedAtMs = nowMs;
  snapshot.decisions.push({atMs: nowMs, decision, reason, details});
}
