import type {ProviderSkip} from '../signals/fallback-chain.js';
import type {
  IntensityBasis,
  IntensitySeries,
} from '../signals/intensity-series.js';

/** A region the planner may use, with the forecast fetched for it. */
export interface RegionForecast {
  readonly regionId: string;
  readonly zone: string;
  readonly powerUsageEffectiveness: number;
  readonly series: IntensitySeries;
  /** The provider that served this region's forecast. */
  readonly provider?: string;
  /** The basis of that forecast (marginal, average-lifecycle, ...). */
  readonly basis?: IntensityBasis;
  /**
   * Providers passed over for this region, in order, and why (e.g.
   * `outside-access` when the credentials may not read its zone).
   */
  readonly skipped?: readonly ProviderSkip[];
}

/** A region left out of planning, and why. */
export interface ExcludedRegionRecord {
  readonly regionId: string;
  readonly reason: string;
  readonly message: string;
}

/**
 * The forecasts fetched for one plan request. Stored as a blob and passed
 * by pointer: it can hold ~50 regions x 72 points, too large for a
 * workflow variable.
 */
export interface ForecastBundle {
  readonly jobId: string;
  readonly requestId: string;
  readonly issuedAtMs: number;
  /** The configured provider (or chain); each region names its own. */
  readonly provider: string;
  readonly regions: readonly RegionForecast[];
  readonly excluded: readonly ExcludedRegionRecord[];
  /**
   * The home region's forecast when it is not among `regions` (the
   * filters or the quota left it out): read only to price the
   * counterfactual, the job run at once at home, never planned on.
   * Absent when home is planned on or its forecast cannot be had.
   */
  readonly home?: RegionForecast;
}
