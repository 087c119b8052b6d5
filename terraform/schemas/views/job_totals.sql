WITH latest AS (
SELECT *
FROM `${dataset}.footprints`
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY job_id, footprint_kind, segment_index
  ORDER BY recorded_at DESC, insert_id DESC
) = 1
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
    
  CASE
    WHEN COUNTIF(footprint_kind = 'actual' AND carbon_footprint_scope2_location_based_kgco2e IS NULL) > 0
      THEN NULL
    ELSE SUM(CASE WHEN footprint_kind = 'actual' THEN carbon_footprint_scope2_location_based_kgco2e END)
  END
      AS actual_scope2_location_based_kgco2e,
    
  CASE
    WHEN COUNTIF(footprint_kind = 'actual' AND carbon_footprint_scope3_kgco2e IS NULL) > 0
      THEN NULL
    ELSE SUM(CASE WHEN footprint_kind = 'actual' THEN carbon_footprint_scope3_kgco2e END)
  END
      AS actual_scope3_kgco2e,
    
  CASE
    WHEN COUNTIF(footprint_kind = 'actual' AND carbon_footprint_total_location_based_kgco2e IS NULL) > 0
      THEN NULL
    ELSE SUM(CASE WHEN footprint_kind = 'actual' THEN carbon_footprint_total_location_based_kgco2e END)
  END
      AS actual_total_kgco2e,
    COUNTIF(footprint_kind = 'counterfactual') AS counterfactual_rows,
    
  CASE
    WHEN COUNTIF(footprint_kind = 'counterfactual' AND carbon_footprint_scope2_location_based_kgco2e IS NULL) > 0
      THEN NULL
    ELSE SUM(CASE WHEN footprint_kind = 'counterfactual' THEN carbon_footprint_scope2_location_based_kgco2e END)
  END
      AS counterfactual_scope2_location_based_kgco2e,
    
  CASE
    WHEN COUNTIF(footprint_kind = 'counterfactual' AND carbon_footprint_total_location_based_kgco2e IS NULL) > 0
      THEN NULL
    ELSE SUM(CASE WHEN footprint_kind = 'counterfactual' THEN carbon_footprint_total_location_based_kgco2e END)
  END
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
ORDER BY job_id
