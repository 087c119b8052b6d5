/**
 * Accepted jobs as ledger rows: one per job, written by ingest-job once
 * it has claimed the job id. The insert id is the job id, so a
 * redelivered submission repeats the row rather than adding one.
 */
import type {JobRequest} from '../schemas/job-request.js';
import type {LedgerRow} from './schema.js';

/** The row of an accepted request. */
export function toJobRow(
  request: JobRequest & {readonly jobId: string},
  submittedAtMs: number,
  recordedAtMs: number,
): LedgerRow<'jobs'> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const {constraints, hardware} = request;
  return {
    insert_id: request.jobId,
    job_id: request.jobId,
    project_id: request.project,
    team: request.team ?? null,
    owner: request.owner,
    home_region: request.homeRegion,
    submitted_at: iso(submittedAtMs),
    earliest_start: constraints.earliestStart === undefined ? null :
      iso(Date.parse(constraints.earliestStart)),
    deadline: iso(Date.parse(constraints.deadline)),
    duration_hours: request.durationHours,
    interruptible: request.interruptible,
    machine_type: hardware.machineType,
    accelerator_type: hardware.acceleratorType ?? null,
    accelerator_count: hardware.acceleratorCount,
    request,
    recorded_at: iso(recordedAtMs),
  };
}
