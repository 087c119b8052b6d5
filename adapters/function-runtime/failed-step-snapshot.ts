import type {SchedulerError} from '../../shared/errors.js';
import {
  readSnapshot,
  writeSnapshot,
  type JobState,
} from '../../shared/jobs/job-snapshot.js';
import type {Envelope} from '../../shared/messaging/envelope.js';
import type {BlobStore} from '../../shared/ports/blob-store.js';

// States a refused request leaves as they are: the job already ended.
const ENDED_STATES: ReadonlySet<JobState> =
  new Set(['completed', 'failed', 'cancelled']);

/**
 * Marks a job failed on its snapshot when a step refuses its request for
 * good (a budget rejection, a request that can never succeed). The
 * workflow fails on any error reply, and its except path only publishes
 * `failed` on job-events, which no function reads: the snapshot is the
 * one record reconciliation reads, so the failure is written there, with
 * the reason, before the reply goes out. A job that has already ended is
 * left as it is.
 *
 * @returns whether the snapshot was marked
 */
export async function markStepFailure(
  blobs: BlobStore,
  functionName: string,
  envelope: Envelope,
  error: SchedulerError,
  nowMs: number,
): Promise<boolean> {
  const snapshot = await readSnapshot(blobs, envelope.jobId);
  if (!snapshot || ENDED_STATES.has(snapshot.state)) return false;
  const reason = `${functionName} refused ${envelope.requestId} ` +
    `(${error.code}): ${error.message}`;
  const stateBefore = snapshot.state;
  snapshot.state = 'failed';
  snapshot.failureReason = reason;
  snapshot.updatedAtMs = nowMs;
  snapshot.decisions.push({
    atMs: nowMs,
    decision: 'step-failed',
    reason,
    details: {
      function: functionName,
      step: envelope.step,
      requestId: envelope.requestId,
      code: error.code,
      stateBefore,
    },
  });
  await writeSnapshot(blobs, snapshot);
  return true;
}
