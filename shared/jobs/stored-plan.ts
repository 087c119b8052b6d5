import type {ExcludedRegionRecord} from './forecast-bundle.js';

/** One planned run of the job. */
export interface PlannedSegment {
  readonly regionId: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** How a region fared, for the plan's "why". */
export interface RegionConsidered {
  readonly regionId: string;
  readonly bestStartMs: number | null;
  readonly averageGramsPerKilowattHour: number | null;
  /** IT energy x PUE x average of the region's best window. */
  readonly expectedEmissionsGrams: number | null;
  readonly eligibleStarts: number;
}

/**
 * A plan as optimize-slot stores it (behind `planPointer`): the choice,
 * the alternatives, and every input needed to reproduce it.
 */
export interface StoredPlan {
  readonly jobId: string;
  readonly requestId: string;
  readonly createdAtMs: number;
  readonly forecastsPointer: string;
  readonly signalProvider: string;
  readonly basis: string;
  readonly mode: 'contiguous' | 'segments';
  readonly segments: readonly PlannedSegment[];
  readonly expectedEmissionsGrams: number;
  readonly averageGramsPerKilowattHour: number;
  readonly contiguousExpectedEmissionsGrams: number;
  readonly itPowerKilowatts: number;
  readonly totalSteps: number;
  readonly checkpointEverySteps: number;
  readonly counterfactual: {
    readonly regionId: string;
    readonly startMs: number;
    readonly endMs: number;
    readonly expectedEmissionsGrams: number | null;
  };
  readonly regionsConsidered: readonly RegionConsidered[];
  readonly excluded: readonly ExcludedRegionRecord[];
  readonly why: string;
}
