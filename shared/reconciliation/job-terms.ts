import {effectiveDeadlineMs} from '../jobs/apply-command.js';
import {listCommands} from '../jobs/job-command-store.js';
import {jobKeys, type JobSnapshot} from '../jobs/job-snapshot.js';
import type {StoredPlan} from '../jobs/stored-plan.js';
import {readJson, type BlobStore} from '../ports/blob-store.js';
import type {JobTermsView} from './stranded-jobs.js';

const HOUR_MS = 3_600_000;

/** The request fields the terms are read from. */
interface StoredRequestTerms {
  readonly durationHours?: number;
  readonly constraints?: {readonly deadline?: string};
}

/**
 * A job's deadline and run length as a restart judges them: the
 * request's deadline moved by the operator's accepted extends, the
 * request's run time at full speed, and the stored plan's total steps
 * (behind the snapshot's plan pointer). What cannot be read is null.
 */
export async function readJobTerms(
  blobs: BlobStore,
  snapshot: JobSnapshot,
): Promise<JobTermsView> {
  const request = await readJson<StoredRequestTerms>(blobs,
    jobKeys.request(snapshot.jobId));
  const requestDeadlineMs = Date.parse(request?.constraints?.deadline ?? '');
  const deadlineMs = Number.isNaN(requestDeadlineMs)
    ? null
    : effectiveDeadlineMs(requestDeadlineMs,
      await listCommands(blobs, snapshot.jobId));
  const durationHours = request?.durationHours;
  const plan = snapshot.planPointer
    ? await readJson<StoredPlan>(blobs, snapshot.planPointer)
    : undefined;
  return {
    jobId: snapshot.jobId,
    deadlineMs,
    runMs: typeof durationHours === 'number' && durationHours > 0
      ? durationHours * HOUR_MS : null,
    totalSteps: typeof plan?.totalSteps === 'number' ? plan.totalSteps : null,
  };
}
