import type {IntensitySeries} from '../signals/intensity-series.js';

/** A region the planner may use, with the forecast fetched for it. */
export interface RegionForecast {
  readonly regionId: string;
  readonly zone: string;
  readonly powerUsageEffectiveness: number;
  readonly series: IntensitySeries;
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
  readonly provider: string;
  readonly regions: readonly RegionForecast[];
  readonly excluded: readonly ExcludedRegionRecord[];
}
