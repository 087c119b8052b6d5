import type {CloudEvent} from '@google-cloud/functions-framework';
import {SchedulerError} from '../../shared/errors.js';
import {
  envelopeSchema,
  type Envelope,
  type StepReply,
} from '../../shared/messaging/envelope.js';
import {readJson, type BlobStore} from '../../shared/ports/blob-store.js';
import type {CallbackSender} from '../../shared/ports/callback-sender.js';
import type {Logger} from '../../shared/ports/logger.js';
import type {MessagePublisher} from '../../shared/ports/message-publisher.js';
import type {Clock} from '../../shared/time/clock.js';
import {describeIssues} from '../../shared/schemas/validation-issues.js';
import {readSnapshot, writeSnapshot} from '../../shared/jobs/job-snapshot.js';
import {
  decodePubSubEvent,
  parseJsonMessage,
  PermanentMessageError,
  type DecodedMessage,
  type MessagePublishedData,
} from './pubsub-event.js';
import {topicOfEvent} from './event-topic.js';
import {markStepFailure} from './failed-step-snapshot.js';

/** What every step handler needs. */
export interface StepRuntime {
  readonly clock: Clock;
  readonly blobs: BlobStore;
  readonly publisher: MessagePublisher;
  readonly callbacks: CallbackSender;
  readonly logger: Logger;
  /** How long a started step holds its record; default ten minutes. */
  readonly leaseMilliseconds?: number;
}

/** The record that makes a side effect happen once per requestId. */
type IdempotencyRecord =
  | {
    state: 'started';
    leaseExpiresAtMs: number;
    attempt: number;
    /** How many times an expired lease was taken over; absent: none. */
    takeovers?: number;
  }
  | {state: 'done'; reply: StepReply};

/** How long a started step may run before another delivery takes over. */
const LEASE_MILLISECONDS = 10 * 60 * 1000;

/** What a step does with a valid, fresh envelope. */
export type StepAction = (
  envelope: Envelope,
  message: DecodedMessage,
) => Promise<StepOutcome>;

/** A step's reply, or `forwarded` when another function will reply. */
export type StepOutcome =
  | {kind: 'reply'; result: Record<string, unknown>}
  | {kind: 'forwarded'};

/**
 * Wraps a step as a CloudEvent handler with the delivery semantics of the
 * design: parse and validate the envelope; make the side effect once per
 * requestId (a duplicate of a finished step re-sends the stored reply); a
 * request older than the job's last applied sequence is stale and changes
 * nothing; a transient failure throws so Pub/Sub redelivers; a permanent
 * one is acknowledged, answered with an error reply and dead-lettered.
 */
export function createStepHandler(
  functionName: string,
  runtime: StepRuntime,
  act: StepAction,
): (event: CloudEvent<MessagePublishedData>) => Promise<void> {
  return async (event) => {
    let message: DecodedMessage | undefined;
    let envelope: Envelope | undefined;
    try {
      message = decodePubSubEvent(event);
      envelope = parseEnvelope(message);
      await runOnce(functionName, runtime, act, envelope, message);
    } catch (error) {
      if (error instanceof SchedulerError && !error.retryable) {
        await settlePermanentFailure(
          functionName, runtime, error, message, envelope,
          topicOfEvent(event));
        return;
      }
      runtime.logger.log('WARNING', 'transient failure; will be redelivered', {
        function: functionName,
        messageId: message?.messageId,
        jobId: envelope?.jobId,
        requestId: envelope?.requestId,
        error: (error as Error).message,
      });
      throw error;
    }
  };
}

function parseEnvelope(message: DecodedMessage): Envelope {
  const parsed = envelopeSchema.safeParse(parseJsonMessage(message));
  if (!parsed.success) {
    throw new PermanentMessageError(
      'invalid-envelope',
      `message ${message.messageId} is not a valid request envelope`,
      describeIssues(parsed.error),
    );
  }
  return parsed.data;
}

async function runOnce(
  functionName: string,
  runtime: StepRuntime,
  act: StepAction,
  envelope: Envelope,
  message: DecodedMessage,
): Promise<void> {
  const {blobs, clock, logger} = runtime;
  const recordKey = `idempotency/${functionName}/${envelope.requestId}.json`;
  const fields = {
    function: functionName,
    jobId: envelope.jobId,
    requestId: envelope.requestId,
    messageId: message.messageId,
    attempt: envelope.attempt,
  };

  // Claim the request, or learn what an earlier delivery did with it.
  const leaseMilliseconds = runtime.leaseMilliseconds ?? LEASE_MILLISECONDS;
  let started: IdempotencyRecord & {state: 'started'} = {
    state: 'started',
    leaseExpiresAtMs: clock.nowMs() + leaseMilliseconds,
    attempt: envelope.attempt,
  };
  const claimed = await blobs.createIfAbsent(recordKey, JSON.stringify(started));
  if (!claimed) {
    const existing = await readJson<IdempotencyRecord>(blobs, recordKey);
    if (existing?.state === 'done') {
      logger.log('INFO', 'duplicate request; re-sending the stored reply', fields);
      await reply(runtime, envelope, existing.reply);
      return;
    }
    if (existing && existing.leaseExpiresAtMs > clock.nowMs()) {
      logger.log('INFO', 'duplicate request while the first is running', fields);
      return;
    }
    // Several deliveries may find the lease expired: one wins the claim
    // on the next takeover number, the others leave it to the winner.
    const takeovers = (existing?.state === 'started' &&
      existing.takeovers) || 0;
    const takeoverKey = recordKey.replace(/\.json$/,
      `.takeover-${takeovers + 1}.json`);
    started = {...started, takeovers: takeovers + 1};
    if (!await blobs.createIfAbsent(takeoverKey, JSON.stringify(started))) {
      logger.log('INFO', 'another delivery took over the request', fields);
      return;
    }
    logger.log('NOTICE', 'taking over a request whose lease expired', fields);
    await blobs.write(recordKey, JSON.stringify(started));
  }

  // A request older than what the job has applied changes nothing.
  const snapshot = await readSnapshot(blobs, envelope.jobId);
  if (snapshot && envelope.sequence < snapshot.lastSequence) {
    logger.log('NOTICE', 'stale request ignored', {
      ...fields,
      lastSequence: snapshot.lastSequence,
    });
    return;
  }

  // Act, keep the outcome, then answer.
  let outcome: StepOutcome;
  try {
    outcome = await act(envelope, message);
  } catch (error) {
    if (error instanceof SchedulerError && !error.retryable) {
      // The lifecycle ends on this reply: the snapshot says so first.
      if (await markStepFailure(blobs, functionName, envelope, error,
        clock.nowMs())) {
        logger.log('NOTICE', 'job failed on a refused request',
          {...fields, code: error.code, error: error.message});
      }
      const failed = errorReply(envelope, error);
      await blobs.write(recordKey, JSON.stringify({state: 'done', reply: failed}));
    } else {
      const released = {...started, leaseExpiresAtMs: 0};
      await blobs.write(recordKey, JSON.stringify(released));
    }
    throw error;
  }
  if (outcome.kind === 'forwarded') {
    await blobs.write(recordKey, JSON.stringify({state: 'done', reply: null}));
    logger.log('INFO', 'request forwarded', fields);
    return;
  }
  const stepReply: StepReply = {
    requestId: envelope.requestId,
    jobId: envelope.jobId,
    step: envelope.step,
    outcome: 'ok',
    result: outcome.result,
  };
  await blobs.write(recordKey, JSON.stringify({state: 'done', reply: stepReply}));
  await advanceSequence(blobs, envelope, clock.nowMs());
  logger.log('INFO', 'step done', fields);
  await reply(runtime, envelope, stepReply);
}

async function advanceSequence(
  blobs: BlobStore,
  envelope: Envelope,
  nowMs: number,
): Promise<void> {
  const snapshot = await readSnapshot(blobs, envelope.jobId);
  if (!snapshot || snapshot.lastSequence >= envelope.sequence) return;
  snapshot.lastSequence = envelope.sequence;
  snapshot.updatedAtMs = nowMs;
  await writeSnapshot(blobs, snapshot);
}

async function reply(
  runtime: StepRuntime,
  envelope: Envelope,
  stepReply: StepReply | null,
): Promise<void> {
  if (!stepReply || !envelope.callbackUrl) return;
  await runtime.callbacks.send(envelope.callbackUrl, stepReply);
}

function errorReply(envelope: Envelope, error: SchedulerError): StepReply {
  return {
    requestId: envelope.requestId,
    jobId: envelope.jobId,
    step: envelope.step,
    outcome: 'error',
    error: {code: error.code, message: error.message, retryable: false},
  };
}

// Acknowledges a message that can never succeed, keeping it and its
// reasons on the dead-letter topic and telling a waiting workflow.
async function settlePermanentFailure(
  functionName: string,
  runtime: StepRuntime,
  error: SchedulerError,
  message: DecodedMessage | undefined,
  envelope: Envelope | undefined,
  sourceTopic: string | undefined,
): Promise<void> {
  const reasons =
    error instanceof PermanentMessageError ? error.reasons : [];
  runtime.logger.log('ERROR', 'permanent failure; message dead-lettered', {
    function: functionName,
    messageId: message?.messageId,
    jobId: envelope?.jobId,
    requestId: envelope?.requestId,
    code: error.code,
    error: error.message,
    reasons,
  });
  await runtime.publisher.publish(
    'dead-letters',
    {
      function: functionName,
      code: error.code,
      message: error.message,
      reasons,
      original: message?.text,
      originalAttributes: message?.attributes,
    },
    {
      function: functionName,
      code: error.code,
      sourceMessageId: message?.messageId ?? 'unknown',
      ...(sourceTopic ? {sourceTopic} : {}),
    },
  );
  if (envelope) {
    await reply(runtime, envelope, errorReply(envelope, error)).catch(() => {
      // the workflow's await times out and its retry reads the record
    });
  }
}
