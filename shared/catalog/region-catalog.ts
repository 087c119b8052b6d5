/**
 * The Google Cloud region catalog: every region found in the shipped data,
 * joined from Google's yearly carbon figures, the region-picker list, the
 * hand-kept zone and location tables, Green Algorithms PUE figures, the
 * accelerator-zone extract and the shipped hourly traces.
 */
import {existsSync} from 'node:fs';
import {
  listTraceFiles,
  TRACE_DIRECTORY,
} from '../signals/electricity-maps-traces.js';
import {CatalogDataError, UnknownRegionError} from './catalog-errors.js';
import {
  readAccelerators,
  readFleetPue,
  readGoogleYearly,
  readGridZones,
  readRegionLocations,
  readRegionPicker,
} from './catalog-sources.js';
import type {
  GoogleYearRow,
  RegionAccelerators,
  RegionPickerEntry,
} from './catalog-sources.js';
import {readRegionalPue} from './catalog-sources.js';
import type {
  AcceleratorOffer,
  GoogleYearlyFigures,
  PowerUsageEffectiveness,
  Region,
} from './region.js';
import {residencyGroupsFor} from './residency.js';

/** Read access to the catalog. */
export interface RegionCatalog {
  /** Every region, sorted by id. */
  readonly regions: readonly Region[];
  /** The region, or undefined when the id is not listed. */
  get(id: string): Region | undefined;
  /**
   * The region.
   *
   * @throws UnknownRegionError when the id is not listed
   */
  require(id: string): Region;
  /** Regions whose Electricity Maps zone is `zone`, sorted by id. */
  regionsInZone(zone: string): readonly Region[];
}

/**
 * Published coordinates that are wrong, with the value used instead.
 * region-picker gives Johannesburg a northern latitude.
 */
const COORDINATE_CORRECTIONS: Readonly<
  Record<string, {latitude: number; reason: string}>
> = {
  'africa-south1': {
    latitude: -26.2056,
    reason: 'sign of the published latitude +26.2056 corrected: ' +
      'Johannesburg lies south of the equator',
  },
};

const REGION_PICKER = 'GoogleCloudPlatform/region-picker regions.json';
const GRID_ZONES = 'data/regions/gcp-region-grid-zones.csv';
const LOCATIONS = 'data/regions/gcp-region-locations.csv';
const TRACE_FOLDER = 'data/traces/electricitymaps_hourly';
const ACCELERATOR_EXTRACT = 'data/regions/gcp_accelerator_zones_extract.csv';

let cachedCatalog: RegionCatalog | undefined;

/**
 * The region catalog, read from the shipped files on first call and kept.
 *
 * @returns the same catalog object on every call
 */
export function loadRegionCatalog(): RegionCatalog {
  cachedCatalog ??= buildRegionCatalog();
  return cachedCatalog;
}

// Joins every source into one frozen region per id.
function buildRegionCatalog(): RegionCatalog {
  const yearly = readGoogleYearly();
  const picker = readRegionPicker();
  const zones = readGridZones();
  const locations = readRegionLocations();
  const regionalPue = readRegionalPue();
  const fleetPue = readFleetPue();
  const accelerators = readAccelerators();
  const traceYears = traceYearsByZone();

  const ids = new Set<string>([
    ...yearly.byRegion.keys(), ...picker.keys(), ...zones.keys(),
    ...accelerators.keys(),
  ]);
  const regions = [...ids].sort().map((id) => {
    const zoneRow = zones.get(id);
    const location = locations.get(id);
    if (!zoneRow || !location) {
      throw new CatalogDataError(zoneRow ? LOCATIONS : GRID_ZONES,
        `region ${id} appears in the shipped data but has no row here`);
    }
    const zone = zoneRow.zone;
    const coordinates = coordinatesOf(id, picker.get(id), location);
    const place = locationOf(id, yearly.byRegion.get(id), picker.get(id));
    const pue: PowerUsageEffectiveness = regionalPue.has(id)
      ? {...regionalPue.get(id)!, scope: 'region'}
      : {...fleetPue, scope: 'fleet'};

    const offers = acceleratorOffers(accelerators.get(id));
    const region: Region = {
      id,
      location: place.value,
      latitude: coordinates.latitude,
      longitude: coordinates.longitude,
      countryCode: location.countryCode,
      residencyGroups: residencyGroupsFor(location.countryCode),
      electricityMapsZone: zone,
      alternativeZone: zoneRow.alternativeZone,
      ukCarbonIntensity: location.countryCode === 'GB'
        ? {scope: 'national', areaCode: 'GB',
          source: 'GB regions use the national Great Britain figure'}
        : null,
      googleYearly: yearlyFigures(yearly.years, yearly.byRegion.get(id)),
      powerUsageEffectiveness: pue,
      accelerators: offers.map((offer) => offer.type),
      acceleratorOffers: offers,
      acceleratorsWithoutVertexType:
        [...(accelerators.get(id)?.withoutVertexType ?? [])].sort(),
      // TODO(data): us-central1 (US-MIDW-MISO) and us-west1 (US-NW-BPAT)
      // have no 2021-2022 trace to replay; ship one when a licensed export
      // for those years is found.
      intensitySource: zone === null ? null : {
        provider: 'electricitymaps',
        zone,
        replayYears: traceYears.get(zone) ?? [],
      },
      excludedReason: zone === null ? 'no-intensity-source' : null,
      excludedDetail: zone === null
        ? `no grid zone in ${GRID_ZONES}: ${zoneRow.note || 'no note'}`
        : null,
      sources: {
        location: place.source,
        coordinates: coordinates.source,
        countryCode: location.countryCode === null ? null : LOCATIONS,
        electricityMapsZone: zoneRow.source,
        alternativeZone: zoneRow.alternativeSource,
        residencyGroups: location.countryCode === null
          ? `no country code in ${LOCATIONS}, so no residency group`
          : `country code ${location.countryCode} from ${LOCATIONS}; ` +
            'EU membership from shared/catalog/residency.ts',
        intensitySource: zone === null ? null :
          `zone from ${GRID_ZONES}; replay years from ` +
          `${TRACE_FOLDER}/${zone}_<YEAR>_hourly.csv`,
      },
    };
    return deepFreeze(region);
  });
  return createCatalog(regions);
}

function createCatalog(regions: readonly Region[]): RegionCatalog {
  const byId = new Map(regions.map((region) => [region.id, region]));
  const ids = regions.map((region) => region.id);
  return Object.freeze({
    regions: Object.freeze([...regions]),
    get: (id: string) => byId.get(id),
    require: (id: string) => {
      const region = byId.get(id);
      if (!region) throw new UnknownRegionError(id, ids);
      return region;
    },
    regionsInZone: (zone: string) =>
      regions.filter((region) => region.electricityMapsZone === zone),
  });
}

// The recorded traces ship with the repository for replay, not with the
// deployed functions: without them no region has trace years.
function traceYearsByZone(): Map<string, number[]> {
  const years = new Map<string, number[]>();
  if (!existsSync(TRACE_DIRECTORY)) return years;
  for (const file of listTraceFiles()) {
    years.set(file.zone, [...(years.get(file.zone) ?? []), file.year]);
  }
  return years;
}

// region-picker first (corrected where known wrong), then the local table.
function coordinatesOf(
  id: string,
  picked: RegionPickerEntry | undefined,
  location: {latitude: number | null; longitude: number | null;
    coordinatesSource: string | null},
): {latitude: number | null; longitude: number | null;
    source: string | null} {
  if (picked) {
    const correction = COORDINATE_CORRECTIONS[id];
    return {
      latitude: correction?.latitude ?? picked.latitude,
      longitude: picked.longitude,
      source: correction
        ? `${REGION_PICKER} (${correction.reason})`
        : REGION_PICKER,
    };
  }
  if (location.latitude === null || location.longitude === null) {
    return {latitude: null, longitude: null, source: null};
  }
  return {
    latitude: location.latitude,
    longitude: location.longitude,
    source: `${LOCATIONS} (${location.coordinatesSource ?? 'no source'})`,
  };
}

// The newest Google location name, else the region-picker name.
function locationOf(
  id: string,
  rows: readonly GoogleYearRow[] | undefined,
  picked: RegionPickerEntry | undefined,
): {value: string | null; source: string | null} {
  const newest = [...(rows ?? [])].reverse()
    .find((row) => row.location !== null);
  if (newest) return {value: newest.location, source: newest.source};
  if (picked) return {value: picked.name, source: REGION_PICKER};
  return {value: null, source: null};
}

// One entry per published year; a year without the region is all null.
function yearlyFigures(
  years: readonly number[],
  rows: readonly GoogleYearRow[] | undefined,
): GoogleYearlyFigures[] {
  return years.map((year) => {
    const row = rows?.find((candidate) => candidate.year === year);
    return {
      year,
      carbonFreeEnergyFraction: row?.carbonFreeEnergyFraction ?? null,
      gridGramsPerKilowattHour: row?.gridGramsPerKilowattHour ?? null,
      source: row?.source ??
        `not listed in GoogleCloudPlatform/region-carbon-info ${year}.csv`,
    };
  });
}

function acceleratorOffers(
  accelerators: RegionAccelerators | undefined,
): AcceleratorOffer[] {
  if (!accelerators) return [];
  return [...accelerators.offers.entries()]
    .map(([type, offer]) => ({
      type,
      zones: [...offer.zones].sort(),
      machineTypes: [...offer.machineTypes].sort(),
      source: `${ACCELERATOR_EXTRACT} (${[...offer.sources].join('; ')})`,
    }))
    .sort((a, b) => a.type.localeCompare(b.type));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
