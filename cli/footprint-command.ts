import {readFileSync} from 'node:fs';
import type {Command} from 'commander';

import {sumActualSegments} from '../shared/footprint/counterfactual.js';
import {
  recomputeSegmentFootprint,
  type SegmentFootprint,
  type SegmentFootprintInputs,
} from '../shared/footprint/segment-footprint.js';
import {SchedulerError} from '../shared/errors.js';
import type {CommandOutput} from './report-command.js';

/** One recomputed segment, as `footprint --json` prints it. */
export interface RecomputedSegment {
  /** 0-based position of the item in the file. */
  readonly item: number;
  readonly jobId: string | null;
  readonly footprintKind: string | null;
  readonly segmentIndex: number | null;
  readonly regionId: string;
  readonly start: string;
  readonly end: string;
  readonly energySource: string;
  readonly itEnergyKwh: number;
  readonly pue: number;
  readonly facilityEnergyKwh: number;
  readonly intensityGramsPerKwh: number | null;
  readonly scope2LocationBasedKg: number | null;
  readonly scope3EmbodiedKg: number | null;
  readonly emissionsKg: number | null;
  readonly cfeAdjustedKg: number | null;
  readonly incomplete: boolean;
  readonly missingIntervals: readonly {start: string; end: string}[];
}

/** What `footprint --json` prints. */
export interface FootprintOutput {
  readonly file: string;
  readonly segments: readonly RecomputedSegment[];
  /** Over the actual segments (items without a kind count as actual). */
  readonly totals: {
    readonly segmentCount: number;
    readonly itEnergyKwh: number;
    readonly facilityEnergyKwh: number;
    readonly scope2LocationBasedKg: number | null;
    readonly scope3EmbodiedKg: number | null;
    readonly emissionsKg: number | null;
    readonly incomplete: boolean;
  };
}

/** A segments file that cannot be used (exit code 2). */
class FootprintInputError extends Error {}

/**
 * Adds `footprint --segments FILE`: recomputes footprints from stored
 * segment inputs, the `inputs` every ledger footprint row carries.
 */
export function registerFootprintCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('footprint')
    .description(
      'Recompute footprints from stored segment inputs: a JSON object, a ' +
        'JSON array or JSON lines of footprint inputs, or of ledger ' +
        'footprint rows (their `inputs` are used), e.g. a run\'s ' +
        'ledger/footprints/*.jsonl file.')
    .requiredOption('--segments <file>', 'the stored segment inputs')
    .option('--json', 'print one JSON object instead of text', false)
    .addHelpText('after', '\nExample:\n  carbon-scheduler footprint ' +
      '--segments .local/runs/RUN/ledger/footprints/BATCH.jsonl --json\n')
    .action((raw: {segments: string; json?: boolean}) => {
      setExitCode(runFootprintCommand(raw, {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
      }));
    });
}

/** Runs `footprint`; returns 0, or 2 when the file cannot be used. */
export function runFootprintCommand(
  options: {segments: string; json?: boolean},
  output: CommandOutput,
): number {
  try {
    const result = recomputeFile(options.segments);
    output.out(options.json ? JSON.stringify(result, null, 2) + '\n'
      : renderText(result));
    return 0;
  } catch (error) {
    if (error instanceof FootprintInputError ||
        error instanceof SchedulerError) {
      output.err(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * Recomputes every item of a segments file.
 *
 * @throws FootprintInputError, InvalidFootprintInputError,
 *   UnmappedRegionError
 */
export function recomputeFile(file: string): FootprintOutput {
  const items = readItems(file);
  const actual: SegmentFootprint[] = [];
  const segments = items.map((item, index) => {
    const row = 'inputs' in item ? item : null;
    const inputs = checkInputs(file, index,
      row ? row.inputs : item);
    let footprint: SegmentFootprint;
    try {
      footprint = recomputeSegmentFootprint(inputs);
    } catch (error) {
      if (error instanceof SchedulerError) {
        throw new FootprintInputError(`--segments: ${file} item ${index}: ` +
          error.message);
      }
      throw error;
    }
    const kind = row ? stringOrNull(row.footprint_kind) : null;
    if (kind === null || kind === 'actual') actual.push(footprint);
    return describe(index, footprint, row, kind);
  });
  const totals = sumActualSegments(actual);
  return {
    file,
    segments,
    totals: {
      segmentCount: totals.segmentCount,
      itEnergyKwh: totals.itEnergyKilowattHours,
      facilityEnergyKwh: totals.facilityEnergyKilowattHours,
      scope2LocationBasedKg: kilograms(totals.locationBasedGrams),
      scope3EmbodiedKg: kilograms(totals.embodiedGrams),
      emissionsKg: kilograms(totals.totalGrams),
      incomplete: totals.incomplete,
    },
  };
}

function readItems(file: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new FootprintInputError(`--segments: cannot read "${file}"; ` +
      'give a JSON or JSON-lines file of segment inputs or ledger rows');
  }
  let values: unknown[];
  try {
    const parsed: unknown = JSON.parse(text);
    values = Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    values = text.split('\n').filter((line) => line.trim() !== '')
      .map((line, index) => {
        try {
          return JSON.parse(line) as unknown;
        } catch {
          throw new FootprintInputError(`--segments: ${file} line ` +
            `${index + 1} is not JSON; give JSON, a JSON array or JSON ` +
            'lines');
        }
      });
  }
  if (values.length === 0) {
    throw new FootprintInputError(`--segments: ${file} holds no segments`);
  }
  return values.map((value, index) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new FootprintInputError(`--segments: ${file} item ${index} is ` +
        'not an object; give segment inputs or ledger footprint rows');
    }
    return value as Record<string, unknown>;
  });
}

function checkInputs(
  file: string,
  index: number,
  value: unknown,
): SegmentFootprintInputs {
  const inputs = (typeof value === 'string' ? JSON.parse(value) : value) as
    Record<string, unknown> | null;
  const problems: string[] = [];
  if (typeof inputs !== 'object' || inputs === null) {
    problems.push('inputs: expected an object');
  } else {
    if (typeof inputs.regionId !== 'string') {
      problems.push('regionId: expected a region id');
    }
    for (const field of ['startMs', 'endMs', 'itPowerWatts',
      'powerUsageEffectiveness']) {
      if (typeof inputs[field] !== 'number') {
        problems.push(`${field}: expected a number`);
      }
    }
    if (!('intensity' in inputs)) {
      problems.push('intensity: missing (an observed series or null)');
    }
    if (!('embodied' in inputs)) {
      problems.push('embodied: missing (a coefficient or null)');
    }
  }
  if (problems.length > 0) {
    throw new FootprintInputError(`--segments: ${file} item ${index}: ` +
      `${problems.join('; ')}; give the \`inputs\` a ledger footprint row ` +
      'stores');
  }
  return inputs as unknown as SegmentFootprintInputs;
}

function describe(
  item: number,
  footprint: SegmentFootprint,
  row: Record<string, unknown> | null,
  kind: string | null,
): RecomputedSegment {
  const iso = (instantMs: number) => new Date(instantMs).toISOString();
  return {
    item,
    jobId: row ? stringOrNull(row.job_id) : null,
    footprintKind: kind,
    segmentIndex: row && typeof row.segment_index === 'number'
      ? row.segment_index : null,
    regionId: footprint.regionId,
    start: iso(footprint.startMs),
    end: iso(footprint.endMs),
    energySource: footprint.energySource,
    itEnergyKwh: footprint.itEnergyKilowattHours,
    pue: footprint.powerUsageEffectiveness,
    facilityEnergyKwh: footprint.facilityEnergyKilowattHours,
    intensityGramsPerKwh: footprint.intensityGramsPerKilowattHour,
    scope2LocationBasedKg: kilograms(footprint.locationBasedGrams),
    scope3EmbodiedKg: kilograms(footprint.embodiedGrams),
    emissionsKg: kilograms(footprint.totalGrams),
    cfeAdjustedKg: kilograms(footprint.carbonFreeEnergyAdjusted?.grams ??
      null),
    incomplete: footprint.incomplete,
    missingIntervals: footprint.missingIntervals.map((interval) => ({
      start: iso(interval.startMs), end: iso(interval.endMs)})),
  };
}

function renderText(result: FootprintOutput): string {
  const kg = (value: number | null) =>
    value === null ? 'unknown' : `${value.toFixed(6)} kgCO2e`;
  const lines = result.segments.map((segment) =>
    `item ${segment.item} ${segment.footprintKind ?? 'segment'} ` +
    `${segment.regionId} ${segment.start} .. ${segment.end}: ` +
    `${segment.itEnergyKwh.toFixed(4)} kWh IT, scope 2 ` +
    `${kg(segment.scope2LocationBasedKg)}, scope 3 ` +
    `${kg(segment.scope3EmbodiedKg)}` +
    (segment.incomplete ? ' (incomplete intensity)' : ''));
  lines.push(`actual segments: ${result.totals.segmentCount}, ` +
    `${kg(result.totals.emissionsKg)} in all`);
  return lines.join('\n') + '\n';
}

function kilograms(grams: number | null): number | null {
  return grams === null ? null : grams / 1000;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
