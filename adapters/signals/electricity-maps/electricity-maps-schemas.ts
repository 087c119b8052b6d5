/**
 * The Electricity Maps v3 response shapes the provider reads, as zod
 * schemas. Values the API may send as null stay nullable; unknown fields
 * pass through untouched.
 *
 * {@link https://portal.electricitymaps.com/docs/api}
 */
import {z} from 'zod';

const instant = z.string().refine((text) => !Number.isNaN(Date.parse(text)),
  {message: 'not an ISO 8601 instant'});

/** One carbon-intensity value (`/latest`, and each history element). */
export const carbonIntensityEntrySchema = z.object({
  zone: z.string().optional(),
  carbonIntensity: z.number().nullable().optional(),
  datetime: instant,
  updatedAt: instant.nullable().optional(),
  emissionFactorType: z.enum(['lifecycle', 'direct']).optional(),
  isEstimated: z.boolean().nullable().optional(),
  estimationMethod: z.string().nullable().optional(),
  temporalGranularity: z.string().nullable().optional(),
});
export type CarbonIntensityEntry = z.output<typeof carbonIntensityEntrySchema>;

/** `/v3/carbon-intensity/history`. */
export const carbonIntensityHistorySchema = z.object({
  zone: z.string().optional(),
  history: z.array(carbonIntensityEntrySchema),
});

/** `/v3/carbon-intensity/past-range`. */
export const carbonIntensityPastRangeSchema = z.object({
  zone: z.string().optional(),
  data: z.array(carbonIntensityEntrySchema),
});

/** `/v3/carbon-intensity/forecast`. */
export const carbonIntensityForecastSchema = z.object({
  zone: z.string().optional(),
  forecast: z.array(z.object({
    carbonIntensity: z.number().nullable().optional(),
    datetime: instant,
  })),
  updatedAt: instant.nullable().optional(),
  emissionFactorType: z.enum(['lifecycle', 'direct']).optional(),
  temporalGranularity: z.string().nullable().optional(),
});

const megawattsBySource = z.record(z.string(), z.number().nullable());

/** One power-breakdown value (`/latest`, and each history element). */
export const powerBreakdownEntrySchema = z.object({
  zone: z.string().optional(),
  datetime: instant,
  powerConsumptionBreakdown: megawattsBySource.nullable().optional(),
  powerProductionBreakdown: megawattsBySource.nullable().optional(),
  isEstimated: z.boolean().nullable().optional(),
});
export type PowerBreakdownEntry = z.output<typeof powerBreakdownEntrySchema>;

/** `/v3/power-breakdown/history`. */
export const powerBreakdownHistorySchema = z.object({
  zone: z.string().optional(),
  history: z.array(powerBreakdownEntrySchema),
});

/** `/v3/zones`: zone key to name and, with a token, allowed routes. */
export const zonesSchema = z.record(z.string(), z.object({
  zoneName: z.string().optional(),
  countryName: z.string().optional(),
  access: z.array(z.string()).optional(),
}));
