/**
 * The UK Carbon Intensity API response shapes the provider reads. The
 * regional routes are documented with `data` as an array and reported to
 * answer with a bare object; both are accepted.
 */
import {z} from 'zod';

const instant = z.string().refine((text) => !Number.isNaN(Date.parse(text)),
  {message: 'not an ISO 8601 instant'});

/** One half-hour settlement period. */
export const periodSchema = z.object({
  from: instant,
  to: instant,
  intensity: z.object({
    forecast: z.number().nullable().optional(),
    actual: z.number().nullable().optional(),
    index: z.string().nullable().optional(),
  }),
});
export type UkPeriod = z.output<typeof periodSchema>;

/** `/intensity` and `/intensity/{from}/...`. */
export const nationalSchema = z.object({data: z.array(periodSchema)});

const regionSchema = z.object({
  regionid: z.number().optional(),
  shortname: z.string().optional(),
  data: z.array(periodSchema),
});

/** `/regional/.../regionid/{id}`: one region, array or bare object. */
export const regionalSchema = z.object({
  data: z.union([z.array(regionSchema), regionSchema]),
});

/** The periods of a regional body, whichever form it took. */
export function regionalPeriods(
  body: z.output<typeof regionalSchema>,
): UkPeriod[] {
  const regions = Array.isArray(body.data) ? body.data : [body.data];
  return regions.flatMap((region) => region.data);
}

/** A body with nothing in it: `{}`, an empty body, or `data: []`. */
export function isEmptyBody(body: unknown): boolean {
  if (body === undefined || body === null) return true;
  if (typeof body !== 'object') return false;
  const data = (body as {data?: unknown}).data;
  if (Object.keys(body).length === 0) return true;
  return Array.isArray(data) && data.length === 0;
}
