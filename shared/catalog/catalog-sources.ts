/**
 * Readers of the shipped region files under `data/regions/`. Each returns
 * plain facts keyed by region id; region-catalog.ts joins them.
 */
import {readdirSync, readFileSync} from 'node:fs';

import {findColumn, parseCsvTable} from '../data/csv.js';
import type {CsvTable} from '../data/csv.js';
import {dataFilePath} from '../data/data-paths.js';
import {vertexAcceleratorTypeFor} from './accelerator-types.js';
import type {VertexAcceleratorType} from './accelerator-types.js';
import {CatalogDataError} from './catalog-errors.js';
import type {GoogleYearlyFigures} from './region.js';

const CARBON_INFO_FOLDER = 'regions/gcp_region_carbon_info';

function readTable(fileName: string, headerLineIndex = 0): CsvTable {
  const text = readFileSync(dataFilePath(...fileName.split('/')), 'utf8');
  return parseCsvTable(text, {headerLineIndex, sourceName: fileName});
}

function requireColumn(
  table: CsvTable,
  fileName: string,
  ...candidates: string[]
): string {
  for (const candidate of candidates) {
    const column = findColumn(table.columns, candidate);
    if (column !== undefined) return column;
  }
  throw new CatalogDataError(fileName,
    `no column named ${candidates.join(' or ')}`);
}

// '' is absent; anything else must be a finite number.
function optionalNumber(text: string, fileName: string, what: string) {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new CatalogDataError(fileName, `${what} "${text}" is not a number`);
  }
  return value;
}

/** A region's row in one year of Google's region-carbon-info. */
export interface GoogleYearRow extends GoogleYearlyFigures {
  readonly location: string | null;
}

/**
 * Google's yearly CFE share and grid intensity, per region.
 *
 * @returns rows per region, ascending by year, and every year read
 */
export function readGoogleYearly(): {
  byRegion: Map<string, GoogleYearRow[]>;
  years: number[];
} {
  const years = readdirSync(dataFilePath(...CARBON_INFO_FOLDER.split('/')))
    .filter((name) => /^\d{4}\.csv$/.test(name))
    .map((name) => Number(name.slice(0, 4)))
    .sort((a, b) => a - b);

  const byRegion = new Map<string, GoogleYearRow[]>();
  for (const year of years) {
    const fileName = `${CARBON_INFO_FOLDER}/${year}.csv`;
    const table = readTable(fileName);
    const regionColumn = requireColumn(table, fileName, 'Google Cloud Region');
    const locationColumn = requireColumn(table, fileName, 'Location');
    const cfeColumn = requireColumn(table, fileName, 'Google CFE');
    const gridColumn = requireColumn(table, fileName,
      'Grid carbon intensity (gCO2eq / kWh)',
      'Lifecycle grid carbon intensity (gCO2eq / kWh)');

    for (const row of table.rows) {
      const region = (row[regionColumn] ?? '').trim();
      const location = (row[locationColumn] ?? '').trim();
      const rows = byRegion.get(region) ?? [];
      rows.push({
        year,
        location: location === '' || location === 'N/A' ? null : location,
        carbonFreeEnergyFraction: optionalNumber(row[cfeColumn] ?? '',
          fileName, 'Google CFE'),
        gridGramsPerKilowattHour: optionalNumber(row[gridColumn] ?? '',
          fileName, 'grid intensity'),
        source: `GoogleCloudPlatform/region-carbon-info ${year}.csv`,
      });
      byRegion.set(region, rows);
    }
  }
  return {byRegion, years};
}

/** A region as the region-picker lists it, coordinates as published. */
export interface RegionPickerEntry {
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
}

/** The region-picker's regions.json, unchanged. */
export function readRegionPicker(): Map<string, RegionPickerEntry> {
  const fileName = 'region_picker_regions.json';
  const parsed: unknown = JSON.parse(
    readFileSync(dataFilePath('regions', fileName), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) {
    throw new CatalogDataError(fileName, 'top level is not an object');
  }

  const entries = new Map<string, RegionPickerEntry>();
  for (const [region, value] of Object.entries(parsed)) {
    const entry = value as Partial<Record<string, unknown>>;
    if (typeof entry.name !== 'string' ||
        typeof entry.latitude !== 'number' ||
        typeof entry.longitude !== 'number') {
      throw new CatalogDataError(fileName,
        `${region} needs a string name and numeric latitude, longitude`);
    }
    entries.set(region, {
      name: entry.name,
      latitude: entry.latitude,
      longitude: entry.longitude,
    });
  }
  return entries;
}

/** A row of the hand-kept region to grid-zone table. */
export interface GridZoneRow {
  readonly zone: string | null;
  readonly source: string | null;
  readonly alternativeZone: string | null;
  readonly alternativeSource: string | null;
  readonly note: string;
}

/** data/regions/gcp-region-grid-zones.csv, keyed by region. */
export function readGridZones(): Map<string, GridZoneRow> {
  const table = readTable('regions/gcp-region-grid-zones.csv');
  const rows = new Map<string, GridZoneRow>();
  for (const row of table.rows) {
    rows.set(row['region'] ?? '', {
      zone: orNull(row['zone']),
      source: orNull(row['source']),
      alternativeZone: orNull(row['alternative_zone']),
      alternativeSource: orNull(row['alternative_source']),
      note: row['note'] ?? '',
    });
  }
  return rows;
}

/** A row of the hand-kept region location table. */
export interface LocationRow {
  readonly countryCode: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly coordinatesSource: string | null;
}

/** data/regions/gcp-region-locations.csv, keyed by region. */
export function readRegionLocations(): Map<string, LocationRow> {
  const fileName = 'regions/gcp-region-locations.csv';
  const table = readTable(fileName);
  const rows = new Map<string, LocationRow>();
  for (const row of table.rows) {
    rows.set(row['region'] ?? '', {
      countryCode: orNull(row['country_code']),
      latitude: optionalNumber(row['latitude'] ?? '', fileName, 'latitude'),
      longitude: optionalNumber(row['longitude'] ?? '', fileName,
        'longitude'),
      coordinatesSource: orNull(row['coordinates_source']),
    });
  }
  return rows;
}

function orNull(text: string | undefined): string | null {
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

/** A PUE figure with where it was published. */
export interface PueFigure {
  readonly value: number;
  readonly source: string;
}

const GREEN_ALGORITHMS = 'GreenAlgorithms/green-algorithms-tool';

/**
 * Per-region PUE for GCP from the Green Algorithms data-centre table
 * (its first line is a notes row; the header is on line 2).
 */
export function readRegionalPue(): Map<string, PueFigure> {
  const fileName = 'regions/greenalgorithms_cloudProviders_datacenters.csv';
  const table = readTable(fileName, 1);
  const figures = new Map<string, PueFigure>();
  for (const row of table.rows) {
    if (row['provider'] !== 'gcp') continue;
    const value = optionalNumber(row['PUE'] ?? '', fileName, 'PUE');
    if (value === null) continue;
    figures.set(row['Name'] ?? '', {
      value,
      source: `${GREEN_ALGORITHMS} cloudProviders_datacenters.csv, ` +
        `citing ${row['source_PUE'] ?? 'no source'}`,
    });
  }
  return figures;
}

/** Google's fleet-wide PUE from the Green Algorithms defaults. */
export function readFleetPue(): PueFigure {
  const fileName = 'regions/greenalgorithms_defaults_PUE.csv';
  const row = readTable(fileName, 1).rows.find((r) => r['provider'] === 'gcp');
  const value = optionalNumber(row?.['PUE'] ?? '', fileName, 'PUE');
  if (!row || value === null) {
    throw new CatalogDataError(fileName, 'no PUE row for provider gcp');
  }
  return {
    value,
    source: `${GREEN_ALGORITHMS} defaults_PUE.csv, citing ${row['source']}`,
  };
}

/** Accelerators seen in a region's zones. */
export interface RegionAccelerators {
  readonly offers: Map<
    VertexAcceleratorType,
    {zones: Set<string>; machineTypes: Set<string>; sources: Set<string>}
  >;
  readonly withoutVertexType: Set<string>;
}

/** The accelerator-zone extract, grouped by region. */
export function readAccelerators(): Map<string, RegionAccelerators> {
  const table = readTable('regions/gcp_accelerator_zones_extract.csv');
  const byRegion = new Map<string, RegionAccelerators>();
  for (const row of table.rows) {
    const region = row['gcp_region'] ?? '';
    const name = row['accelerator'] ?? '';
    const accelerators = byRegion.get(region) ??
      {offers: new Map(), withoutVertexType: new Set<string>()};
    byRegion.set(region, accelerators);

    const type = vertexAcceleratorTypeFor(name);
    if (type === null) {
      accelerators.withoutVertexType.add(name);
      continue;
    }
    const offer = accelerators.offers.get(type) ??
      {zones: new Set(), machineTypes: new Set(), sources: new Set()};
    offer.zones.add(row['gcp_zone'] ?? '');
    offer.machineTypes.add(row['machine_type_or_slice'] ?? '');
    offer.sources.add(row['source'] ?? '');
    accelerators.offers.set(type, offer);
  }
  return byRegion;
}
