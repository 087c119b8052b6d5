import type {CloudEvent} from '@google-cloud/functions-framework';
import {
  decodePubSubEvent,
  type DecodedMessage,
  type MessagePublishedData,
} from '../../adapters/function-runtime/pubsub-event.js';
import {effectiveDeadlineMs} from '../../shared/jobs/apply-command.js';
import {
  parseJobCommand,
  requestedByOf,
  type JobCommandMessage,
} from '../../shared/jobs/job-command.js';
import {
  listCommands,
  markAcknowledged,
  recordCommand,
  type JobCommandRecord,
} from '../../shared/jobs/job-command-store.js';
import {jobKeys, readSnapshot} from '../../shared/jobs/job-snapshot.js';
import {
  commandProjectOf,
  toRecordedCommandRow,
} from '../../shared/ledger/command-rows.js';
import {readJson, type BlobStore} from '../../shared/ports/blob-store.js';
import type {LedgerWriter} from '../../shared/ports/ledger-writer.js';
import type {Logger} from '../../shared/ports/logger.js';
import type {MessagePublisher} from '../../shared/ports/message-publisher.js';
import type {ValidationIssue} from '../../shared/schemas/validation-issues.js';
import type {Clock} from '../../shared/time/clock.js';
import {JOB_REQUEST_LIMIT_BYTES} from
  '../../shared/messaging/message-limits.js';

/** What the job-commands handler needs. */
export interface JobCommandsDependencies {
  readonly clock: Clock;
  readonly blobs: BlobStore;
  readonly publisher: MessagePublisher;
  /** Where each command is recorded with who asked (`commands`). */
  readonly ledger: LedgerWriter;
  readonly logger: Logger;
}

/** The acknowledgement published on `job-events`. */
export type CommandEventType = 'command-accepted' | 'command-rejected';

/**
 * The handler of the `job-commands` topic: validates a command, checks
 * that its job exists and can still take it, records it once per
 * commandId and acknowledges it on `job-events`. A refused command also
 * goes to `job-rejected` with its reasons. A duplicate delivery changes
 * nothing; it only sends an acknowledgement that the first delivery
 * recorded but never sent ({@link ACKNOWLEDGEMENT_LEASE_MS}). Each
 * command gets its ledger row (`commands`, state accepted or rejected,
 * with who asked) before it is acknowledged.
 */
export function createJobCommandsHandler(
  dependencies: JobCommandsDependencies,
) {
  return async (event: CloudEvent<MessagePublishedData>): Promise<void> => {
    const {blobs, clock, logger} = dependencies;
    const message = decodePubSubEvent(event);

    // Step 1: the message must be a valid command.
    const parsed = parseJobCommand(parseJson(message.text));
    if (!parsed.ok) {
      logger.log('WARNING', 'job command refused: invalid message', {
        messageId: message.messageId, reasons: parsed.issues});
      await publishRejection(dependencies, message, parsed.issues);
      return;
    }
    const command = parsed.command;
    const fields = {jobId: command.jobId, commandId: command.commandId,
      command: command.command, messageId: message.messageId};

    // Step 2: may this job take it? Then record it (or find it recorded).
    const reasons = await refusalReasons(blobs, command, clock.nowMs());
    const candidate: JobCommandRecord = {
      command,
      requestedBy: requestedByOf(command, message.attributes),
      messageId: message.messageId,
      receivedAtMs: clock.nowMs(),
      status: reasons.length === 0 ? 'pending' : 'rejected',
      ...(reasons.length ? {rejectionReasons: reasons} : {}),
      acknowledged: false,
    };
    const {created, record} = await recordCommand(blobs, candidate);
    if (!created && record.acknowledged) {
      logger.log('INFO', 'duplicate job command ignored', fields);
      return;
    }

    // Step 3: the ledger row, before any acknowledgement. Every delivery
    // that finds the command unacknowledged writes it (the same insert
    // id), so a first delivery that failed here loses no row.
    await dependencies.ledger.append('commands', [toRecordedCommandRow(
      record, {projectId: await commandProjectOf(blobs, command.jobId),
        recordedAtMs: clock.nowMs()})]);
    if (!created && !acknowledgementLost(record, clock.nowMs())) {
      logger.log('INFO', 'duplicate job command ignored', fields);
      return;
    }

    // Step 4: acknowledge, and keep a refusal with its reasons.
    if (record.status === 'rejected') {
      await publishRejection(dependencies, message,
        record.rejectionReasons ?? []);
    }
    await publishAcknowledgement(dependencies, record);
    await markAcknowledged(blobs, command.jobId, command.commandId);
    logger.log(record.status === 'rejected' ? 'WARNING' : 'NOTICE',
      record.status === 'rejected'
        ? 'job command rejected' : 'job command accepted',
      {...fields, requestedBy: record.requestedBy,
        reasons: record.rejectionReasons});
  };
}

/**
 * How long the delivery that recorded a command has to acknowledge it
 * before a redelivery sends the acknowledgement instead.
 */
export const ACKNOWLEDGEMENT_LEASE_MS = 60_000;

// The first delivery recorded the command but never said so, and has had
// time enough: it is gone. (Consumers key acknowledgements by commandId,
// so the rare second one is harmless.)
function acknowledgementLost(record: JobCommandRecord, nowMs: number) {
  return !record.acknowledged &&
    nowMs - record.receivedAtMs > ACKNOWLEDGEMENT_LEASE_MS;
}

// Why this job cannot take the command now; empty when it can.
async function refusalReasons(
  blobs: BlobStore,
  command: JobCommandMessage,
  nowMs: number,
): Promise<ValidationIssue[]> {
  const snapshot = await readSnapshot(blobs, command.jobId);
  if (!snapshot) {
    return [{field: 'jobId', problem: `no job "${command.jobId}" is ` +
      'known; check the id with `carbon-scheduler jobs list`'}];
  }
  if (snapshot.state === 'completed' || snapshot.state === 'failed' ||
    snapshot.state === 'cancelled') {
    return [{field: 'jobId', problem: `job "${command.jobId}" has ` +
      `already ${snapshot.state === 'cancelled' ? 'been cancelled' :
        snapshot.state}; it takes no more commands`}];
  }
  if (command.command !== 'extend') return [];

  const requestedMs = Date.parse(command.deadline!);
  const request = await readJson<{constraints?: {deadline?: string}}>(
    blobs, jobKeys.request(command.jobId));
  const requestDeadlineMs = Date.parse(request?.constraints?.deadline ?? '');
  const others = (await listCommands(blobs, command.jobId)).filter(
    (record) => record.command.commandId !== command.commandId);
  const currentMs = Number.isFinite(requestDeadlineMs)
    ? effectiveDeadlineMs(requestDeadlineMs, others) : undefined;
  if (requestedMs <= nowMs) {
    return [{field: 'deadline', problem: `${command.deadline} is not in ` +
      `the future (now ${new Date(nowMs).toISOString()}); give a later one`}];
  }
  if (currentMs !== undefined && requestedMs <= currentMs) {
    return [{field: 'deadline', problem: `${command.deadline} is not ` +
      `later than the deadline in force, ` +
      `${new Date(currentMs).toISOString()}; extend only moves it later`}];
  }
  return [];
}

async function publishAcknowledgement(
  dependencies: JobCommandsDependencies,
  record: JobCommandRecord,
): Promise<void> {
  const type: CommandEventType = record.status === 'rejected'
    ? 'command-rejected' : 'command-accepted';
  const {command} = record;
  await dependencies.publisher.publish('job-events', {
    jobId: command.jobId,
    event: type,
    type,
    atMs: dependencies.clock.nowMs(),
    commandId: command.commandId,
    command: command.command,
    ...(command.deadline ? {deadline: command.deadline} : {}),
    requestedBy: record.requestedBy,
    ...(record.rejectionReasons ? {reasons: record.rejectionReasons} : {}),
  }, {jobId: command.jobId, event: type, commandId: command.commandId});
}

async function publishRejection(
  dependencies: JobCommandsDependencies,
  message: DecodedMessage,
  reasons: readonly ValidationIssue[],
): Promise<void> {
  await dependencies.publisher.publish('job-rejected', {
    source: 'job-commands',
    sourceMessageId: message.messageId,
    rejectedAtMs: dependencies.clock.nowMs(),
    reasons,
    original: message.text.slice(0, JOB_REQUEST_LIMIT_BYTES),
  }, {sourceMessageId: message.messageId, reason: 'invalid-job-command'});
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
