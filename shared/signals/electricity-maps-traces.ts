/**
 * The shipped Electricity Maps hourly exports (one CSV per zone and year)
 * as observed intensity series. Files are read lazily, one zone at a time,
 * and kept once parsed.
 *
 * {@link https://www.electricitymaps.com/data-portal}
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

import {findColumn, parseCsvTable} from '../data/csv.js';
import {dataFilePath} from '../data/data-paths.js';
import type {
  IntensityBasis,
  IntensityPoint,
  IntensitySeries,
} from './intensity-series.js';
import {TraceFormatError} from './signal-errors.js';

/** Where the shipped hourly traces live. */
export const TRACE_DIRECTORY = dataFilePath(
  'traces',
  'electricitymaps_hourly',
);

/** The years a replay uses unless told otherwise. */
export const DEFAULT_TRACE_YEARS: readonly number[] = [2022];

const HOUR_MS = 3_600_000;
const FILE_NAME_PATTERN = /^(.+)_(\d{4})_hourly\.csv$/;
const DATETIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** The bases the traces carry: LCA and direct columns. */
export type TraceBasis = Extract<
  IntensityBasis,
  'average-lifecycle' | 'average-direct'
>;

const BASIS_COLUMNS: Readonly<Record<TraceBasis, string>> = {
  'average-lifecycle': 'Carbon Intensity gCO2eq/kWh (LCA)',
  'average-direct': 'Carbon Intensity gCO2eq/kWh (direct)',
};

/** One shipped trace file. */
export interface TraceFile {
  readonly zone: string;
  readonly year: number;
  readonly path: string;
}

/**
 * The trace files in a folder, sorted by zone then year.
 *
 * @param directory - defaults to the shipped traces
 */
export function listTraceFiles(directory = TRACE_DIRECTORY): TraceFile[] {
  const files: TraceFile[] = [];
  for (const fileName of readdirSync(directory)) {
    const match = FILE_NAME_PATTERN.exec(fileName);
    if (!match?.[1] || !match[2]) continue;
    files.push({
      zone: match[1],
      year: Number(match[2]),
      path: join(directory, fileName),
    });
  }
  return files.sort(
    (a, b) => a.zone.localeCompare(b.zone) || a.year - b.year,
  );
}

/** The hourly points of one trace file, per basis. */
export interface ParsedTrace {
  readonly zone: string;
  readonly points: Readonly<Record<TraceBasis, IntensityPoint[]>>;
}

/**
 * Parses one Electricity Maps hourly export. `Datetime (UTC)` is the start
 * of the hour in UTC; an empty value becomes null.
 *
 * @param text - the file's text (CRLF or LF, header with `gCO₂eq`)
 * @param fileName - for error messages
 * @param expectedZone - when given, every row's `Zone Id` must match it
 */
export function parseTrace(
  text: string,
  fileName: string,
  expectedZone?: string,
): ParsedTrace {
  const table = parseCsvTable(text, {sourceName: fileName});
  const timeColumn = requireColumn(table.columns, 'Datetime (UTC)', fileName);
  const zoneColumn = requireColumn(table.columns, 'Zone Id', fileName);
  const lifecycleColumn = requireColumn(
    table.columns, BASIS_COLUMNS['average-lifecycle'], fileName);
  const directColumn = requireColumn(
    table.columns, BASIS_COLUMNS['average-direct'], fileName);

  const lifecycle: IntensityPoint[] = [];
  const direct: IntensityPoint[] = [];
  let zone = expectedZone;
  table.rows.forEach((row, position) => {
    const lineNumber = position + 2;
    const rowZone = row[zoneColumn] ?? '';
    zone ??= rowZone;
    if (rowZone !== zone) {
      throw new TraceFormatError(fileName, lineNumber,
        `Zone Id "${rowZone}" differs from the file's zone "${zone}"`);
    }
    const startMs = parseUtcHourStart(row[timeColumn] ?? '', fileName,
      lineNumber);
    lifecycle.push({startMs, durationMs: HOUR_MS, gramsPerKilowattHour:
      parseValue(row[lifecycleColumn] ?? '', fileName, lineNumber)});
    direct.push({startMs, durationMs: HOUR_MS, gramsPerKilowattHour:
      parseValue(row[directColumn] ?? '', fileName, lineNumber)});
  });
  return {
    zone: zone ?? '',
    points: {'average-lifecycle': lifecycle, 'average-direct': direct},
  };
}

function requireColumn(
  columns: readonly string[],
  wanted: string,
  fileName: string,
): string {
  const column = findColumn(columns, wanted);
  if (column === undefined) {
    throw new TraceFormatError(fileName, 1,
      `column "${wanted}" is missing; header has ${columns.join(' | ')}`);
  }
  return column;
}

// `YYYY-MM-DD HH:MM:SS` read as UTC; anything else is refused.
function parseUtcHourStart(
  text: string,
  fileName: string,
  lineNumber: number,
): number {
  const match = DATETIME_PATTERN.exec(text);
  if (!match) {
    throw new TraceFormatError(fileName, lineNumber,
      `Datetime (UTC) "${text}" is not YYYY-MM-DD HH:MM:SS`);
  }
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
}

function parseValue(
  text: string,
  fileName: string,
  lineNumber: number,
): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new TraceFormatError(fileName, lineNumber,
      `intensity "${text}" is not a number or empty`);
  }
  return value;
}

/**
 * The label of a set of Electricity Maps traces: the years it holds files
 * for, ascending (`electricitymaps-2021-2022`); `electricitymaps-none`
 * when it holds none.
 */
export function traceSetLabel(years: readonly number[]): string {
  const distinct = [...new Set(years)].sort((a, b) => a - b);
  return `electricitymaps-${distinct.length ? distinct.join('-') : 'none'}`;
}

/** Where a replay reads observed series from. */
export interface ObservedTraceSource {
  /** Label of the data, e.g. `electricitymaps-2022`. */
  readonly label: string;
  /** Zones with data, sorted. */
  zones(): readonly string[];
  /** The zone's observed series, or null when it has no data. */
  observedSeries(zone: string, basis: TraceBasis): IntensitySeries | null;
}

/** Options of {@link ElectricityMapsTraces}. */
export interface ElectricityMapsTracesOptions {
  /** Folder of `<ZONE>_<YEAR>_hourly.csv` files; the shipped one if absent. */
  readonly directory?: string;
  /** Years to load; {@link DEFAULT_TRACE_YEARS} if absent. */
  readonly years?: readonly number[];
}

/** The shipped hourly traces, loaded per zone on first use. */
export class ElectricityMapsTraces implements ObservedTraceSource {
  readonly label: string;
  readonly years: readonly number[];
  private readonly filesByZone = new Map<string, TraceFile[]>();
  private readonly loaded = new Map<string, ParsedTrace>();

  constructor(options: ElectricityMapsTracesOptions = {}) {
    this.years = [...(options.years ?? DEFAULT_TRACE_YEARS)].sort();
    for (const file of listTraceFiles(options.directory)) {
      if (!this.years.includes(file.year)) continue;
      const files = this.filesByZone.get(file.zone) ?? [];
      files.push(file);
      this.filesByZone.set(file.zone, files);
    }
    // Named by the years it holds files for, not the years asked for.
    this.label = traceSetLabel([...this.filesByZone.values()]
      .flatMap((files) => files.map((file) => file.year)));
  }

  zones(): readonly string[] {
    return [...this.filesByZone.keys()].sort();
  }

  /** The years with a file for the zone, ascending. */
  yearsFor(zone: string): readonly number[] {
    return (this.filesByZone.get(zone) ?? []).map((file) => file.year);
  }

  observedSeries(zone: string, basis: TraceBasis): IntensitySeries | null {
    const trace = this.load(zone);
    if (!trace) return null;
    return {
      zone,
      basis,
      kind: 'observed',
      source: this.label,
      points: trace.points[basis],
    };
  }

  // Parses every file of the zone once and joins them in time order.
  private load(zone: string): ParsedTrace | null {
    const cached = this.loaded.get(zone);
    if (cached) return cached;
    const files = this.filesByZone.get(zone);
    if (!files) return null;

    const lifecycle: IntensityPoint[] = [];
    const direct: IntensityPoint[] = [];
    for (const file of files) {
      const fileName = `${zone}_${file.year}_hourly.csv`;
      const parsed = parseTrace(readFileSync(file.path, 'utf8'), fileName,
        zone);
      lifecycle.push(...parsed.points['average-lifecycle']);
      direct.push(...parsed.points['average-direct']);
    }
    assertOrdered(lifecycle, zone);

    const trace: ParsedTrace = {
      zone,
      points: {'average-lifecycle': lifecycle, 'average-direct': direct},
    };
    this.loaded.set(zone, trace);
    return trace;
  }
}

// The series contract: sorted by start and non-overlapping.
function assertOrdered(points: readonly IntensityPoint[], zone: string) {
  for (let index = 1; index < points.length; index++) {
    const previous = points[index - 1]!;
    const current = points[index]!;
    if (current.startMs < previous.startMs + previous.durationMs) {
      throw new TraceFormatError(`${zone} traces`, index + 1,
        `hour ${new Date(current.startMs).toISOString()} overlaps or ` +
          'precedes the one before it; files must not overlap');
    }
  }
}
