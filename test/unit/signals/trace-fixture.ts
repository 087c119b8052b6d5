/**
 * Writes small Electricity Maps-shaped hourly CSVs (the real export
 * header, CRLF line ends) into a temporary folder, so tests run the real
 * trace loader on data they control.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export const TRACE_HEADER = [
  'Datetime (UTC)', 'Country', 'Zone Name', 'Zone Id',
  'Carbon Intensity gCO\u2082eq/kWh (direct)',
  'Carbon Intensity gCO\u2082eq/kWh (LCA)',
  'Low Carbon Percentage', 'Renewable Percentage', 'Data Source',
  'Data Estimated', 'Data Estimation Method',
].join(',');

export const HOUR_MS = 3_600_000;

/** One hour of a fixture: lifecycle and direct values; null is empty. */
export interface FixtureHour {
  readonly lifecycle: number | null;
  readonly direct: number | null;
}

function formatUtc(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 19).replace('T', ' ');
}

/** The CSV text of consecutive hours starting at `firstHourMs`. */
export function traceText(
  zone: string,
  firstHourMs: number,
  hours: readonly FixtureHour[],
  lineEnd = '\r\n',
): string {
  const rows = hours.map((hour, offset) => [
    formatUtc(firstHourMs + offset * HOUR_MS), 'Testland', 'Test zone',
    zone, hour.direct ?? '', hour.lifecycle ?? '', '50', '40',
    'example.org', 'false', '',
  ].join(','));
  return [TRACE_HEADER, ...rows].join(lineEnd) + lineEnd;
}

const createdFolders: string[] = [];

/** A fresh folder holding `<zone>_<year>_hourly.csv` for each entry. */
export function writeTraceFolder(
  files: readonly {zone: string; year: number; text: string}[],
): string {
  const directory = mkdtempSync(join(tmpdir(), 'traces-'));
  createdFolders.push(directory);
  for (const file of files) {
    writeFileSync(join(directory, `${file.zone}_${file.year}_hourly.csv`),
      file.text);
  }
  return directory;
}

/** Deletes every folder written by {@link writeTraceFolder}. */
export function removeTraceFolders(): void {
  for (const directory of createdFolders.splice(0)) {
    rmSync(directory, {recursive: true, force: true});
  }
}

/** A daily-cycle pattern with some irregularity, fully deterministic. */
export function patternedHours(count: number): FixtureHour[] {
  return Array.from({length: count}, (_, hour) => {
    const daily = 100 * Math.sin((2 * Math.PI * (hour % 24)) / 24);
    const drift = 30 * Math.sin(hour / 37);
    const lifecycle = Math.round((300 + daily + drift) * 100) / 100;
    return {lifecycle, direct: Math.round(lifecycle * 0.8 * 100) / 100};
  });
}
