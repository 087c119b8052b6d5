/**
 * Shapes shared by the contiguous and the interruptible planner.
 */
import type {
  IntensityBasis,
  IntensitySeries,
} from '../signals/intensity-series.js';
import type {UncoveredInterval} from './window-average.js';

/** Energy to move one gigabyte between regions (dataset or checkpoint). */
export const TRANSFER_KILOWATT_HOURS_PER_GIGABYTE = 0.001;

/** Milliseconds in an hour, for kW x ms -> kWh. */
export const MILLISECONDS_PER_HOUR = 3_600_000;

/** One region the job could run in, with its forecast. */
export interface PlanCandidate {
  readonly regionId: string;
  readonly series: IntensitySeries;
  /** Applied exactly once, to IT energy. */
  readonly powerUsageEffectiveness: number;
  /** The region the job would run in without the scheduler. */
  readonly isHome?: boolean;
  /**
   * Price of the job's hardware per hour in this region (any currency,
   * the same for every candidate); null or absent when unknown.
   */
  readonly pricePerHour?: number | null;
}

/** Inputs both planners read. */
export interface PlanBaseInput {
  readonly candidates: readonly PlanCandidate[];
  readonly earliestStartMs: number;
  /** The job must end by this instant. */
  readonly deadlineMs: number;
  readonly itPowerKilowatts: number;
  /**
   * Grams of CO2e one unit of price is worth in the score (0 or absent:
   * carbon only). Needs a price on every candidate when > 0.
   */
  readonly costWeight?: number;
  /** Region holding the dataset; running elsewhere moves it once. */
  readonly datasetRegionId?: string;
  readonly datasetGigabytes?: number;
  /**
   * Price of moving one gigabyte out of the dataset's region (same
   * currency as pricePerHour). Needed when costWeight > 0 and the
   * dataset may move; null or absent when unknown.
   */
  readonly egressPricePerGigabyte?: number | null;
  /**
   * The basis to rank on. Candidates on another basis are excluded and
   * the result says `basisMismatch`; absent, mixed bases are refused.
   */
  readonly basis?: IntensityBasis;
}

/** A contiguous run of the job in one region. */
export interface PlannedWindow {
  readonly regionId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly averageGramsPerKilowattHour: number;
  /** IT energy x PUE x average intensity over the window. */
  readonly expectedEmissionsGrams: number;
  /** Dataset transfer energy x the window's average intensity. */
  readonly transferEmissionsGrams: number;
  /** What the planner minimises: emissions + transfer + weighted price. */
  readonly score: number;
}

/** A data-quality finding inside the planning window of one region. */
export interface DataQualityNote extends UncoveredInterval {
  readonly regionId: string;
}
