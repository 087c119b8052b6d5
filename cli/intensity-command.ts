/**
 * `carbon-scheduler intensity`: the grid's carbon intensity for a region,
 * zone or location at one instant, with the power mix where the provider
 * has one and the source it came from.
 */
import type {Command} from 'commander';

import {loadRegionCatalog} from '../shared/catalog/region-catalog.js';
import type {
  IntensityReading,
  PowerBreakdown,
} from '../shared/signals/carbon-signal-provider.js';
import type {FallbackChain} from '../shared/signals/fallback-chain.js';
import {readingDetails} from '../shared/signals/reading-details.js';
import {
  addSignalOptions,
  chooseProviders,
  describeSkips,
  parseAt,
  replayCoverageHint,
  runReportingErrors,
} from './signal-command-options.js';
import type {SignalOptionValues} from './signal-command-options.js';
import {resolveTarget} from './signal-target.js';
import type {ResolvedTarget, TargetOptionValues} from './signal-target.js';

/** Adds `intensity` to the program. */
export function registerIntensityCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  const command = program
    .command('intensity')
    .description(
      'Carbon intensity (gCO2e/kWh) of one grid at an instant: by ' +
        '--region, --zone or --lat/--lon (nearest catalog region). Works ' +
        'offline on the recorded 2021-2022 traces; says which provider ' +
        'served and why any before it did not.')
    .option('--region <id>', 'Google Cloud region, e.g. europe-west3')
    .option('--zone <key>', 'Electricity Maps zone, e.g. DE')
    .option('--lat <degrees>', 'latitude in decimal degrees')
    .option('--lon <degrees>', 'longitude in decimal degrees');
  addSignalOptions(command)
    .addHelpText('after', '\nExample:\n  carbon-scheduler intensity ' +
      '--zone DE --at 2022-01-10T03:00:00Z --provider replay --json\n')
    .action((raw: TargetOptionValues & SignalOptionValues) =>
      runReportingErrors(setExitCode, () => runIntensity(raw)));
}

async function runIntensity(
  raw: TargetOptionValues & SignalOptionValues,
): Promise<number> {
  const target = resolveTarget(raw, loadRegionCatalog());
  const atMs = parseAt(raw.at);
  const {chain} = await chooseProviders(raw, atMs);

  const served = await chain.latestFor(target);
  const reading = served.value;
  const details = readingDetails(reading, served.provider);
  const powerBreakdown = await breakdownFrom(chain, served.provider,
    reading.zone);
  const hint = replayCoverageHint(served.skipped, atMs);
  const excluded = target.regionId
    ? loadRegionCatalog().require(target.regionId).excludedDetail
    : null;
  const notes = [target.location?.note, hint, excluded === null ? undefined
    : `the planner leaves ${target.regionId} out: ${excluded}`,
    (reading as {note?: string}).note].filter(
    (note): note is string => note !== undefined);

  const result = {
    carbonIntensity: reading.gramsPerKilowattHour,
    unit: 'gCO2e/kWh',
    zone: target.zone,
    ...(target.regionId ? {region: target.regionId} : {}),
    datetime: new Date(reading.startMs).toISOString(),
    intervalMinutes: reading.durationMs / 60_000,
    requestedAt: new Date(atMs).toISOString(),
    basis: reading.basis,
    kind: reading.kind,
    provider: served.provider,
    isEstimated: details.isEstimated,
    estimationMethod: details.estimationMethod,
    ...(powerBreakdown ? {powerBreakdown} : {}),
    ...(details.mix ? {mix: details.mix} : {}),
    ...(target.location ? {location: target.location} : {}),
    degraded: served.degraded,
    skipped: served.skipped,
    notes,
  };
  if (raw.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else {
    process.stdout.write(formatText(result, reading, target, served.skipped,
      powerBreakdown) + '\n');
  }
  return 0;
}

// The mix from the serving provider, when it offers one; never fatal.
async function breakdownFrom(
  chain: FallbackChain,
  providerName: string,
  zone: string,
): Promise<PowerBreakdown['consumptionMegawattsBySource'] | undefined> {
  const provider = chain.links.find(
    (link) => link.provider.name === providerName)?.provider;
  if (!provider?.powerBreakdown) return undefined;
  try {
    return (await provider.powerBreakdown(zone)).consumptionMegawattsBySource;
  } catch {
    return undefined;
  }
}

function formatText(
  result: {carbonIntensity: number | null; provider: string;
    basis: string; isEstimated: boolean | null; notes: string[];
    mix?: {lowCarbonPercent: number | null;
      renewablePercent: number | null}},
  reading: IntensityReading,
  target: ResolvedTarget,
  skipped: Parameters<typeof describeSkips>[0],
  powerBreakdown: PowerBreakdown['consumptionMegawattsBySource'] | undefined,
): string {
  const subject = [target.regionId, target.zone].filter(Boolean).join(' / ');
  const lines = [
    `${subject}: ${result.carbonIntensity} gCO2e/kWh (${result.basis})`,
    `  interval ${new Date(reading.startMs).toISOString()} for ` +
      `${reading.durationMs / 60_000} min, ${reading.kind}` +
      (result.isEstimated === null ? '' :
        result.isEstimated ? ', estimated' : ', measured'),
    `  source ${result.provider}`,
  ];
  if (result.mix) {
    lines.push(`  mix: ${result.mix.lowCarbonPercent ?? '?'} % low-carbon, ` +
      `${result.mix.renewablePercent ?? '?'} % renewable`);
  }
  if (powerBreakdown) {
    const parts = Object.entries(powerBreakdown)
      .map(([source, megawatts]) => `${source} ${megawatts ?? '?'} MW`);
    lines.push(`  power: ${parts.join(', ')}`);
  }
  lines.push(...describeSkips(skipped));
  lines.push(...result.notes.map((note) => `  note: ${note}`));
  return lines.join('\n');
}
