/**
 * Reads what the evaluation replays: a folder of Electricity Maps hourly
 * exports (`<ZONE>_<YEAR>_hourly.csv`, every year found) and the region
 * catalog, keeping the regions whose zone has a trace and listing the
 * others.
 */
import {loadRegionCatalog} from '../../shared/catalog/region-catalog.js';
import type {Region} from '../../shared/catalog/region.js';
import type {
  EvaluationRegion,
} from '../../shared/evaluation/evaluation-types.js';
import {
  REGION_TIME_ZONES,
} from '../../shared/evaluation/region-time-zones.js';
import type {IntensitySeries} from '../../shared/signals/intensity-series.js';
import {
  ElectricityMapsTraces,
  listTraceFiles,
  TRACE_DIRECTORY,
} from '../../shared/signals/electricity-maps-traces.js';

/** The regions and observed series of one evaluation. */
export interface EvaluationInputs {
  readonly regions: readonly EvaluationRegion[];
  readonly observed: ReadonlyMap<string, IntensitySeries>;
  readonly regionsWithoutTrace: readonly {regionId: string;
    zone: string | null}[];
  readonly tracesDirectory: string;
  readonly years: readonly number[];
}

/**
 * Loads the traces of every zone and year in the folder.
 *
 * @param tracesDirectory - defaults to the shipped traces
 * @throws TraceFormatError for a file not in the hourly export format;
 *   the file system's error for a folder that cannot be read
 */
export function loadEvaluationInputs(
  tracesDirectory = TRACE_DIRECTORY,
): EvaluationInputs {
  const files = listTraceFiles(tracesDirectory);
  const years = [...new Set(files.map((file) => file.year))].sort();
  const traces = new ElectricityMapsTraces({directory: tracesDirectory,
    years});
  const observed = new Map<string, IntensitySeries>();
  for (const zone of traces.zones()) {
    const series = traces.observedSeries(zone, 'average-lifecycle');
    if (series && series.points.length > 0) observed.set(zone, series);
  }

  const regions: EvaluationRegion[] = [];
  const regionsWithoutTrace: {regionId: string; zone: string | null}[] = [];
  for (const region of loadRegionCatalog().regions) {
    const zone = region.electricityMapsZone;
    if (zone === null || !observed.has(zone)) {
      regionsWithoutTrace.push({regionId: region.id, zone});
      continue;
    }
    regions.push(evaluationRegion(region, zone));
  }
  return {regions, observed, regionsWithoutTrace, tracesDirectory, years};
}

function evaluationRegion(region: Region, zone: string): EvaluationRegion {
  const yearly = new Map<number, number>();
  for (const figures of region.googleYearly) {
    if (figures.gridGramsPerKilowattHour !== null) {
      yearly.set(figures.year, figures.gridGramsPerKilowattHour);
    }
  }
  return {id: region.id, zone, residencyGroups: region.residencyGroups,
    powerUsageEffectiveness: region.powerUsageEffectiveness.value,
    yearlyGridGramsPerKilowattHour: yearly,
    timeZone: REGION_TIME_ZONES[region.id] ?? null};
}
