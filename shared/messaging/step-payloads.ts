import {z} from 'zod';

/**
 * The payload each lifecycle step carries in its envelope, as the
 * lifecycle workflow builds it. Fields a newer sender adds are kept, so
 * a message from a later revision still reaches its handler.
 */

const segmentIndex = z
  .number()
  .int()
  .nonnegative()
  .describe('Index of the segment in the plan, 0 for the first');

const trainingJobName = z
  .string()
  .min(1)
  .describe('Name of the running training job (one per segment)');

/** `plan` on plan-requests: nothing beyond the jobId. */
export const planRequestPayloadSchema = z
  .object({})
  .loose()
  .describe('A plan request needs nothing beyond the envelope');

/** `plan` on forecasts-ready: the stored forecast bundle. */
export const forecastsReadyPayloadSchema = z
  .object({
    forecastsPointer: z
      .string()
      .min(1)
      .describe('Key of the stored forecast bundle'),
  })
  .loose();

/** `launch`: which segment to start. */
export const launchPayloadSchema = z.object({segmentIndex}).loose();

/**
 * `monitor`: which segment to watch, and where the lifecycle stands
 * (`running` when absent; `paused` while an operator pause holds it;
 * `waiting` before the first launch, when no segment exists yet).
 */
export const monitorPayloadSchema = z
  .object({
    trainingJobName: trainingJobName
      .optional()
      .describe('Name of the segment to watch; required unless waiting'),
    segmentIndex,
    phase: z
      .enum(['running', 'waiting', 'paused'])
      .optional()
      .describe('Where the lifecycle stands when it asks; running when ' +
        'absent'),
  })
  .loose()
  .superRefine((payload, context) => {
    if (payload.phase !== 'waiting' && payload.trainingJobName === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['trainingJobName'],
        message: 'is required unless phase is waiting: name the segment ' +
          'to watch',
      });
    }
  });

/** `pause`: which running segment to checkpoint and stop. */
export const pausePayloadSchema = z
  .object({trainingJobName, segmentIndex})
  .loose();

/** `resume`: the next segment and the checkpoint it starts from. */
export const resumePayloadSchema = z
  .object({
    segmentIndex,
    checkpointStep: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .optional()
      .describe('Training step of the checkpoint to resume from'),
    regionId: z.string().min(1).optional(),
  })
  .loose();

/** `footprint`: nothing beyond the jobId. */
export const footprintPayloadSchema = z.object({}).loose();

/** `failed` on job-events: why the lifecycle stopped. */
export const failedPayloadSchema = z
  .object({
    reason: z.string().describe('Why the lifecycle stopped'),
    error: z.unknown().optional(),
  })
  .loose();

/**
 * The payload schema of each step. `plan` accepts the forecasts pointer
 * optionally because the same step travels on plan-requests and then on
 * forecasts-ready.
 */
export const STEP_PAYLOAD_SCHEMAS = {
  plan: planRequestPayloadSchema.extend({
    forecastsPointer: z.string().min(1).optional(),
  }),
  launch: launchPayloadSchema,
  monitor: monitorPayloadSchema,
  pause: pausePayloadSchema,
  resume: resumePayloadSchema,
  footprint: footprintPayloadSchema,
  failed: failedPayloadSchema,
} as const;
