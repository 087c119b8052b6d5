/**
 * Turns footprint results into ledger rows with deterministic insert ids,
 * so a retried write repeats the same row rather than adding one.
 */
import type {FootprintToDate} from '../footprint/footprint-to-date.js';
import type {SegmentFootprint} from '../footprint/segment-footprint.js';
import type {LedgerRow} from './schema.js';

/** Insert id of a segment's row: `${jobId}:${segmentIndex}`. */
export function segmentInsertId(jobId: string, segmentIndex: number): string {
  return `${jobId}:${segmentIndex}`;
}

/** Insert id of a job's counterfactual row. */
export function counterfactualInsertId(jobId: string): string {
  return `${jobId}:counterfactual`;
}

/**
 * Insert id of a progress row: one per segment and monitor poll, so a
 * retried poll repeats its row and the next poll adds a new one.
 */
export function progressInsertId(
  jobId: string,
  segmentIndex: number,
  pollSequence: number,
): string {
  return `${jobId}:${segmentIndex}:progress:${pollSequence}`;
}

/** What a footprint row needs besides the footprint itself. */
export interface FootprintRowContext {
  readonly jobId: string;
  readonly projectId: string;
  readonly team?: string | null;
  readonly serviceDescription?: string;
  readonly recordedAtMs: number;
}

const gramsToKilograms = (grams: number | null) =>
  grams === null ? null : grams / 1000;

/** First day (UTC) of the month an instant falls in, as YYYY-MM-DD. */
export function usageMonthOf(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 8) + '01';
}

/**
 * The ledger row of one footprint.
 *
 * @param footprint - a segment's footprint or the counterfactual's
 * @param kind - `actual` (with its segment index) or `counterfactual`
 */
export function toFootprintRow(
  footprint: SegmentFootprint,
  context: FootprintRowContext,
  kind: {footprintKind: 'actual'; segmentIndex: number} |
    {footprintKind: 'counterfactual'},
): LedgerRow<'footprints'> {
  const segmentIndex = kind.footprintKind === 'actual' ? kind.segmentIndex : 0;
  return {
    insert_id: kind.footprintKind === 'actual'
      ? segmentInsertId(context.jobId, segmentIndex)
      : counterfactualInsertId(context.jobId),
    job_id: context.jobId,
    segment_index: segmentIndex,
    footprint_kind: kind.footprintKind,
    project_id: context.projectId,
    team: context.team ?? null,
    service_description: context.serviceDescription ?? 'Vertex AI',
    location_region: footprint.regionId,
    usage_month: usageMonthOf(footprint.startMs),
    start_time: new Date(footprint.startMs).toISOString(),
    end_time: new Date(footprint.endMs).toISOString(),
    it_energy_kwh: footprint.itEnergyKilowattHours,
    pue: footprint.powerUsageEffectiveness,
    facility_energy_kwh: footprint.facilityEnergyKilowattHours,
    intensity_gco2e_per_kwh: footprint.intensityGramsPerKilowattHour,
    intensity_source: footprint.intensitySource,
    carbon_footprint_scope2_location_based_kgco2e:
      gramsToKilograms(footprint.locationBasedGrams),
    carbon_footprint_scope3_kgco2e: gramsToKilograms(footprint.embodiedGrams),
    carbon_footprint_total_location_based_kgco2e:
      gramsToKilograms(footprint.totalGrams),
    cfe_adjusted_kgco2e:
      gramsToKilograms(footprint.carbonFreeEnergyAdjusted?.grams ?? null),
    incomplete: footprint.incomplete,
    estimated: footprint.estimated ?? null,
    inputs: footprint.inputs,
    projected_completion_time: null,
    projected_it_energy_kwh: null,
    projected_scope2_location_based_kgco2e: null,
    projected_total_location_based_kgco2e: null,
    recorded_at: new Date(context.recordedAtMs).toISOString(),
  };
}

/**
 * The progress row of a running segment: its footprint to date
 * (footprint_kind = progress) and the projection to completion.
 *
 * @param pollSequence - the monitor request's sequence number
 */
export function toProgressRow(
  progress: FootprintToDate,
  context: FootprintRowContext,
  segment: {segmentIndex: number; pollSequence: number},
): LedgerRow<'footprints'> {
  const row = toFootprintRow(progress.toDate, context,
    {footprintKind: 'actual', segmentIndex: segment.segmentIndex});
  const projection = progress.projection;
  return {
    ...row,
    insert_id: progressInsertId(context.jobId, segment.segmentIndex,
      segment.pollSequence),
    footprint_kind: 'progress',
    projected_completion_time:
      new Date(projection.completionMs).toISOString(),
    projected_it_energy_kwh: projection.itEnergyKilowattHours,
    projected_scope2_location_based_kgco2e:
      gramsToKilograms(projection.locationBasedGrams),
    projected_total_location_based_kgco2e:
      gramsToKilograms(projection.totalGrams),
  };
}
