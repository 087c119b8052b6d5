/**
 * Operator commands as ledger rows. A command has at most two rows: the
 * one ingest-job writes when it records the command (accepted or
 * rejected) and the one the lifecycle writes when it applies it. Each
 * insert id is built from the job, the command and that state, so a
 * redelivered command or a decision point taken again repeats its row
 * rather than adding one.
 */
import type {DecisionPoint} from '../jobs/apply-command.js';
import type {
  CommandApplication,
  JobCommandRecord,
} from '../jobs/job-command-store.js';
import {jobKeys} from '../jobs/job-snapshot.js';
import {readJson, type BlobStore} from '../ports/blob-store.js';
import type {LedgerRow} from './schema.js';

/** The states a command row records. */
export type CommandRowState = 'accepted' | 'rejected' | 'applied';

/** Insert id of a command's row in one state. */
export function commandInsertId(
  jobId: string,
  commandId: string,
  state: CommandRowState,
): string {
  return `${jobId}:command:${commandId}:${state}`;
}

/** What a command row needs besides the record. */
export interface CommandRowContext {
  /** Project of the job; null when the job is unknown. */
  readonly projectId: string | null;
  readonly recordedAtMs: number;
}

/** The project a job's command rows name; null for an unknown job. */
export async function commandProjectOf(
  blobs: BlobStore,
  jobId: string,
): Promise<string | null> {
  const request = await readJson<{project?: unknown}>(blobs,
    jobKeys.request(jobId));
  return typeof request?.project === 'string' ? request.project : null;
}

/** The row of a command as ingest-job recorded it. */
export function toRecordedCommandRow(
  record: JobCommandRecord,
  context: CommandRowContext,
): LedgerRow<'commands'> {
  const state: CommandRowState =
    record.status === 'rejected' ? 'rejected' : 'accepted';
  return {
    ...commonColumns(record, context, state),
    rejection_reasons: record.rejectionReasons ?? null,
  };
}

/** The row of a command the lifecycle took at a decision point. */
export function toAppliedCommandRow(
  record: JobCommandRecord,
  application: CommandApplication,
  point: DecisionPoint,
  context: CommandRowContext,
): LedgerRow<'commands'> {
  return {
    ...commonColumns(record, context, 'applied'),
    applied_at: new Date(application.atMs).toISOString(),
    decision_point: point,
    application_outcome: application.outcome,
    application_reason: application.reason,
  };
}

function commonColumns(
  record: JobCommandRecord,
  context: CommandRowContext,
  state: CommandRowState,
) {
  const {command, requestedBy} = record;
  return {
    insert_id: commandInsertId(command.jobId, command.commandId, state),
    command_id: command.commandId,
    job_id: command.jobId,
    project_id: context.projectId,
    command: command.command,
    arguments: command.deadline ? {deadline: command.deadline} : {},
    requested_by: requestedBy.identity,
    requested_by_source: requestedBy.source,
    requested_by_origin: requestedBy.origin,
    requested_by_verified: requestedBy.verified,
    message_id: record.messageId,
    sent_at: command.sentAt ?? null,
    received_at: new Date(record.receivedAtMs).toISOString(),
    state,
    recorded_at: new Date(context.recordedAtMs).toISOString(),
  };
}
