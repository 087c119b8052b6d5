/**
 * The columns of the shipped hourly traces beside the intensity: whether
 * Electricity Maps estimated the hour, how, and the low-carbon and
 * renewable shares of consumption. The replay's readings carry only the
 * intensity; these details are read here, per zone on first use.
 */
import {readFileSync} from 'node:fs';

import {findColumn, parseCsvTable} from '../data/csv.js';
import {listTraceFiles, TRACE_DIRECTORY} from './electricity-maps-traces.js';

/** One recorded hour's details; a blank field is null. */
export interface TraceHourDetail {
  readonly isEstimated: boolean | null;
  /** e.g. `ESTIMATED_MODE_BREAKDOWN`; null when measured or blank. */
  readonly estimationMethod: string | null;
  /** Share of consumption from low-carbon sources, in percent. */
  readonly lowCarbonPercent: number | null;
  /** Share of consumption from renewable sources, in percent. */
  readonly renewablePercent: number | null;
  /** Upstream data source, e.g. `entsoe.eu`. */
  readonly dataSource: string | null;
}

const DATETIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Details of the shipped traces, by zone and hour start. */
export class TraceHourDetails {
  private readonly directory: string;
  private readonly byZone = new Map<string, Map<number, TraceHourDetail>>();

  /** @param directory - defaults to the shipped traces */
  constructor(directory = TRACE_DIRECTORY) {
    this.directory = directory;
  }

  /**
   * The details of the hour starting at `startMs` in `zone`.
   *
   * @returns undefined when no shipped trace holds that hour
   */
  at(zone: string, startMs: number): TraceHourDetail | undefined {
    return this.load(zone).get(startMs);
  }

  private load(zone: string): Map<number, TraceHourDetail> {
    const cached = this.byZone.get(zone);
    if (cached) return cached;
    const details = new Map<number, TraceHourDetail>();
    for (const file of listTraceFiles(this.directory)) {
      if (file.zone !== zone) continue;
      readFile(file.path, `${zone}_${file.year}_hourly.csv`, details);
    }
    this.byZone.set(zone, details);
    return details;
  }
}

function readFile(
  path: string,
  fileName: string,
  into: Map<number, TraceHourDetail>,
): void {
  const table = parseCsvTable(readFileSync(path, 'utf8'),
    {sourceName: fileName});
  const column = (name: string) => findColumn(table.columns, name);
  const time = column('Datetime (UTC)');
  if (time === undefined) return;
  const estimated = column('Data Estimated');
  const method = column('Data Estimation Method');
  const lowCarbon = column('Low Carbon Percentage');
  const renewable = column('Renewable Percentage');
  const source = column('Data Source');

  for (const row of table.rows) {
    const match = DATETIME_PATTERN.exec(row[time] ?? '');
    if (!match) continue;
    const [, year, month, day, hour] = match.map(Number);
    const field = (name: string | undefined) =>
      name === undefined ? null : blankToNull(row[name]);
    const flag = field(estimated);
    into.set(Date.UTC(year!, month! - 1, day!, hour!), {
      isEstimated: flag === null ? null : flag.toLowerCase() === 'true',
      estimationMethod: field(method),
      lowCarbonPercent: numberOrNull(field(lowCarbon)),
      renewablePercent: numberOrNull(field(renewable)),
      dataSource: field(source),
    });
  }
}

function blankToNull(text: string | undefined): string | null {
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

function numberOrNull(text: string | null): number | null {
  if (text === null) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
