import {z} from 'zod';
import {STEPS} from './topics.js';

/**
 * The envelope every lifecycle request travels in. `sequence` is the
 * logical command number (unchanged on retry); `attempt` counts tries and
 * is never part of an idempotency key; `requestId` is
 * `jobId:step:sequence`.
 */

/** Envelope versions this build accepts (older executions may still run). */
export const ACCEPTED_SCHEMA_VERSIONS = [1] as const;
export const CURRENT_SCHEMA_VERSION = 1;

const envelopeBase = z.object({
  schemaVersion: z.union(ACCEPTED_SCHEMA_VERSIONS.map((v) => z.literal(v))),
  jobId: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/),
  step: z.enum([...STEPS, 'failed']),
  sequence: z.number().int().nonnegative(),
  attempt: z.number().int().min(1).default(1),
  requestId: z.string().min(1),
  sentAt: z.iso.datetime({offset: true}),
  callbackUrl: z.url().optional(),
  payload: z.record(z.string(), z.unknown()).default({}),
});

/** Validates an envelope, including that requestId matches its parts. */
export const envelopeSchema = envelopeBase.superRefine((envelope, context) => {
  const expected = requestIdOf(envelope);
  if (envelope.requestId !== expected) {
    context.addIssue({
      code: 'custom',
      path: ['requestId'],
      message: `must be jobId:step:sequence, i.e. ${expected}`,
    });
  }
});

export type Envelope = z.infer<typeof envelopeSchema>;

/** The idempotency key of a request: never includes the attempt. */
export function requestIdOf(parts: {
  jobId: string;
  step: string;
  sequence: number;
}): string {
  return `${parts.jobId}:${parts.step}:${parts.sequence}`;
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

/** Builds a request envelope for step `step` of job `jobId`. */
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
