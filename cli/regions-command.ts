/**
 * `carbon-scheduler regions`: every Google Cloud region in the catalog
 * with its grid intensity at one instant, Google's CFE share and the mix
 * where known; ranked with `--rank`, filtered by residency or accelerator.
 * Regions without data are listed with the reason, never at 0 g.
 */
import type {Command} from 'commander';

import {
  ACCELERATOR_TYPES,
  isPlannableAcceleratorType,
} from '../shared/catalog/accelerator-types.js';
import {loadRegionCatalog} from '../shared/catalog/region-catalog.js';
import type {Region} from '../shared/catalog/region.js';
import {rankRegions} from '../shared/signals/region-ranking.js';
import type {RankedRegion, RegionRanking} from '../shared/signals/region-ranking.js';
import {
  addSignalOptions,
  chooseProviders,
  CommandOptionError,
  parseAt,
  replayCoverageHint,
  runReportingErrors,
} from './signal-command-options.js';
import type {SignalOptionValues} from './signal-command-options.js';

interface RegionsOptionValues extends SignalOptionValues {
  readonly rank?: boolean;
  readonly residency?: string;
  readonly accelerator?: string;
}

/** Adds `regions` to the program. */
export function registerRegionsCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  const command = program
    .command('regions')
    .description(
      'Every Google Cloud region with its grid intensity (gCO2e/kWh) at ' +
        '--at, Google\'s CFE share and the mix where known. Regions ' +
        'without data are listed with the reason, never at 0 g.')
    .option('--rank', 'sort by intensity, cleanest first', false)
    .option('--residency <group>',
      'only regions in this residency group, e.g. EU, US, UK, CH')
    .option('--accelerator <type>',
      'only regions offering this Vertex AI type, one of ' +
        ACCELERATOR_TYPES.join(', '));
  addSignalOptions(command)
    .addHelpText('after', '\nExample:\n  carbon-scheduler regions --rank ' +
      '--residency EU --at 2022-06-01T12:00:00Z\n')
    .action((raw: RegionsOptionValues) =>
      runReportingErrors(setExitCode, () => runRegions(raw)));
}

async function runRegions(raw: RegionsOptionValues): Promise<number> {
  const regions = selectRegions(loadRegionCatalog().regions, raw);
  const atMs = parseAt(raw.at);
  const {chain} = await chooseProviders(raw, atMs);
  const ranking = await rankRegions(regions, chain, atMs,
    Boolean(raw.rank));

  const notes = notesFor(ranking, atMs);
  if (raw.json) {
    const {allSkips: _skips, ...table} = ranking;
    process.stdout.write(JSON.stringify({
      at: new Date(atMs).toISOString(),
      unit: 'gCO2e/kWh',
      providers: chain.links.map((link) => link.provider.name),
      ...table,
      notes,
    }, null, 2) + '\n');
  } else {
    process.stdout.write(formatTable(ranking, atMs, notes) + '\n');
  }
  return 0;
}

function selectRegions(
  regions: readonly Region[],
  raw: RegionsOptionValues,
): Region[] {
  let selected = [...regions];
  if (raw.residency !== undefined) {
    const group = raw.residency.trim().toUpperCase();
    const known = new Set(regions.flatMap((region) => region.residencyGroups));
    if (!known.has(group)) {
      throw new CommandOptionError(
        `--residency: "${raw.residency}" is no region's residency group; ` +
          `use one of ${[...known].sort().join(', ')}`);
    }
    selected = selected.filter((region) =>
      region.residencyGroups.includes(group));
  }
  if (raw.accelerator !== undefined) {
    const type = raw.accelerator.trim().toUpperCase();
    // The job schema's list: what a job may ask for.
    if (!isPlannableAcceleratorType(type)) {
      throw new CommandOptionError(
        `--accelerator: "${raw.accelerator}" is not an accelerator type ` +
          'a job may ask for (the shipped zone and power data describe ' +
          `only these); use one of ${ACCELERATOR_TYPES.join(', ')}`);
    }
    selected = selected.filter((region) =>
      region.accelerators.includes(type));
  }
  return selected;
}

function notesFor(ranking: RegionRanking, atMs: number): string[] {
  const notes: string[] = [];
  const hint = replayCoverageHint(ranking.allSkips, atMs);
  if (hint) notes.push(hint);
  if (ranking.mixesYearlyAndHourly) {
    notes.push('some values are Google yearly averages (provider ' +
      'static:...), ranked beside hourly values on the same basis; an ' +
      'hour can sit far from its year\'s mean');
  }
  if (ranking.basisMismatch) {
    notes.push(`values came on several bases; only ${ranking.rankedBasis} ` +
      'values are ranked, the others are listed under otherBasis');
  }
  return notes;
}

function formatTable(
  ranking: RegionRanking,
  atMs: number,
  notes: readonly string[],
): string {
  const header = ['rank', 'region', 'zone', 'gCO2e/kWh', 'basis',
    'provider', 'CFE %', 'low-C %', 'est.'];
  const rows = [...ranking.regions, ...ranking.otherBasis].map(cellsOf);
  const widths = header.map((title, column) => Math.max(title.length,
    ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells
    .map((cell, column) => cell.padEnd(widths[column]!)).join('  ')
    .trimEnd();

  const lines = [
    `Regions at ${new Date(atMs).toISOString()} ` +
      `(${ranking.regions.length} with data, ` +
      `${ranking.withoutData.length} without)`,
    line(header),
    ...rows.map(line),
  ];
  if (ranking.withoutData.length > 0) {
    lines.push('', 'Without data:');
    for (const entry of ranking.withoutData) {
      lines.push(`  ${entry.region}: ${entry.reason}: ${entry.detail}`);
    }
  }
  lines.push(...notes.map((note) => `note: ${note}`));
  return lines.join('\n');
}

function cellsOf(row: RankedRegion): string[] {
  const optional = (value: number | null) =>
    value === null ? '-' : String(value);
  return [
    row.rank === null ? '-' : String(row.rank),
    row.region,
    row.zone ?? '-',
    row.carbonIntensity.toFixed(1),
    row.basis,
    row.provider,
    optional(row.carbonFreeEnergyPercent),
    optional(row.mix?.lowCarbonPercent ?? null),
    row.isEstimated === null ? '?' : row.isEstimated ? 'yes' : 'no',
  ];
}
