import {SchedulerError} from '../errors.js';
import {readJson, type BlobStore} from '../ports/blob-store.js';
import type {JobCommandMessage, RequestedBy} from './job-command.js';

/**
 * Operator commands as blobs, one per command under the job:
 * `jobs/<jobId>/commands/<commandId>.json`. The first delivery creates
 * the blob exclusively; a duplicate finds it and changes nothing. The
 * lifecycle reads the pending ones at its decision points and marks
 * each applied with what it did.
 */

/** Where a command is in its life. */
export type JobCommandStatus = 'pending' | 'applied' | 'rejected';

/** How the lifecycle took a command. */
export interface CommandApplication {
  readonly atMs: number;
  /** `applied`: it changed the lifecycle; `no-effect`: nothing to do. */
  readonly outcome: 'applied' | 'no-effect' | 'superseded';
  readonly reason: string;
}

/** One recorded command. */
export interface JobCommandRecord {
  readonly command: JobCommandMessage;
  readonly requestedBy: RequestedBy;
  readonly messageId: string;
  readonly receivedAtMs: number;
  status: JobCommandStatus;
  /** Why it was refused, when rejected. */
  rejectionReasons?: {field: string; problem: string}[];
  /** Whether the acknowledgement went out on `job-events`. */
  acknowledged: boolean;
  application?: CommandApplication;
}

/** The blob key of one command. */
export function commandKey(jobId: string, commandId: string): string {
  return `jobs/${jobId}/commands/${commandId}.json`;
}

/**
 * Records a command unless one with its id exists. Returns the stored
 * record and whether this call created it.
 */
export async function recordCommand(
  blobs: BlobStore,
  record: JobCommandRecord,
): Promise<{created: boolean; record: JobCommandRecord}> {
  const key = commandKey(record.command.jobId, record.command.commandId);
  const created = await blobs.createIfAbsent(key,
    JSON.stringify(record, null, 2));
  if (created) return {created, record};
  const existing = await readJson<JobCommandRecord>(blobs, key);
  return {created: false, record: existing ?? record};
}

/** Every command of a job, oldest first (then by id). */
export async function listCommands(
  blobs: BlobStore,
  jobId: string,
): Promise<JobCommandRecord[]> {
  const prefix = `jobs/${jobId}/commands/`;
  const records: JobCommandRecord[] = [];
  for (const key of await blobs.list(prefix)) {
    if (!key.endsWith('.json')) continue;
    const record = await readJson<JobCommandRecord>(blobs, key);
    if (record) records.push(record);
  }
  return records.sort((a, b) => a.receivedAtMs - b.receivedAtMs ||
    a.command.commandId.localeCompare(b.command.commandId));
}

/** Accepted commands the lifecycle has not applied yet, oldest first. */
export async function pendingCommands(
  blobs: BlobStore,
  jobId: string,
): Promise<JobCommandRecord[]> {
  return (await listCommands(blobs, jobId))
    .filter((record) => record.status === 'pending');
}

/** Marks a command applied with what the lifecycle did with it. */
export async function markApplied(
  blobs: BlobStore,
  jobId: string,
  commandId: string,
  application: CommandApplication,
): Promise<void> {
  await updateCommand(blobs, jobId, commandId, (record) => {
    record.status = 'applied';
    record.application = application;
  });
}

/** Notes that the command's acknowledgement was published. */
export async function markAcknowledged(
  blobs: BlobStore,
  jobId: string,
  commandId: string,
): Promise<void> {
  await updateCommand(blobs, jobId, commandId, (record) => {
    record.acknowledged = true;
  });
}

async function updateCommand(
  blobs: BlobStore,
  jobId: string,
  commandId: string,
  change: (record: JobCommandRecord) => void,
): Promise<void> {
  const key = commandKey(jobId, commandId);
  const record = await readJson<JobCommandRecord>(blobs, key);
  if (!record) {
    throw new SchedulerError('command-not-recorded',
      `command ${commandId} of job ${jobId} is not recorded; record it ` +
        'before marking it');
  }
  change(record);
  await blobs.write(key, JSON.stringify(record, null, 2));
}
