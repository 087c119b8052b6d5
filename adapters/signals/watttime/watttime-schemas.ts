/** The WattTime v3 response shapes the provider reads, as zod schemas. */
import {z} from 'zod';

const instant = z.string().refine((text) => !Number.isNaN(Date.parse(text)),
  {message: 'not an ISO 8601 instant'});

/** `/login`. */
export const loginSchema = z.object({token: z.string().min(1)});

const pointSchema = z.object({
  point_time: instant,
  value: z.number().nullable().optional(),
});
export type WattTimePoint = z.output<typeof pointSchema>;

/** The `meta` block of data responses. */
export const metaSchema = z.object({
  region: z.string().optional(),
  signal_type: z.string().optional(),
  units: z.string().optional(),
  data_point_period_seconds: z.number().positive().optional(),
  generated_at: instant.optional(),
  warnings: z.array(z.unknown()).optional(),
});
export type WattTimeMeta = z.output<typeof metaSchema>;

/** `/v3/forecast` and `/v3/historical`. */
export const signalDataSchema = z.object({
  data: z.array(pointSchema),
  meta: metaSchema,
});

/** `/v3/forecast/historical`: one forecast per generation. */
export const pastForecastsSchema = z.object({
  data: z.array(z.object({
    generated_at: instant,
    forecast: z.array(pointSchema),
  })),
  meta: metaSchema,
});

/** `/v3/region-from-loc`. */
export const regionFromLocationSchema = z.object({
  region: z.string().min(1),
  region_full_name: z.string().optional(),
  signal_type: z.string().optional(),
});

/** `/v3/my-access`. */
export const myAccessSchema = z.object({
  signal_types: z.array(z.object({
    signal_type: z.string(),
    regions: z.array(z.object({
      region: z.string(),
      region_full_name: z.string().optional(),
    })),
  })),
});
