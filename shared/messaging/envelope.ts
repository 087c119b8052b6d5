import {z} from 'zod';
import {
  ENVELOPE_LIMIT_BYTES,
  nestingProblem,
  sizeProblem,
} from './message-limits.js';
import {STEP_PAYLOAD_SCHEMAS} from './step-payloads.js';
import {STEPS} from './topics.js';

/**
 * The envelope every lifecycle request travels in. `sequence` is the
 * logical command number (unchanged on retry); `attempt` counts tries and
 * is never part of an idempotency key; `requestId` is
 * `jobId:step:sequence`.
 *
 * Versions:
 * - 1: sent by lifecycle workflow revisions deployed before version 2;
 *   `attempt` and `payload` may be absent (a first try, an empty payload)
 *   and a launch payload may omit `segmentIndex` (the first segment).
 * - 2 (current): `attempt` and `payload` are always present and each
 *   step's payload has its own schema ({@link STEP_PAYLOAD_SCHEMAS}).
 *
 * A workflow execution started under an older revision keeps sending its
 * version until it ends, so every accepted version is upgraded to the
 * current shape by {@link upgradeEnvelope} before a handler sees it.
 */

/** Envelope versions this build accepts (older executions may still run). */
export const ACCEPTED_SCHEMA_VERSIONS = [1, 2] as const;
/** The version this build sends. */
export const CURRENT_SCHEMA_VERSION = 2;

/** Steps an envelope can name: the lifecycle steps and the failure event. */
export const ENVELOPE_STEPS = [...STEPS, 'failed'] as const;
export type EnvelopeStep = (typeof ENVELOPE_STEPS)[number];

const jobId = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,62}$/,
    'must start with a lowercase letter and hold only lowercase letters, ' +
      'digits and hyphens, at most 63 characters',
  )
  .describe('The job this request belongs to');

const commonFields = {
  jobId,
  step: z.enum(ENVELOPE_STEPS).describe('The lifecycle step requested'),
  sequence: z
    .number()
    .int()
    .nonnegative()
    .describe('Logical command number of the job, the same on every retry'),
  requestId: z
    .string()
    .min(1)
    .describe('Idempotency key: jobId:step:sequence (never the attempt)'),
  sentAt: z.iso
    .datetime({offset: true})
    .describe('When this try was sent (RFC 3339 with offset)'),
  callbackUrl: z
    .url()
    .optional()
    .describe('Where the function POSTs its reply, when a workflow waits'),
};

const attempt = z
  .number()
  .int()
  .min(1)
  .describe('How many times this command was sent (1 on the first try)');

const payload = z
  .record(z.string(), z.unknown())
  .describe('What the step needs; its schema depends on the step');

/** Version 1, as older workflow revisions send it. */
export const envelopeV1Schema = z
  .object({
    schemaVersion: z.literal(1),
    ...commonFields,
    attempt: attempt.optional(),
    payload: payload.optional(),
  })
  .describe('Request envelope, version 1 (older workflow revisions)');

/** Version 2, the current one. */
export const envelopeV2Schema = z
  .object({
    schemaVersion: z.literal(2),
    ...commonFields,
    attempt,
    payload,
  })
  .describe('Request envelope, version 2 (current)');

export type EnvelopeV1 = z.infer<typeof envelopeV1Schema>;
export type EnvelopeV2 = z.infer<typeof envelopeV2Schema>;
/** An envelope in the current shape, as handlers see it. */
export type Envelope = EnvelopeV2;

/**
 * Brings an envelope of any accepted version to the current shape. The
 * only place that knows how versions differ.
 */
export function upgradeEnvelope(envelope: EnvelopeV1 | EnvelopeV2): Envelope {
  if (envelope.schemaVersion === CURRENT_SCHEMA_VERSION) return envelope;
  const upgradedPayload: Record<string, unknown> = {...envelope.payload};
  const firstSegment = upgradedPayload.segmentIndex === undefined;
  if (envelope.step === 'launch' && firstSegment) {
    upgradedPayload.segmentIndex = 0;
  }
  return {
    ...envelope,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    attempt: envelope.attempt ?? 1,
    payload: upgradedPayload,
  };
}

const anyVersion = z.discriminatedUnion(
  'schemaVersion',
  [envelopeV1Schema, envelopeV2Schema],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must be one of the accepted envelope versions ` +
          `${ACCEPTED_SCHEMA_VERSIONS.join(', ')}, got ` +
          `${JSON.stringify(
            (issue.input as {schemaVersion?: unknown} | undefined)
              ?.schemaVersion,
          ) ?? 'nothing'}`
        : undefined,
  },
);

/**
 * Validates an envelope of any accepted version and returns it in the
 * current shape: requestId must match its parts, the payload must fit
 * its step and the size limit.
 */
export const envelopeSchema = anyVersion
  .transform(upgradeEnvelope)
  .superRefine((envelope, context) => {
    const expected = requestIdOf(envelope);
    if (envelope.requestId !== expected) {
      context.addIssue({
        code: 'custom',
        path: ['requestId'],
        message: `must be jobId:step:sequence, i.e. ${expected}, ` +
          `got ${envelope.requestId}`,
      });
    }
    for (const problem of payloadLimitProblems(envelope.payload)) {
      context.addIssue({code: 'custom', path: ['payload'], message: problem});
    }
    const parsed = STEP_PAYLOAD_SCHEMAS[envelope.step].safeParse(
      envelope.payload,
    );
    for (const issue of parsed.error?.issues ?? []) {
      context.addIssue({...issue, path: ['payload', ...issue.path]});
    }
  });

function payloadLimitProblems(value: unknown): string[] {
  const nesting = nestingProblem(value);
  if (nesting) return [nesting];
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  const size = sizeProblem(bytes, ENVELOPE_LIMIT_BYTES, 'request payload');
  return size ? [size] : [];
}

/** The idempotency key of a request: never includes the attempt. */
export function requestIdOf(parts: {
  jobId: string;
  step: string;
  sequence: number;
}): string {
  return `${parts.jobId}:${parts.step}:${parts.sequence}`;
}

/** The Pub/Sub attributes sent with an envelope; all strings (C22). */
export function envelopeAttributes(envelope: Envelope): Record<string, string> {
  return {
    jobId: envelope.jobId,
    step: envelope.step,
    requestId: envelope.requestId,
    schemaVersion: String(envelope.schemaVersion),
  };
}

/** A function's reply, POSTed to the envelope's callbackUrl. */
export type StepReply =
  | {
      requestId: string;
      jobId: string;
      step: string;
      outcome: 'ok';
      result: Record<string, unknown>;
    }
  | {
      requestId: string;
      jobId: string;
      step: string;
      outcome: 'error';
      error: {code: string; message: string; retryable: boolean};
    };

/** Builds a request envelope, in the current version, for `step`. */
export function createEnvelope(input: {
  jobId: string;
  step: Envelope['step'];
  sequence: number;
  sentAtMs: number;
  payload?: Record<string, unknown>;
  callbackUrl?: string;
  attempt?: number;
}): Envelope {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    jobId: input.jobId,
    step: input.step,
    sequence: input.sequence,
    attempt: input.attempt ?? 1,
    requestId: requestIdOf(input),
    sentAt: new Date(input.sentAtMs).toISOString(),
    ...(input.callbackUrl ? {callbackUrl: input.callbackUrl} : {}),
    payload: input.payload ?? {},
  };
}
