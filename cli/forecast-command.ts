/**
 * `carbon-scheduler forecast`: the hourly intensity forecast for a region
 * or zone. Offline it is the replay's honest forecaster, which sees only
 * hours that ended before the instant asked about (`--oracle` shows the
 * recorded future instead, for comparison).
 */
import type {Command} from 'commander';

import {loadRegionCatalog} from '../shared/catalog/region-catalog.js';
import type {IntensityPoint} from '../shared/signals/intensity-series.js';
import {
  addSignalOptions,
  chooseProviders,
  CommandOptionError,
  describeSkips,
  parseAt,
  replayCoverageHint,
  runReportingErrors,
} from './signal-command-options.js';
import type {SignalOptionValues} from './signal-command-options.js';
import {resolveTarget} from './signal-target.js';
import type {TargetOptionValues} from './signal-target.js';

const DEFAULT_HOURS = 72;
const MOST_HOURS = 24 * 14;

interface ForecastOptionValues extends TargetOptionValues,
  SignalOptionValues {
  readonly hours: string;
  readonly oracle?: boolean;
}

/** Adds `forecast` to the program. */
export function registerForecastCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  const command = program
    .command('forecast')
    .description(
      'Hourly carbon-intensity forecast (gCO2e/kWh) for a region or zone, ' +
        'issued at --at. Offline: the replay forecaster, which sees only ' +
        'the recorded past.')
    .option('--region <id>', 'Google Cloud region, e.g. europe-west3')
    .option('--zone <key>', 'Electricity Maps zone, e.g. DE')
    .option('--hours <count>', `hours ahead, 1..${MOST_HOURS}`,
      String(DEFAULT_HOURS))
    .option('--oracle', 'replay the recorded future (evaluation only)',
      false);
  addSignalOptions(command)
    .addHelpText('after', '\nExample:\n  carbon-scheduler forecast ' +
      '--region europe-west3 --hours 24 --at 2022-06-01T12:00:00Z\n')
    .action((raw: ForecastOptionValues) =>
      runReportingErrors(setExitCode, () => runForecast(raw)));
}

async function runForecast(raw: ForecastOptionValues): Promise<number> {
  const horizonHours = readHours(raw.hours);
  const target = resolveTarget(raw, loadRegionCatalog());
  const atMs = parseAt(raw.at);
  const {chain} = await chooseProviders(raw, atMs,
    {oracle: Boolean(raw.oracle)});

  const served = await chain.forecastFor(target, {horizonHours});
  const series = served.value;
  const points = series.points.map((point) => ({
    datetime: new Date(point.startMs).toISOString(),
    carbonIntensity: point.gramsPerKilowattHour,
  }));
  const hint = replayCoverageHint(served.skipped, atMs);
  const shortfall = coverageNote(series.points, horizonHours, series.source);
  const result = {
    ...(target.regionId ? {region: target.regionId} : {}),
    zone: target.zone,
    provider: served.provider,
    source: series.source,
    basis: series.basis,
    kind: series.kind,
    forecaster: forecasterOf(series.source),
    issuedAt: new Date(series.issuedAtMs ?? atMs).toISOString(),
    horizonHours,
    unit: 'gCO2e/kWh',
    lowest: lowestPoint(series.points),
    points,
    degraded: served.degraded,
    skipped: served.skipped,
    notes: [hint, shortfall].filter((note): note is string =>
      note !== undefined),
  };

  if (raw.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  const subject = [target.regionId, target.zone].filter(Boolean).join(' / ');
  const lines = [
    `${subject}: ${horizonHours} h forecast issued ${result.issuedAt} ` +
      `(${series.basis}, ${series.source})`,
    ...describeSkips(served.skipped),
    ...result.notes.map((note) => `  note: ${note}`),
    ...(result.lowest ? [`  lowest: ${result.lowest.carbonIntensity!
      .toFixed(1)} at ` +
      result.lowest.datetime] : []),
    '  hour (UTC)            gCO2e/kWh',
    ...points.map((point) => `  ${point.datetime}  ` +
      `${point.carbonIntensity === null ? 'missing' :
        point.carbonIntensity.toFixed(1)}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function readHours(text: string): number {
  const hours = Number(text);
  if (!Number.isInteger(hours) || hours < 1 || hours > MOST_HOURS) {
    throw new CommandOptionError(
      `--hours: "${text}" is not a whole number of hours in ` +
        `1..${MOST_HOURS}; give e.g. --hours ${DEFAULT_HOURS}`);
  }
  return hours;
}

// Says where the data ends when it holds fewer hours than were asked for.
function coverageNote(
  points: readonly IntensityPoint[],
  horizonHours: number,
  source: string,
): string | undefined {
  const coveredHours = points.reduce((sum, point) =>
    sum + point.durationMs / 3_600_000, 0);
  if (coveredHours >= horizonHours) return undefined;
  const last = points.at(-1);
  if (last === undefined) {
    return `no forecast hours at all from ${source}; asked for ` +
      `${horizonHours}`;
  }
  const endsAt = new Date(last.startMs + last.durationMs).toISOString();
  return `${points.length} of ${horizonHours} h: the data of ${source} ` +
    `ends at ${endsAt}`;
}

function forecasterOf(source: string): 'honest' | 'oracle' | null {
  if (!source.startsWith('replay:')) return null;
  return source.endsWith(':oracle') ? 'oracle' : 'honest';
}

function lowestPoint(points: readonly IntensityPoint[]) {
  let lowest: IntensityPoint | undefined;
  for (const point of points) {
    if (point.gramsPerKilowattHour === null) continue;
    if (!lowest || point.gramsPerKilowattHour <
        lowest.gramsPerKilowattHour!) {
      lowest = point;
    }
  }
  return lowest ? {datetime: new Date(lowest.startMs).toISOString(),
    carbonIntensity: lowest.gramsPerKilowattHour} : null;
}
