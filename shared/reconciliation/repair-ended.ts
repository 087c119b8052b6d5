import {
  readSnapshot,
  writeSnapshot,
} from '../jobs/job-snapshot.js';
import type {
  LifecycleArguments,
  RestartArgument,
} from '../ports/lifecycle-starter.js';
import type {EndedSegmentAction} from './reconcile.js';
import {StrandedJobMovedError, type RestartPorts} from
  './restart-stranded.js';

/**
 * Repairs a running job whose current segment ended unwatched. The
 * segment's end is first written on the snapshot, as the monitor would
 * have written it, with the repair noted (and the sequence it was
 * decided at); then the new execution starts. A footprint restart keeps
 * the job running until record-footprint ends it; a resume marks it
 * paused, so a resume lost again is handled as a stranded paused job.
 *
 * @param base - the arguments every execution of the job starts with
 * @returns what the announcement adds
 * @throws StrandedJobMovedError - the job moved on since the decision
 */
export async function repairEnded(
  ports: RestartPorts,
  action: EndedSegmentAction,
  base: Omit<LifecycleArguments, 'adopt' | 'restart'>,
): Promise<Record<string, unknown>> {
  // Step 1: the snapshot must still be as the decision saw it.
  const snapshot = await readSnapshot(ports.blobs, action.jobId);
  const segment = snapshot?.segments.at(-1);
  if (!snapshot || snapshot.state !== 'running' ||
      snapshot.lastSequence !== action.lastSequence ||
      segment?.trainingJobName !== action.trainingJobName) {
    throw new StrandedJobMovedError(action.jobId, 'running',
      snapshot?.state ?? null);
  }
  const nowMs = ports.clock.nowMs();

  // Step 2: the segment's end, as the backend reported it.
  segment.endedAtMs ??= action.endedAtMs ?? nowMs;
  segment.endState ??= action.endState;
  if (segment.endStep === undefined && action.endStep !== null) {
    segment.endStep = action.endStep;
  }
  const afterSequence = action.lastSequence + 1;
  const noted = {trainingJobName: action.trainingJobName,
    endState: action.endState, lastSequence: action.lastSequence,
    afterSequence};
  snapshot.updatedAtMs = nowMs;

  // Step 3: a job that cannot go on ends failed, with the reason.
  if (action.kind === 'fail-ended') {
    snapshot.state = 'failed';
    snapshot.failureReason = action.reason;
    snapshot.decisions.push({atMs: nowMs, decision: action.kind,
      reason: action.reason, details: noted});
    await writeSnapshot(ports.blobs, snapshot);
    return {endState: action.endState};
  }

  // Step 4: note the repair, then start the execution that makes it.
  let restart: RestartArgument;
  if (action.kind === 'restart-record') {
    restart = {phase: 'record', afterSequence};
  } else {
    snapshot.state = 'paused';
    restart = {
      phase: 'paused',
      afterSequence,
      trainingJobName: action.trainingJobName,
      segmentIndex: action.segmentIndex,
      checkpointStep: action.checkpointStep,
      pausedAt: new Date(segment.endedAtMs).toISOString(),
      resumeAt: null,
    };
  }
  snapshot.decisions.push({atMs: nowMs, decision: action.kind,
    reason: action.reason,
    details: action.kind === 'restart-ended'
      ? {...noted, checkpointStep: action.checkpointStep, resumeAt: null}
      : noted});
  await writeSnapshot(ports.blobs, snapshot);
  const execution = await ports.lifecycle.start({...base, restart});
  return {
    executionName: execution.executionName,
    afterSequence,
    endState: action.endState,
    ...(action.kind === 'restart-ended'
      ? {checkpointStep: action.checkpointStep} : {}),
  };
}
