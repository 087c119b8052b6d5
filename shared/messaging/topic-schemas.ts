import {z} from 'zod';
import {jobCommandMessageSchema} from '../jobs/job-command.js';
import {jobRequestSchema} from '../schemas/job-request.js';
import {envelopeV2Schema, type EnvelopeStep} from './envelope.js';
import {
  failedPayloadSchema,
  footprintPayloadSchema,
  forecastsReadyPayloadSchema,
  launchPayloadSchema,
  monitorPayloadSchema,
  pausePayloadSchema,
  planRequestPayloadSchema,
  resumePayloadSchema,
} from './step-payloads.js';
import type {TopicName} from './topics.js';

/**
 * One schema per topic: what a message's data holds on each topic of the
 * design. Envelope topics document the current envelope version with the
 * step and payload that topic carries; handlers accept older versions
 * through `envelopeSchema`.
 */

/** Pub/Sub attributes: a map of strings to strings, never numbers (C22). */
export const messageAttributesSchema = z
  .record(z.string(), z.string())
  .describe('Pub/Sub message attributes; every value is a string');

function stepEnvelope(
  step: EnvelopeStep,
  payload: z.ZodType,
  description: string,
) {
  return envelopeV2Schema
    .extend({step: z.literal(step), payload})
    .describe(description);
}

const reasonSchema = z
  .object({
    field: z.string().describe('Dotted path of the field, or (document)'),
    problem: z.string().describe('What was wrong and what is allowed'),
  })
  .describe('One reason a message was refused');

/** A refused job request, kept with every reason. */
export const jobRejectedSchema = z
  .object({
    source: z.string().describe('Topic or gs:// object the request came from'),
    sourceMessageId: z.string(),
    rejectedAtMs: z.number().int(),
    reasons: z.array(reasonSchema).min(1),
    original: z.string().describe('The request text (cut at the size limit)'),
  })
  .describe('A job request that failed validation');

/** A message a function can never handle, kept for `dlq replay`. */
export const deadLetterSchema = z
  .object({
    function: z.string(),
    code: z.string().describe('Machine-readable failure, e.g. invalid-json'),
    message: z.string(),
    reasons: z.array(reasonSchema),
    original: z.string().optional(),
    originalAttributes: messageAttributesSchema.optional(),
  })
  .describe('A message that can never succeed, with its reasons');

/** A milestone of a job, e.g. `accepted`. */
export const jobEventSchema = z.union([
  z
    .object({
      jobId: z.string(),
      event: z.string().describe('What happened, e.g. accepted'),
      atMs: z.number().int(),
    })
    .loose(),
  stepEnvelope('failed', failedPayloadSchema,
    'The lifecycle stopped with a failure'),
]);

/** A Cloud Storage object notification (JSON_API_V1 payload). */
export const jobUploadSchema = z
  .object({
    bucket: z.string(),
    name: z.string(),
    generation: z.string().describe('Object generation, a decimal string'),
  })
  .loose()
  .describe('Object metadata of a file uploaded to the intake bucket');

/** The scheduled poll that refreshes forecasts for every region. */
export const intensityPollSchema = z
  .object({
    scheduledAt: z.iso.datetime({offset: true}).optional(),
  })
  .loose()
  .describe('Cloud Scheduler tick; the body may be empty');

/** The schema of each topic's message data. */
export const TOPIC_SCHEMAS: Record<TopicName, z.ZodType> = {
  'job-requests': jobRequestSchema,
  'job-uploads': jobUploadSchema,
  'job-rejected': jobRejectedSchema,
  'plan-requests': stepEnvelope('plan', planRequestPayloadSchema,
    'Plan request: fetch forecasts for the job'),
  'forecasts-ready': stepEnvelope('plan', forecastsReadyPayloadSchema,
    'Forecasts stored: choose the slot'),
  'launch-requests': stepEnvelope('launch', launchPayloadSchema,
    'Start one segment of the plan'),
  'monitor-requests': stepEnvelope('monitor', monitorPayloadSchema,
    'Check the grid for a running segment'),
  'pause-requests': stepEnvelope('pause', pausePayloadSchema,
    'Checkpoint and stop a running segment'),
  'resume-requests': stepEnvelope('resume', resumePayloadSchema,
    'Start the next segment from a checkpoint'),
  'footprint-requests': stepEnvelope('footprint', footprintPayloadSchema,
    'Record the job footprint'),
  'job-commands': jobCommandMessageSchema,
  'job-events': jobEventSchema,
  'intensity-polls': intensityPollSchema,
  'dead-letters': deadLetterSchema,
};
