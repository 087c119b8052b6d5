/**
 * Reports built from the ledger with the report queries: one job (its
 * segments adding up to its total, scope 2 and scope 3 apart, the
 * counterfactual and the saving; a running job's footprint to date and
 * projection, marked), one project's month (with its budget use), and
 * the regions. The same code runs over BigQuery or the local DuckDB
 * views: it is given a query function and the dialect.
 */
import {SchedulerError} from '../errors.js';
import type {BudgetUse} from '../budgets/budget-use.js';
import {
  besideCarbonFootprintExportSql,
  jobSegmentsSql,
  oneJobTotalsSql,
  oneProjectMonthTotalsSql,
  projectMonthJobsSql,
  regionTotalsSql,
} from './report-queries.js';
import type {SqlDialect} from './sql-dialect.js';

/** Runs report SQL with named parameters. */
export type ReportQuery = (
  sql: string,
  parameters?: Readonly<Record<string, string>>,
) => Promise<Record<string, unknown>[]>;

/** One segment as the job report lists it. */
export interface ReportSegment {
  readonly segmentIndex: number;
  /** `final` once recorded; `to date` while the segment still runs. */
  readonly status: 'final' | 'to date';
  readonly region: string;
  readonly start: string;
  readonly end: string;
  readonly energyKwh: number;
  readonly pue: number;
  readonly facilityEnergyKwh: number;
  readonly intensityGramsPerKwh: number | null;
  readonly intensitySource: string;
  readonly scope2LocationBasedKg: number | null;
  readonly scope3EmbodiedKg: number | null;
  /** Scope 2 + scope 3; null when either is unknown. */
  readonly emissionsKg: number | null;
  /** Scope 2 x (1 - CFE): a separate figure, never location-based. */
  readonly cfeAdjustedKg: number | null;
  readonly incomplete: boolean;
  readonly estimated: string | null;
}

/** A running job's projection to completion. */
export interface ReportProjection {
  readonly label: 'projection to completion, not measured';
  readonly completionTime: string | null;
  readonly energyKwh: number | null;
  readonly scope2LocationBasedKg: number | null;
  readonly emissionsKg: number | null;
}

/** The job report. */
export interface JobReport {
  readonly jobId: string;
  readonly project: string;
  readonly team: string | null;
  /** `running` while any segment has only a figure to date. */
  readonly status: 'completed' | 'running';
  /** Marks the totals of a running job. */
  readonly totalsLabel: 'final' | 'to date, job still running';
  readonly emissionsKg: number | null;
  readonly scope2LocationBasedKg: number | null;
  readonly scope3EmbodiedKg: number | null;
  readonly energyKwh: number;
  readonly facilityEnergyKwh: number;
  readonly counterfactualEmissionsKg: number | null;
  readonly counterfactualScope2Kg: number | null;
  readonly savedKg: number | null;
  readonly savedPercent: number | null;
  readonly savedScope2Kg: number | null;
  readonly savedScope2Percent: number | null;
  readonly incompleteSegments: number;
  readonly segments: readonly ReportSegment[];
  readonly projection: ReportProjection | null;
}

/** No ledger rows for what was asked. */
export class ReportNotFoundError extends SchedulerError {
  constructor(field: string, message: string) {
    super('report-not-found', `${field}: ${message}`);
  }
}

/**
 * The report of one job.
 *
 * @throws ReportNotFoundError - the ledger has no footprint row for it
 */
export async function buildJobReport(
  query: ReportQuery,
  dialect: SqlDialect,
  jobId: string,
): Promise<JobReport> {
  const rows = await query(jobSegmentsSql(dialect), {jobId});
  if (rows.length === 0) {
    throw new ReportNotFoundError('--job', `no footprint rows for job ` +
      `"${jobId}" in the ledger; check the id (the demo prints it) and ` +
      'the run folder');
  }

  // A finished segment's row replaces its progress rows.
  const finalIndexes = new Set(rows
    .filter((row) => row.footprint_kind === 'actual')
    .map((row) => Number(row.segment_index)));
  const shown = rows.filter((row) => row.footprint_kind === 'actual' ||
    (row.footprint_kind === 'progress' &&
      !finalIndexes.has(Number(row.segment_index))));
  const segments = shown.map(toReportSegment);
  const running = segments.some((segment) => segment.status === 'to date');
  const [totals] = await query(oneJobTotalsSql(dialect), {jobId});
  const first = rows[0]!;
  const sum = (pick: (segment: ReportSegment) => number | null) =>
    segments.reduce<number | null>((total, segment) => {
      const value = pick(segment);
      return total === null || value === null ? null : total + value;
    }, 0);

  // Finished: the ledger's own totals. Running: the segments to date.
  const emissionsKg = running || !totals
    ? sum((segment) => segment.emissionsKg)
    : numberOrNull(totals.actual_total_kgco2e);
  return {
    jobId,
    project: String(first.project_id),
    team: stringOrNull(first.team),
    status: running ? 'running' : 'completed',
    totalsLabel: running ? 'to date, job still running' : 'final',
    emissionsKg,
    scope2LocationBasedKg: running || !totals
      ? sum((segment) => segment.scope2LocationBasedKg)
      : numberOrNull(totals.actual_scope2_location_based_kgco2e),
    scope3EmbodiedKg: running || !totals
      ? sum((segment) => segment.scope3EmbodiedKg)
      : numberOrNull(totals.actual_scope3_kgco2e),
    energyKwh: segments.reduce((total, s) => total + s.energyKwh, 0),
    facilityEnergyKwh: segments.reduce(
      (total, s) => total + s.facilityEnergyKwh, 0),
    counterfactualEmissionsKg: running ? null
      : numberOrNull(totals?.counterfactual_total_kgco2e),
    counterfactualScope2Kg: running ? null
      : numberOrNull(totals?.counterfactual_scope2_location_based_kgco2e),
    savedKg: running ? null : numberOrNull(totals?.saved_total_kgco2e),
    savedPercent: running ? null
      : numberOrNull(totals?.saved_total_percent),
    savedScope2Kg: running ? null
      : numberOrNull(totals?.saved_scope2_kgco2e),
    savedScope2Percent: running ? null
      : numberOrNull(totals?.saved_scope2_percent),
    incompleteSegments: segments.filter((segment) => segment.incomplete)
      .length,
    segments,
    projection: running ? projectionOf(shown, segments) : null,
  };
}

/** One project's month. */
export interface ProjectMonthReport {
  readonly project: string;
  /** YYYY-MM. */
  readonly month: string;
  readonly jobCount: number;
  readonly segmentCount: number;
  /** Segments whose scope 2 is unknown, left out of the sums. */
  readonly rowsMissingScope2: number;
  readonly emissionsKg: number | null;
  readonly scope2LocationBasedKg: number | null;
  readonly scope3EmbodiedKg: number | null;
  readonly counterfactualEmissionsKg: number | null;
  readonly savedKg: number | null;
  readonly savedPercent: number | null;
  readonly jobs: readonly {
    readonly jobId: string;
    readonly emissionsKg: number | null;
    readonly scope2LocationBasedKg: number | null;
    readonly counterfactualEmissionsKg: number | null;
    readonly savedPercent: number | null;
  }[];
  readonly budget: BudgetUse | null;
  /** Beside Google's Carbon Footprint export, when one was given. */
  readonly besideCarbonFootprintExport: readonly Record<string, unknown>[] |
    null;
}

/**
 * The report of one project's month (YYYY-MM).
 *
 * @param budget - the project's budget use that month, if read
 * @param withExport - also put the estimates beside the export rows
 */
export async function buildProjectMonthReport(
  query: ReportQuery,
  dialect: SqlDialect,
  request: {
    readonly projectId: string;
    readonly month: string;
    readonly budget: BudgetUse | null;
    readonly withExport: boolean;
  },
): Promise<ProjectMonthReport> {
  const parameters = {projectId: request.projectId,
    month: `${request.month}-01`};
  const [totals] = await query(oneProjectMonthTotalsSql(dialect),
    parameters);
  const jobs = await query(projectMonthJobsSql(dialect), parameters);
  const actual = numberOrNull(totals?.actual_total_kgco2e);
  const counterfactual = numberOrNull(totals?.counterfactual_total_kgco2e);
  const saved = actual === null || counterfactual === null ? null
    : counterfactual - actual;
  const beside = request.withExport
    ? (await query(besideCarbonFootprintExportSql(dialect))).filter(
      (row) => row.project_id === request.projectId &&
        row.usage_month === request.month)
    : null;
  return {
    project: request.projectId,
    month: request.month,
    jobCount: Number(totals?.job_count ?? 0),
    segmentCount: Number(totals?.segment_count ?? 0),
    rowsMissingScope2: Number(totals?.rows_missing_scope2 ?? 0),
    emissionsKg: actual,
    scope2LocationBasedKg:
      numberOrNull(totals?.actual_scope2_location_based_kgco2e),
    scope3EmbodiedKg: numberOrNull(totals?.actual_scope3_kgco2e),
    counterfactualEmissionsKg: counterfactual,
    savedKg: saved,
    savedPercent: saved === null || !counterfactual ? null
      : (100 * saved) / counterfactual,
    jobs: jobs.map((row) => ({
      jobId: String(row.job_id),
      emissionsKg: numberOrNull(row.actual_total_kgco2e),
      scope2LocationBasedKg:
        numberOrNull(row.actual_scope2_location_based_kgco2e),
      counterfactualEmissionsKg:
        numberOrNull(row.counterfactual_total_kgco2e),
      savedPercent: numberOrNull(row.saved_total_percent),
    })),
    budget: request.budget,
    besideCarbonFootprintExport: beside,
  };
}

/** One region's totals. */
export interface RegionReportRow {
  readonly region: string;
  readonly segmentCount: number;
  readonly rowsMissingScope2: number;
  readonly energyKwh: number | null;
  readonly facilityEnergyKwh: number | null;
  readonly scope2LocationBasedKg: number | null;
  readonly scope3EmbodiedKg: number | null;
  readonly emissionsKg: number | null;
  readonly intensityGramsPerKwh: number | null;
}

/** Totals per region where segments ran. */
export async function buildRegionReport(
  query: ReportQuery,
  dialect: SqlDialect,
): Promise<RegionReportRow[]> {
  const rows = await query(regionTotalsSql(dialect));
  return rows.map((row) => ({
    region: String(row.location_region),
    segmentCount: Number(row.segment_count),
    rowsMissingScope2: Number(row.rows_missing_scope2),
    energyKwh: numberOrNull(row.it_energy_kwh),
    facilityEnergyKwh: numberOrNull(row.facility_energy_kwh),
    scope2LocationBasedKg: numberOrNull(row.scope2_location_based_kgco2e),
    scope3EmbodiedKg: numberOrNull(row.scope3_kgco2e),
    emissionsKg: numberOrNull(row.total_kgco2e),
    intensityGramsPerKwh: numberOrNull(row.intensity_gco2e_per_kwh),
  }));
}

function toReportSegment(row: Record<string, unknown>): ReportSegment {
  return {
    segmentIndex: Number(row.segment_index),
    status: row.footprint_kind === 'progress' ? 'to date' : 'final',
    region: String(row.location_region),
    start: String(row.start_time),
    end: String(row.end_time),
    energyKwh: Number(row.it_energy_kwh),
    pue: Number(row.pue),
    facilityEnergyKwh: Number(row.facility_energy_kwh),
    intensityGramsPerKwh: numberOrNull(row.intensity_gco2e_per_kwh),
    intensitySource: String(row.intensity_source),
    scope2LocationBasedKg:
      numberOrNull(row.carbon_footprint_scope2_location_based_kgco2e),
    scope3EmbodiedKg: numberOrNull(row.carbon_footprint_scope3_kgco2e),
    emissionsKg:
      numberOrNull(row.carbon_footprint_total_location_based_kgco2e),
    cfeAdjustedKg: numberOrNull(row.cfe_adjusted_kgco2e),
    incomplete: row.incomplete === true,
    estimated: stringOrNull(row.estimated),
  };
}

// Finished segments as measured, the running one as projected.
function projectionOf(
  rows: readonly Record<string, unknown>[],
  segments: readonly ReportSegment[],
): ReportProjection {
  const latest = rows.filter((row) => row.footprint_kind === 'progress')
    .at(-1)!;
  const others = segments.filter((segment) =>
    segment.segmentIndex !== Number(latest.segment_index));
  const add = (
    projected: number | null,
    pick: (segment: ReportSegment) => number | null,
  ) => others.reduce<number | null>((total, segment) => {
    const value = pick(segment);
    return total === null || value === null ? null : total + value;
  }, projected);
  return {
    label: 'projection to completion, not measured',
    completionTime: stringOrNull(latest.projected_completion_time),
    energyKwh: add(numberOrNull(latest.projected_it_energy_kwh),
      (segment) => segment.energyKwh),
    scope2LocationBasedKg: add(
      numberOrNull(latest.projected_scope2_location_based_kgco2e),
      (segment) => segment.scope2LocationBasedKg),
    emissionsKg: add(
      numberOrNull(latest.projected_total_location_based_kgco2e),
      (segment) => segment.emissionsKg),
  };
}

function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

function stringOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
