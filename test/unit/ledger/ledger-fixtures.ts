/** Row builders shared by the ledger tests. */
import type {LedgerRow} from '../../../shared/ledger/schema.js';

/** A footprint row with the given grams (scope 2) and defaults elsewhere. */
export function footprintRow(
  overrides: Partial<LedgerRow<'footprints'>> & {
    job_id: string;
    segment_index: number;
  },
): LedgerRow<'footprints'> {
  const kind = overrides.footprint_kind ?? 'actual';
  return {
    insert_id: kind === 'actual'
      ? `${overrides.job_id}:${overrides.segment_index}`
      : `${overrides.job_id}:counterfactual`,
    footprint_kind: kind,
    project_id: 'ml-prod',
    team: 'vision',
    service_description: 'Vertex AI',
    location_region: 'europe-north1',
    usage_month: '2025-03-01',
    start_time: '2025-03-01T10:00:00.000Z',
    end_time: '2025-03-01T11:00:00.000Z',
    it_energy_kwh: 1,
    pue: 1.1,
    facility_energy_kwh: 1.1,
    intensity_gco2e_per_kwh: 100,
    intensity_source: 'test',
    carbon_footprint_scope2_location_based_kgco2e: 1,
    carbon_footprint_scope3_kgco2e: 0,
    carbon_footprint_total_location_based_kgco2e: 1,
    cfe_adjusted_kgco2e: null,
    incomplete: false,
    estimated: null,
    inputs: {},
    projected_completion_time: null,
    projected_it_energy_kwh: null,
    projected_scope2_location_based_kgco2e: null,
    projected_total_location_based_kgco2e: null,
    recorded_at: '2025-03-01T12:00:00.000Z',
    ...overrides,
  };
}
