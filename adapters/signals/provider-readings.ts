/**
 * What the HTTP providers add to the domain's readings and series: whether
 * a value was estimated by the source rather than measured. The extra
 * fields are optional, so these remain the domain's types.
 */
import type {IntensityReading} from
  '../../shared/signals/carbon-signal-provider.js';
import type {
  IntensityPoint,
  IntensitySeries,
} from '../../shared/signals/intensity-series.js';

/** A point that says whether the source estimated it. */
export interface EstimatedIntensityPoint extends IntensityPoint {
  /** True when the source estimated rather than measured the value. */
  readonly isEstimated?: boolean;
}

/** A reading that says whether, and how, the source estimated it. */
export interface EstimatedIntensityReading extends IntensityReading {
  readonly isEstimated?: boolean;
  /** e.g. Electricity Maps `TIME_SLICER_AVERAGE`; null when measured. */
  readonly estimationMethod?: string | null;
}

/** A series whose points may say whether they were estimated. */
export interface EstimatedIntensitySeries extends IntensitySeries {
  readonly points: readonly EstimatedIntensityPoint[];
}

/** Milliseconds in one hour. */
export const HOUR_MS = 3_600_000;

/**
 * An instant in an ISO 8601 text as epoch milliseconds; accepts times
 * without seconds (`2025-02-03T08:00Z`).
 *
 * @returns NaN when unreadable
 */
export function parseInstantMs(text: string): number {
  return Date.parse(text);
}
