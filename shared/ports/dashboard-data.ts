/**
 * What the dashboard shows, read from the ledger, the job snapshots and
 * the carbon signal. A value nobody measured is null, never 0.
 */

/** One Google Cloud region at the dashboard's instant. */
export interface DashboardRegion {
  readonly region: string;
  readonly location: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly zone: string | null;
  /** gCO2e/kWh at the instant; null when the region has no data. */
  readonly carbonIntensity: number | null;
  /** e.g. `average-lifecycle`; null without data. */
  readonly basis: string | null;
  readonly provider: string | null;
  /** Google's yearly carbon-free energy share, percent; null if none. */
  readonly carbonFreeEnergyPercent: number | null;
  /** The grid's mix at the instant, percent of consumption. */
  readonly mix: {
    readonly renewablePercent: number | null;
    readonly lowCarbonPercent: number | null;
  } | null;
  /** Why there is no intensity, when there is none. */
  readonly reason: string | null;
}

/** One job's totals. */
export interface DashboardJob {
  readonly jobId: string;
  readonly project: string;
  /** `YYYY-MM` of the job's first segment. */
  readonly month: string | null;
  readonly emissionsKg: number | null;
  readonly counterfactualEmissionsKg: number | null;
  readonly savedPercent: number | null;
}

/** One run segment as the ledger recorded it. */
export interface DashboardSegment {
  readonly region: string;
  readonly start: string;
  readonly end: string;
  readonly energyKwh: number | null;
  readonly emissionsKg: number | null;
}

/** A job with its segments, pauses and the forecast it was planned on. */
export interface DashboardJobDetail extends DashboardJob {
  readonly segments: readonly DashboardSegment[];
  /** Gaps between segments: when the job was paused. */
  readonly pauses: readonly {readonly start: string; readonly end: string}[];
  /** The planned window(s), from the stored plan, if any. */
  readonly plannedSegments: readonly {
    readonly region: string;
    readonly start: string;
    readonly end: string;
  }[];
  /** The forecast of the planned region at plan time, if stored. */
  readonly forecast: {
    readonly zone: string;
    readonly points: readonly {
      readonly start: string;
      readonly gramsPerKilowattHour: number | null;
    }[];
  } | null;
}

/** A project's month against its budget. */
export interface DashboardMonth {
  readonly project: string;
  readonly month: string;
  readonly emissionsKg: number | null;
  /** What the budget counts: scope 2, location-based. */
  readonly scope2LocationBasedKg: number | null;
  readonly counterfactualEmissionsKg: number | null;
  /** The operator's monthly budget; null when none is configured. */
  readonly budgetKg: number | null;
}

/** The dashboard's data source. */
export interface DashboardData {
  /** The instant the region ranking describes, ISO 8601. */
  readonly asOf: string;
  regions(): Promise<readonly DashboardRegion[]>;
  jobs(): Promise<readonly DashboardJob[]>;
  job(jobId: string): Promise<DashboardJobDetail | undefined>;
  months(): Promise<readonly DashboardMonth[]>;
}
