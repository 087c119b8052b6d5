/**
 * Reads a folder of `<ZONE>.json` files, each an Electricity Maps v3
 * `/carbon-intensity/forecast` response, as intensity series.
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';

import type {
  IntensityBasis,
  IntensityPoint,
  IntensitySeries,
} from '../shared/signals/intensity-series.js';
import {PlanCommandError} from './plan-errors.js';

/** The provider label plans made from such files carry. */
export const FORECAST_FILES_PROVIDER = 'electricitymaps-forecast-files';

/**
 * Checks that `directory` is a folder holding at least one `<ZONE>.json`.
 *
 * @throws PlanCommandError naming --forecasts and what was found instead
 */
export function checkForecastDirectory(directory: string): void {
  const allowed = 'give a folder of <ZONE>.json Electricity Maps v3 ' +
    'forecast responses (e.g. NL.json), or leave --forecasts out to ' +
    'replay the shipped traces';
  let isFolder: boolean;
  try {
    isFolder = statSync(directory).isDirectory();
  } catch {
    throw new PlanCommandError('--forecasts', `"${directory}" does not ` +
      `exist (from ${process.cwd()})`, allowed);
  }
  if (!isFolder) {
    throw new PlanCommandError('--forecasts', `"${directory}" is a file, ` +
      'not a folder', allowed);
  }
  const zoneFiles = readdirSync(directory).filter((name) =>
    name.endsWith('.json'));
  if (zoneFiles.length === 0) {
    throw new PlanCommandError('--forecasts', `"${directory}" holds no ` +
      '<ZONE>.json files', allowed);
  }
}

/**
 * The zone's forecast, or null when the folder has no file for it.
 * Each point lasts the series' granularity (the smallest spacing between
 * datetimes), so a missing hour stays a gap; a null carbonIntensity
 * stays null.
 *
 * @throws PlanCommandError naming the file and field of a bad document
 */
export function readForecastFile(
  directory: string,
  zone: string,
): IntensitySeries | null {
  const path = join(directory, `${zone}.json`);
  if (!existsSync(path)) return null;
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PlanCommandError('--forecasts', `${path} is not JSON: ` +
      `${(error as Error).message}`, 'an Electricity Maps v3 forecast body');
  }
  const body = document as {forecast?: unknown; updatedAt?: unknown;
    emissionFactorType?: unknown};
  if (!Array.isArray(body.forecast)) {
    throw new PlanCommandError(`${path}: forecast`, 'is not an array',
      'an array of {carbonIntensity, datetime}');
  }
  const stamped = body.forecast.map((entry: unknown, index: number) => {
    const at = `${path}: forecast[${index}]`;
    const {datetime, carbonIntensity} = entry as
      {datetime?: unknown; carbonIntensity?: unknown};
    const startMs = typeof datetime === 'string' ? Date.parse(datetime) : NaN;
    if (!Number.isFinite(startMs) || !/(Z|[+-]\d\d:\d\d)$/.test(
      String(datetime))) {
      throw new PlanCommandError(`${at}.datetime`, `${String(datetime)} is ` +
        'not an instant', 'ISO 8601 with Z or an offset');
    }
    if (carbonIntensity !== null && carbonIntensity !== undefined &&
      !(typeof carbonIntensity === 'number' && carbonIntensity >= 0)) {
      throw new PlanCommandError(`${at}.carbonIntensity`,
        `${String(carbonIntensity)} is not an intensity`,
        'a number >= 0 (gCO2eq/kWh) or null');
    }
    return {startMs, value: typeof carbonIntensity === 'number' ?
      carbonIntensity : null};
  }).sort((a, b) => a.startMs - b.startMs);

  const durationMs = granularityMs(stamped.map((s) => s.startMs));
  const points: IntensityPoint[] = stamped.map((s) => ({startMs: s.startMs,
    durationMs, gramsPerKilowattHour: s.value}));
  const issuedAtMs = typeof body.updatedAt === 'string' ?
    Date.parse(body.updatedAt) : NaN;
  return {zone, basis: basisOf(body.emissionFactorType, path),
    kind: 'forecast', source: `${FORECAST_FILES_PROVIDER}:${path}`,
    ...(Number.isFinite(issuedAtMs) ? {issuedAtMs} : {}), points};
}

// The smallest positive spacing; one hour for a single point.
function granularityMs(startsMs: readonly number[]): number {
  let smallest = Infinity;
  for (let index = 1; index < startsMs.length; index += 1) {
    const spacing = (startsMs[index] as number) -
      (startsMs[index - 1] as number);
    if (spacing > 0 && spacing < smallest) smallest = spacing;
  }
  return Number.isFinite(smallest) ? smallest : 3_600_000;
}

// Electricity Maps answers lifecycle unless asked for direct.
function basisOf(value: unknown, path: string): IntensityBasis {
  if (value === undefined || value === 'lifecycle') return 'average-lifecycle';
  if (value === 'direct') return 'average-direct';
  throw new PlanCommandError(`${path}: emissionFactorType`,
    `${String(value)} is unknown`, 'lifecycle or direct');
}
