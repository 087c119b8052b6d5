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
ORDER BY location_region
