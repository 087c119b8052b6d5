import {z} from 'zod';

/**
 * The job request: the one public contract. A JSON or YAML document
 * published to `job-requests` or uploaded to the intake bucket.
 * {@link https://cloud.google.com/vertex-ai/docs/reference/rest/v1/MachineSpec}
 */

/** Vertex AI accelerator types the scheduler can plan for. */
export const ACCELERATOR_TYPES = [
  'NVIDIA_TESLA_T4',
  'NVIDIA_L4',
  'NVIDIA_TESLA_A100',
  'NVIDIA_A100_80GB',
  'NVIDIA_H100_80GB',
  'NVIDIA_H100_MEGA_80GB',
  'NVIDIA_H200_141GB',
  'TPU_V5_LITEPOD',
] as const;
export type AcceleratorType = (typeof ACCELERATOR_TYPES)[number];

/** Vertex AI scheduling strategies. */
export const SCHEDULING_STRATEGIES = ['STANDARD', 'SPOT', 'FLEX_START'] as const;

const identifier = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,62}$/,
    'must start with a lowercase letter and hold only lowercase letters, ' +
      'digits and hyphens, at most 63 characters',
  );

const regionId = z
  .string()
  .regex(
    /^[a-z]+-[a-z]+[0-9]+$/,
    'must be a Google Cloud region id such as us-east4 or europe-west4',
  );

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an RFC 3339 date-time with an offset, ' +
    'e.g. 2022-06-01T12:00:00Z or 2022-06-01T14:00:00+02:00',
});

const trainerSchema = z
  .object({
    imageUri: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    local: z
      .object({seed: z.number().int().nonnegative().default(7)})
      .strict()
      .optional(),
  })
  .strict()
  .refine((trainer) => trainer.imageUri || trainer.local, {
    message: 'needs imageUri (a container for Vertex AI) or local ' +
      '(the built-in local trainer)',
  });

const hardwareSchema = z
  .object({
    machineType: z.string().min(1),
    acceleratorType: z.enum(ACCELERATOR_TYPES),
    acceleratorCount: z.number().int().min(1).max(16),
  })
  .strict();

const constraintsSchema = z
  .object({
    earliestStart: instant.optional(),
    deadline: instant,
    regions: z.array(regionId).min(1).optional(),
    residency: z
      .array(
        z.string().regex(
          /^(EU|US|UK|any|[A-Z]{2})$/,
          'must be EU, US, UK, any, or an ISO 3166 country code',
        ),
      )
      .min(1)
      .default(['any']),
    maxPauses: z.number().int().min(0).max(48).default(4),
  })
  .strict();

const signalSchema = z
  .object({
    type: z.enum(['average', 'marginal']).default('average'),
    pauseThreshold: z
      .union([z.literal('auto'), z.number().positive().max(2000)])
      .default('auto'),
  })
  .strict();

/** The schema every job request is validated against. */
export const jobRequestSchema = z
  .object({
    jobId: identifier.optional(),
    project: identifier,
    owner: z.string().min(1).max(200),
    team: identifier.optional(),
    trainer: trainerSchema,
    dataset: z
      .object({
        uri: z.string().regex(/^gs:\/\/[^/]+\/.*/, 'must be a gs:// URI'),
        regionId,
        sizeGigabytes: z.number().nonnegative(),
      })
      .strict()
      .optional(),
    homeRegion: regionId,
    durationHours: z.number().positive().max(24 * 90),
    interruptible: z.boolean().default(false),
    checkpointEveryMinutes: z.number().int().min(5).max(24 * 60).default(30),
    minRunMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
    hardware: hardwareSchema,
    constraints: constraintsSchema,
    signal: signalSchema.default({type: 'average', pauseThreshold: 'auto'}),
    costWeight: z.number().nonnegative().default(0),
    scheduling: z
      .object({
        strategy: z.enum(SCHEDULING_STRATEGIES).default('STANDARD'),
        maxWaitDuration: z
          .string()
          .regex(/^[0-9]+s$/, 'must be seconds, e.g. "1800s"')
          .optional(),
      })
      .strict()
      .default({strategy: 'STANDARD'}),
  })
  .strict()
  .superRefine((job, context) => {
    const {earliestStart, deadline} = job.constraints;
    const startMs = earliestStart ? Date.parse(earliestStart) : undefined;
    const deadlineMs = Date.parse(deadline);
    if (startMs !== undefined && startMs >= deadlineMs) {
      context.addIssue({
        code: 'custom',
        path: ['constraints', 'deadline'],
        message: 'must be after constraints.earliestStart',
      });
    }
  });

/** A validated job request, defaults applied. */
export type JobRequest = z.infer<typeof jobRequestSchema>;
/** A job request as a user writes it, before defaults. */
export type JobRequestInput = z.input<typeof jobRequestSchema>;
