/**
 * Report queries over the ledger, plain SQL that runs on BigQuery (with the
 * ledger dataset as the default dataset) and on the local DuckDB views.
 * Each first keeps one row per (job_id, footprint_kind, segment_index), the
 * latest written, so a row written twice is never counted twice.
 *
 * Missing figures are never summed as 0: per job, a total is NULL when any
 * of its segments lacks the figure; per month and per region, sums cover
 * the rows that have the figure and `rows_missing_scope2` says how many
 * did not.
 */

/** The footprint rows, one per logical row (the latest written). */
export const LATEST_FOOTPRINTS_SQL = `
SELECT *
FROM footprints
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY job_id, footprint_kind, segment_index
  ORDER BY recorded_at DESC, insert_id DESC
) = 1`;

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
export const JOB_TOTALS_SQL = `
WITH latest AS (${LATEST_FOOTPRINTS_SQL}
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

/** Per project and usage month: actual and counterfactual kgCO2e. */
export const PROJECT_MONTH_TOTALS_SQL = `
WITH latest AS (${LATEST_FOOTPRINTS_SQL}
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

/** Per region where segments actually ran. */
export const REGION_TOTALS_SQL = `
WITH latest AS (${LATEST_FOOTPRINTS_SQL}
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
