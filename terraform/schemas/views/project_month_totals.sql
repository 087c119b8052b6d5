WITH latest AS (
SELECT *
FROM `${dataset}.footprints`
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY job_id, footprint_kind, segment_index
  ORDER BY recorded_at DESC, insert_id DESC
) = 1
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
ORDER BY project_id, usage_month
