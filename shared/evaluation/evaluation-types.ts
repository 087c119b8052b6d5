/**
 * Shapes of the evaluation: the regions and job mix it replays, and the
 * per-scenario and aggregate results it reports.
 */

import type {RatioInterval} from './ratio-interval.js';

/** Whether a job runs in one piece or may pause at checkpoints. */
export type JobKind = 'contiguous' | 'interruptible';

/** Where a job may run: its home region only, a bloc, or anywhere. */
export type ResidencyRule = 'home' | 'EU' | 'US' | 'any';

/** How a job's deadline follows from its submission and duration. */
export type DeadlineRule = 'next-workday' | 'plus-24h' | 'plus-48h';

/** A region as the evaluation needs it. */
export interface EvaluationRegion {
  readonly id: string;
  /** Electricity Maps zone key. */
  readonly zone: string;
  readonly residencyGroups: readonly string[];
  readonly powerUsageEffectiveness: number;
  /** Google's yearly location-based grid average, by year. */
  readonly yearlyGridGramsPerKilowattHour: ReadonlyMap<number, number>;
  /** IANA time zone; null when unknown (UTC is used, and listed). */
  readonly timeZone: string | null;
}

/** The job mix: every combination is one scenario per kind. */
export interface JobMix {
  readonly kinds: readonly JobKind[];
  readonly residencies: readonly ResidencyRule[];
  readonly deadlines: readonly DeadlineRule[];
  readonly durationsHours: readonly number[];
  /** Spacing of submission instants over the traces. */
  readonly originStepHours: number;
  readonly itPowerKilowatts: number;
  /** Interruptible jobs: at most this many pauses. */
  readonly maxPauses: number;
  /** Interruptible jobs: about this many checkpoints over the work. */
  readonly checkpointsPerJob: number;
  readonly checkpointOverheadMinutes: number;
  readonly restartOverheadMinutes: number;
  /**
   * A fresher plan replaces the current one when this much better on
   * the same fresh forecast (the product's 0.01 was chosen on 2021
   * traces).
   */
  readonly replanImprovementFraction: number;
  /**
   * On top, the margin for the fresh plan's forecast error at a day's
   * lead, growing with the square root of lead (the product's 0, see
   * shared/planner/replan.ts, was chosen on 2021 traces).
   */
  readonly replanLeadErrorFraction: number;
}

/** One job of the mix, as submitted. */
export interface EvaluationJob {
  readonly scenario: string;
  readonly kind: JobKind;
  readonly homeRegionId: string;
  /** Regions the job may run in, home included. */
  readonly allowedRegionIds: readonly string[];
  readonly submittedAtMs: number;
  readonly workMs: number;
  readonly deadlineMs: number;
  readonly checkpointEveryMs: number;
  readonly maxPauses: number;
  readonly minRunMs: number;
  readonly checkpointOverheadMs: number;
  readonly restartOverheadMs: number;
}

/** A run of a job: where and when, overheads inside the span. */
export interface ExecutedSegment {
  readonly regionId: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** Percent saved by one strategy over a scenario; null if undefined. */
export interface StrategySaving {
  readonly savedPercent: number | null;
}

/** Names of the baselines, as they appear in the JSON. */
export const BASELINE_NAMES = [
  'carbonAwareSdkWindow',
  'letsWaitAwhileInterruptible',
  'staticLowAverageRegion',
] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

/** One scenario's result. */
export interface ScenarioResult {
  readonly name: string;
  readonly kind: JobKind;
  readonly residency: ResidencyRule;
  readonly deadline: DeadlineRule;
  readonly jobCount: number;
  readonly counterfactualGrams: number;
  readonly savedGrams: number;
  readonly oracleSavedGrams: number;
  readonly savedPercent: number | null;
  readonly oracleSavedPercent: number | null;
  /** Our saving over the oracle's; null when the oracle saves nothing. */
  readonly ratioToOracle: number | null;
  readonly baselines: Readonly<Record<BaselineName, StrategySaving>>;
  /** Saved at least as much as every applicable baseline. */
  /** Null for a scenario without jobs. */
  readonly beatsEveryBaseline: boolean | null;
  /** Jobs whose plan ended after the deadline (should be 0). */
  readonly deadlineMisses: number;
}

/** Grams we save over grams the oracle saves, overall and timing-only. */
export interface RatioPair {
  readonly ratioToOracle: number | null;
  /** Over home-region-only scenarios, so region moves cannot hide. */
  readonly temporalRatioToOracle: number | null;
  /**
   * 95 % intervals of both, resampling submission instants (see
   * ratio-interval.ts); null where too few instants have a ratio.
   */
  readonly interval95: {
    readonly ratioToOracle: RatioInterval | null;
    readonly temporalRatioToOracle: RatioInterval | null;
  };
}

/** The whole report. */
export interface EvaluationReport {
  readonly scenarios: readonly ScenarioResult[];
  readonly aggregate: RatioPair & {
    readonly byKind: Readonly<Partial<Record<JobKind, RatioPair>>>;
  };
  readonly jobCount: number;
  readonly origins: {readonly count: number; readonly firstMs: number | null;
    readonly lastMs: number | null; readonly stepHours: number;
    /** True when `--limit` picked the instants, spread evenly. */
    readonly spreadEvenly: boolean};
  /** Regions left out because their zone has no trace. */
  readonly regionsWithoutTrace: readonly {regionId: string; zone: string |
    null}[];
  /** Regions whose time zone is unknown (next workday in UTC). */
  readonly regionsWithoutTimeZone: readonly string[];
  readonly forecaster: string;
}
