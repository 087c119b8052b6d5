/**
 * Carbon-intensity time series, the one shape every provider normalises to
 * and every planner, policy and footprint calculation reads.
 *
 * A point stamped `startMs` with `durationMs` describes the half-open
 * interval [startMs, startMs + durationMs). A missing value is `null`,
 * never 0: a window touching it is ineligible, a footprint over it is
 * incomplete.
 */

/** What a value measures; values of different bases never compare. */
export const INTENSITY_BASES = [
  'average-lifecycle',
  'average-direct',
  'marginal',
] as const;
export type IntensityBasis = (typeof INTENSITY_BASES)[number];

/** One interval of a series, in gCO2e/kWh. */
export interface IntensityPoint {
  readonly startMs: number;
  readonly durationMs: number;
  /** gCO2e per kWh; null when the source has no value for the interval. */
  readonly gramsPerKilowattHour: number | null;
}

/** Whether the values were measured (or settled) or forecast. */
export type SeriesKind = 'observed' | 'forecast';

/** A normalised series for one grid zone. */
export interface IntensitySeries {
  /** Grid zone key, e.g. Electricity Maps `US-MIDA-PJM`. */
  readonly zone: string;
  readonly basis: IntensityBasis;
  readonly kind: SeriesKind;
  /** The provider that produced it, e.g. `replay:electricitymaps-2022`. */
  readonly source: string;
  /** When a forecast was issued; absent for observed series. */
  readonly issuedAtMs?: number;
  /** Sorted by startMs, non-overlapping; gaps are allowed. */
  readonly points: readonly IntensityPoint[];
}
