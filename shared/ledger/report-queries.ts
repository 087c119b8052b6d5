/**
 * Report queries over the ledger, the same SQL on BigQuery and on the
 * local DuckDB views; a {@link SqlDialect} fills in what differs (table
 * names, parameters, formatting instants). Each first keeps one row per
 * (job_id, footprint_kind, segment_index), the latest written, so a row
 * written twice is never counted twice.
 *
 * Missing figures are never summed as 0: per job, a total is NULL when any
 * of its segments lacks the figure; per month and per region, sums cover
 * the rows that have the figure and `rows_missing_scope2` says how many
 * did not. Progress rows (footprint_kind = progress, written while a
 * segment runs) are never counted as actual emissions.
 */
import {DUCKDB_DIALECT, type SqlDialect} from './sql-dialect.js';

/** The footprint rows, one per logical row (the latest written). */
export function latestFootprintsSql(dialect: SqlDialect): string {
  return `
SELECT *
FROM ${dialect.table('footprints')}
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY job_id, footprint_kind, segment_index
  ORDER BY recorded_at DESC, insert_id DESC
) = 1`;
}

// Sum of a column over the matching rows; NULL if any of them is NULL.
const strictSum = (column: string, kind: 'actual' | 'counterfactual') => `
  CASE
    WHEN COUNTIF(footprint_kind = '${kind}' AND ${column} IS NULL) > 0
      THEN NULL
    ELSE SUM(CASE WHEN footprint_kind = '${kind}' THEN ${column} END)
  END`;

/**
 * Per job: actual against counterfactual (kgCO2e) and what was saved, for
 * scope 2 (location-based) and for the total (scope 2 + scope 3).
 */
export function jobTotalsSql(dialect: SqlDialect): string {
  return `
WITH latest AS (${latestFootprintsSql(dialect)}
),
per_job AS (
  SELECT
    job_id,
    MAX(project_id) AS project_id,
    MAX(team) AS team,
    COUNTIF(footprint_kind = 'actual') AS segment_count,
    COUNTIF(footprint_kind = 'actual' AND incomplete) AS
      incomplete_segment_count,
    SUM(CASE WHEN footprint_kind = 'actual' THEN it_energy_kwh END) AS
      actual_it_energy_kwh,
    ${strictSum('carbon_footprint_scope2_location_based_kgco2e', 'actual')}
      AS actual_scope2_location_based_kgco2e,
    ${strictSum('carbon_footprint_scope3_kgco2e', 'actual')}
      AS actual_scope3_kgco2e,
    ${strictSum('carbon_footprint_total_location_based_kgco2e', 'actual')}
      AS actual_total_kgco2e,
    COUNTIF(footprint_kind = 'counterfactual') AS counterfactual_rows,
    ${strictSum('carbon_footprint_scope2_location_based_kgco2e',
      'counterfactual')}
      AS counterfactual_scope2_location_based_kgco2e,
    ${strictSum('carbon_footprint_total_location_based_kgco2e',
      'counterfactual')}
      AS counterfactual_total_kgco2e
  FROM latest
  GROUP BY job_id
)
SELECT
  *,
  counterfactual_scope2_location_based_kgco2e -
    actual_scope2_location_based_kgco2e AS saved_scope2_kgco2e,
  100 * (counterfactual_scope2_location_based_kgco2e -
    actual_scope2_location_based_kgco2e) /
    NULLIF(counterfactual_scope2_location_based_kgco2e, 0)
    AS saved_scope2_percent,
  counterfactual_total_kgco2e - actual_total_kgco2e AS saved_total_kgco2e,
  100 * (counterfactual_total_kgco2e - actual_total_kgco2e) /
    NULLIF(counterfactual_total_kgco2e, 0) AS saved_total_percent
FROM per_job
ORDER BY job_id`;
}

/** Per project and usage month: actual and counterfactual kgCO2e. */
export function projectMonthTotalsSql(dialect: SqlDialect): string {
  return `
WITH latest AS (${latestFootprintsSql(dialect)}
)
SELECT
  project_id,
  usage_month,
  COUNT(DISTINCT job_id) AS job_count,
  COUNTIF(footprint_kind = 'actual') AS segment_count,
  COUNTIF(footprint_kind = 'actual' AND
    carbon_footprint_scope2_location_based_kgco2e IS NULL)
    AS rows_missing_scope2,
  SUM(CASE WHEN footprint_kind = 'actual'
    THEN carbon_footprint_scope2_location_based_kgco2e END)
    AS actual_scope2_location_based_kgco2e,
  SUM(CASE WHEN footprint_kind = 'actual'
    THEN carbon_footprint_scope3_kgco2e END) AS actual_scope3_kgco2e,
  SUM(CASE WHEN footprint_kind = 'actual'
    THEN carbon_footprint_total_location_based_kgco2e END)
    AS actual_total_kgco2e,
  SUM(CASE WHEN footprint_kind = 'counterfactual'
    THEN carbon_footprint_total_location_based_kgco2e END)
    AS counterfactual_total_kgco2e
FROM latest
GROUP BY project_id, usage_month
ORDER BY project_id, usage_month`;
}

/** Per region where segments actually ran. */
export function regionTotalsSql(dialect: SqlDialect): string {
  return `
WITH latest AS (${latestFootprintsSql(dialect)}
)
SELECT
  location_region,
  COUNT(*) AS segment_count,
  COUNTIF(carbon_footprint_scope2_location_based_kgco2e IS NULL)
    AS rows_missing_scope2,
  SUM(it_energy_kwh) AS it_energy_kwh,
  SUM(facility_energy_kwh) AS facility_energy_kwh,
  SUM(carbon_footprint_scope2_location_based_kgco2e)
    AS scope2_location_based_kgco2e,
  SUM(carbon_footprint_scope3_kgco2e) AS scope3_kgco2e,
  SUM(carbon_footprint_total_location_based_kgco2e) AS total_kgco2e,
  1000 * SUM(carbon_footprint_scope2_location_based_kgco2e) /
    NULLIF(SUM(CASE WHEN carbon_footprint_scope2_location_based_kgco2e
      IS NOT NULL THEN facility_energy_kwh END), 0)
    AS intensity_gco2e_per_kwh
FROM latest
WHERE footprint_kind = 'actual'
GROUP BY location_region
ORDER BY location_region`;
}

/**
 * One job's rows as the report lists them: the latest actual row of each
 * finished segment and the latest progress row of each segment (the
 * reader shows a progress row only where no actual row exists yet).
 * Parameter: `jobId`.
 */
export function jobSegmentsSql(dialect: SqlDialect): string {
  return `
WITH latest AS (${latestFootprintsSql(dialect)}
)
SELECT
  job_id,
  project_id,
  team,
  segment_index,
  footprint_kind,
  location_region,
  service_description,
  ${dialect.isoTimestamp('start_time')} AS start_time,
  ${dialect.isoTimestamp('end_time')} AS end_time,
  it_energy_kwh,
  pue,
  facility_energy_kwh,
  intensity_gco2e_per_kwh,
  intensity_source,
  carbon_footprint_scope2_location_based_kgco2e,
  carbon_footprint_scope3_kgco2e,
  carbon_footprint_total_location_based_kgco2e,
  cfe_adjusted_kgco2e,
  incomplete,
  estimated,
  ${dialect.isoTimestamp('projected_completion_time')}
    AS projected_completion_time,
  projected_it_energy_kwh,
  projected_scope2_location_based_kgco2e,
  projected_total_location_based_kgco2e,
  ${dialect.isoTimestamp('recorded_at')} AS recorded_at
FROM latest
WHERE job_id = ${dialect.parameter('jobId')}
ORDER BY segment_index, footprint_kind`;
}

/** {@link jobTotalsSql} for one job. Parameter: `jobId`. */
export function oneJobTotalsSql(dialect: SqlDialect): string {
  return `
SELECT *
FROM (${jobTotalsSql(dialect)}
) AS job_totals
WHERE job_id = ${dialect.parameter('jobId')}`;
}

/**
 * The jobs of one project whose segments started in one month, with
 * their totals. Parameters: `projectId`, `month` (YYYY-MM-01).
 */
export function projectMonthJobsSql(dialect: SqlDialect): string {
  return `
WITH latest AS (${latestFootprintsSql(dialect)}
),
month_jobs AS (
  SELECT DISTINCT job_id
  FROM latest
  WHERE footprint_kind = 'actual'
    AND project_id = ${dialect.parameter('projectId')}
    AND usage_month = CAST(${dialect.parameter('month')} AS DATE)
)
SELECT job_totals.*
FROM (${jobTotalsSql(dialect)}
) AS job_totals
JOIN month_jobs ON month_jobs.job_id = job_totals.job_id
ORDER BY job_totals.job_id`;
}

/**
 * {@link projectMonthTotalsSql} for one project and month. Parameters:
 * `projectId`, `month` (YYYY-MM-01).
 */
export function oneProjectMonthTotalsSql(dialect: SqlDialect): string {
  return `
SELECT *
FROM (${projectMonthTotalsSql(dialect)}
) AS month_totals
WHERE project_id = ${dialect.parameter('projectId')}
  AND usage_month = CAST(${dialect.parameter('month')} AS DATE)`;
}

/**
 * The product's estimates beside Google's Carbon Footprint export, per
 * project, usage month, region and service (a full join: a side with no
 * row shows NULL, never 0). The export's nested RECORDs are read with
 * the same dotted paths in BigQuery and DuckDB.
 */
export function besideCarbonFootprintExportSql(dialect: SqlDialect): string {
  return `
WITH latest AS (${latestFootprintsSql(dialect)}
),
estimated AS (
  SELECT
    project_id,
    usage_month,
    location_region,
    service_description,
    COUNT(DISTINCT job_id) AS job_count,
    COUNTIF(carbon_footprint_scope2_location_based_kgco2e IS NULL)
      AS rows_missing_scope2,
    SUM(carbon_footprint_scope2_location_based_kgco2e)
      AS estimated_scope2_location_based_kgco2e,
    SUM(carbon_footprint_scope3_kgco2e) AS estimated_scope3_kgco2e,
    SUM(carbon_footprint_total_location_based_kgco2e)
      AS estimated_total_location_based_kgco2e
  FROM latest
  WHERE footprint_kind = 'actual'
  GROUP BY project_id, usage_month, location_region, service_description
),
exported AS (
  SELECT
    export_row.project.id AS project_id,
    CAST(export_row.usage_month AS DATE) AS usage_month,
    export_row.location.region AS location_region,
    export_row.service.description AS service_description,
    SUM(export_row.carbon_footprint_kgCO2e.scope1) AS export_scope1_kgco2e,
    SUM(export_row.carbon_footprint_kgCO2e.scope2.location_based)
      AS export_scope2_location_based_kgco2e,
    SUM(export_row.carbon_footprint_kgCO2e.scope2.market_based)
      AS export_scope2_market_based_kgco2e,
    SUM(export_row.carbon_footprint_kgCO2e.scope3) AS export_scope3_kgco2e,
    SUM(export_row.carbon_footprint_total_kgCO2e.location_based)
      AS export_total_location_based_kgco2e
  FROM ${dialect.table('carbon_footprint_export')} AS export_row
  GROUP BY project_id, usage_month, location_region, service_description
)
SELECT
  COALESCE(estimated.project_id, exported.project_id) AS project_id,
  ${dialect.monthText(
    'COALESCE(estimated.usage_month, exported.usage_month)')} AS usage_month,
  COALESCE(estimated.location_region, exported.location_region)
    AS location_region,
  COALESCE(estimated.service_description, exported.service_description)
    AS service_description,
  estimated.job_count,
  estimated.rows_missing_scope2,
  estimated.estimated_scope2_location_based_kgco2e,
  estimated.estimated_scope3_kgco2e,
  estimated.estimated_total_location_based_kgco2e,
  exported.export_scope1_kgco2e,
  exported.export_scope2_location_based_kgco2e,
  exported.export_scope2_market_based_kgco2e,
  exported.export_scope3_kgco2e,
  exported.export_total_location_based_kgco2e,
  100 * estimated.estimated_total_location_based_kgco2e /
    NULLIF(exported.export_total_location_based_kgco2e, 0)
    AS estimated_share_of_export_percent
FROM estimated
FULL OUTER JOIN exported
  ON estimated.project_id = exported.project_id
  AND estimated.usage_month = exported.usage_month
  AND estimated.location_region = exported.location_region
  AND estimated.service_description = exported.service_description
ORDER BY project_id, usage_month, location_region, service_description`;
}

/** Every report query, by name, for rendering in either dialect. */
export const REPORT_QUERIES = {
  latestFootprints: latestFootprintsSql,
  jobTotals: jobTotalsSql,
  oneJobTotals: oneJobTotalsSql,
  jobSegments: jobSegmentsSql,
  projectMonthTotals: projectMonthTotalsSql,
  oneProjectMonthTotals: oneProjectMonthTotalsSql,
  projectMonthJobs: projectMonthJobsSql,
  regionTotals: regionTotalsSql,
  besideCarbonFootprintExport: besideCarbonFootprintExportSql,
} as const satisfies Record<string, (dialect: SqlDialect) => string>;

/** The latest footprint rows, rendered for the local DuckDB views. */
export const LATEST_FOOTPRINTS_SQL = latestFootprintsSql(DUCKDB_DIALECT);
/** Per-job totals, rendered for the local DuckDB views. */
export const JOB_TOTALS_SQL = jobTotalsSql(DUCKDB_DIALECT);
/** Per project and month, rendered for the local DuckDB views. */
export const PROJECT_MONTH_TOTALS_SQL =
  projectMonthTotalsSql(DUCKDB_DIALECT);
/** Per region, rendered for the local DuckDB views. */
export const REGION_TOTALS_SQL = regionTotalsSql(DUCKDB_DIALECT);
