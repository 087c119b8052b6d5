import {z} from 'zod';
import {
  ACCELERATOR_TYPES,
  type VertexAcceleratorType,
} from '../catalog/accelerator-types.js';

/**
 * The job request: the one public contract. A JSON or YAML document
 * published to `job-requests` or uploaded to the intake bucket.
 * {@link https://cloud.google.com/vertex-ai/docs/reference/rest/v1/MachineSpec}
 */

/**
 * Vertex AI accelerator types the scheduler can plan for: one list,
 * derived from the shipped data, shared with `regions --accelerator`.
 */
export {ACCELERATOR_TYPES} from '../catalog/accelerator-types.js';
export type AcceleratorType = VertexAcceleratorType;

/** Vertex AI scheduling strategies. */
export const SCHEDULING_STRATEGIES = [
  'STANDARD',
  'SPOT',
  'FLEX_START',
] as const;

const identifier = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,62}$/,
    'must start with a lowercase letter and hold only lowercase letters, ' +
      'digits and hyphens, at most 63 characters',
  );

/** A Google Cloud region id; membership in the catalog is a rule. */
export const regionIdSchema = z
  .string()
  .regex(
    /^[a-z]+-[a-z]+[0-9]+$/,
    'must be a Google Cloud region id such as us-east4 or europe-west4',
  );

/** A date-time with a time of day but no offset, e.g. 2022-06-01T12:00. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

const instant = z.iso
  .datetime({
    offset: true,
    error: (issue) =>
      typeof issue.input === 'string' && LOCAL_DATE_TIME.test(issue.input)
        ? `has no UTC offset ("${issue.input}" could be any time zone): ` +
          'add Z for UTC or an offset, e.g. ' +
          `${withSeconds(issue.input)}Z or ${withSeconds(issue.input)}+02:00`
        : 'must be an RFC 3339 date-time with a UTC offset, ' +
          'e.g. 2022-06-01T12:00:00Z or 2022-06-01T14:00:00+02:00',
  })
  .meta({examples: ['2022-06-16T00:00:00Z']});

// 2022-06-01 12:00 -> 2022-06-01T12:00:00, for a suggestion.
function withSeconds(localDateTime: string): string {
  const text = localDateTime.replace(' ', 'T');
  return /T\d{2}:\d{2}$/.test(text) ? `${text}:00` : text;
}

const trainerSchema = z
  .object({
    imageUri: z
      .string()
      .min(1)
      .optional()
      .describe('Training container image for Vertex AI'),
    args: z
      .array(z.string())
      .default([])
      .describe('Arguments passed to the training container'),
    local: z
      .object({
        seed: z
          .number()
          .int()
          .nonnegative()
          .default(7)
          .describe('Random seed of the built-in local trainer'),
      })
      .strict()
      .optional()
      .describe('Run the built-in local trainer (local mode)'),
  })
  .strict()
  .refine((trainer) => trainer.imageUri || trainer.local, {
    message: 'needs imageUri (a container for Vertex AI) or local ' +
      '(the built-in local trainer)',
  })
  .describe('What to run: a container image, or the local trainer');

const hardwareSchema = z
  .object({
    machineType: z
      .string()
      .min(1)
      .describe('Compute Engine machine type, e.g. a3-highgpu-1g'),
    acceleratorType: z
      .enum(ACCELERATOR_TYPES)
      .describe('Vertex AI accelerator type'),
    acceleratorCount: z
      .number()
      .int()
      .min(1)
      .max(16)
      .describe('Accelerators per replica'),
  })
  .strict()
  .describe('The hardware of one replica');

const constraintsSchema = z
  .object({
    earliestStart: instant
      .optional()
      .describe('Do not start before this instant (RFC 3339 with offset)'),
    deadline: instant.describe(
      'Finish by this instant (RFC 3339 with offset)',
    ),
    regions: z
      .array(regionIdSchema)
      .min(1)
      .optional()
      .describe('Only these regions may run the job'),
    residency: z
      .array(
        z.string().regex(
          /^(EU|US|UK|any|[A-Z]{2})$/,
          'must be EU, US, UK, any, or an ISO 3166 country code',
        ),
      )
      .min(1)
      .default(['any'])
      .describe('Where the data may be processed: EU, US, UK, a country ' +
        'code, or any'),
    maxPauses: z
      .number()
      .int()
      .min(0)
      .max(48)
      .default(4)
      .describe('Most times the job may be paused for a dirty grid'),
  })
  .strict()
  .describe('When and where the job may run');

const signalSchema = z
  .object({
    type: z
      .enum(['average', 'marginal'])
      .default('average')
      .describe('Carbon signal: average or marginal intensity'),
    pauseThreshold: z
      .union([z.literal('auto'), z.number().positive().max(2000)], {
        error: 'must be "auto" or a number of gCO2e/kWh above 0 and at ' +
          'most 2000',
      })
      .default('auto')
      .describe('Pause above this intensity in gCO2e/kWh, or auto'),
  })
  .strict()
  .describe('The carbon signal that drives planning and pauses');

/**
 * The schema every job request is validated against, field by field.
 * Rules across fields (the window, the deadline against now, catalog
 * regions) are in job-request-rules.ts; parseJobDocument applies both.
 */
export const jobRequestSchema = z
  .object({
    $schema: z
      .string()
      .optional()
      .describe('Location of this JSON Schema, for editor completion'),
    jobId: identifier
      .optional()
      .describe('Client-chosen id; also the idempotency key of the request'),
    project: identifier.describe('Google Cloud project that pays'),
    owner: z.string().min(1).max(200).describe('Who to tell about the job'),
    team: identifier.optional().describe('Team label, for budgets'),
    trainer: trainerSchema,
    dataset: z
      .object({
        uri: z.string().regex(/^gs:\/\/[^/]+\/.*/, 'must be a gs:// URI'),
        regionId: regionIdSchema.describe('Region the dataset is stored in'),
        sizeGigabytes: z.number().nonnegative(),
      })
      .strict()
      .optional()
      .describe('Training data and where it lives'),
    homeRegion: regionIdSchema.describe(
      'Where the job would run without the scheduler (the counterfactual)',
    ),
    durationHours: z
      .number()
      .positive()
      .max(24 * 90)
      .describe('Estimated run time at full speed, in hours'),
    interruptible: z
      .boolean()
      .default(false)
      .describe('May be paused after a checkpoint and resumed later'),
    checkpointEveryMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(30)
      .describe('Minutes between checkpoints'),
    minRunMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(60)
      .describe('No segment runs shorter than this'),
    hardware: hardwareSchema,
    constraints: constraintsSchema,
    signal: signalSchema.default({type: 'average', pauseThreshold: 'auto'}),
    costWeight: z
      .number()
      .nonnegative()
      .default(0)
      .describe('Weight of cost against carbon (0: carbon only)'),
    scheduling: z
      .object({
        strategy: z
          .enum(SCHEDULING_STRATEGIES)
          .default('STANDARD')
          .describe('Vertex AI scheduling strategy'),
        maxWaitDuration: z
          .string()
          .regex(/^[0-9]+s$/, 'must be seconds, e.g. "1800s"')
          .optional()
          .describe('Longest wait for FLEX_START capacity, e.g. "1800s"'),
      })
      .strict()
      .default({strategy: 'STANDARD'})
      .describe('How Vertex AI obtains the hardware'),
  })
  .strict()
  .describe('A training job and its constraints');

/** A validated job request, defaults applied. */
export type JobRequest = z.infer<typeof jobRequestSchema>;
/** A job request as a user writes it, before defaults. */
export type JobRequestInput = z.input<typeof jobRequestSchema>;
