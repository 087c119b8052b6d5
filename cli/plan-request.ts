/**
 * What the plan command was asked: the job file, if any, with every
 * given flag overriding its field.
 */
import {parseInstantWithOffset} from '../shared/time/instant.js';
import {readFileSync} from 'node:fs';

import {parseJobDocument} from '../shared/schemas/parse-job-document.js';
import type {JobRequest} from '../shared/schemas/job-request.js';
import {loadRegionCatalog} from '../shared/catalog/region-catalog.js';
import {loadHardwareCatalog} from '../shared/footprint/hardware-catalog.js';
import {PlanCommandError} from './plan-errors.js';
import {checkForecastDirectory} from './plan-forecast-files.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The raw flags, as commander hands them over. */
export interface PlanFlags {
  readonly job?: string;
  readonly regions?: string;
  readonly residency?: string;
  readonly home?: string;
  readonly duration?: string;
  readonly earliest?: string;
  readonly deadline?: string;
  readonly interruptible?: boolean;
  readonly now?: string;
  readonly forecasts?: string;
  readonly basis?: string;
  readonly powerKw?: string;
  readonly prices?: string;
  readonly quotas?: string;
  readonly json?: boolean;
}

/** One plan question, every instant in UTC milliseconds. */
export interface PlanRequest {
  readonly job: JobRequest | null;
  readonly regionIds: readonly string[] | null;
  readonly residency: readonly string[] | null;
  readonly homeRegionId: string | null;
  readonly durationMs: number;
  readonly earliestStartMs: number | null;
  readonly deadlineMs: number;
  readonly interruptible: boolean;
  readonly nowMs: number | null;
  readonly forecastDirectory: string | null;
  readonly basis: 'lifecycle' | 'direct' | null;
  readonly itPowerKilowatts: number | null;
  readonly pricesFile: string | null;
  /** Accelerator limits per region (JSON); null: quotas not checked. */
  readonly quotasFile: string | null;
}

/**
 * Merges the job file and the flags.
 *
 * @throws PlanCommandError naming the flag or job field that is unusable
 */
export function readPlanRequest(flags: PlanFlags): PlanRequest {
  const job = flags.job === undefined ? null : readJob(flags.job);
  const durationMs = flags.duration !== undefined ?
    parseDuration(flags.duration) :
    job ? job.durationHours * HOUR_MS : missing('--duration', '8h');
  const deadlineText = flags.deadline ?? job?.constraints.deadline;
  const deadlineMs = deadlineText === undefined ?
    missing('--deadline', '2022-06-16T00:00:00Z') :
    parseInstant(flags.deadline !== undefined ? '--deadline' :
      'constraints.deadline', deadlineText);
  const earliestText = flags.earliest ?? job?.constraints.earliestStart;
  const regionIds = flags.regions !== undefined ? list(flags.regions) :
    job?.constraints.regions ?? null;
  const basis = flags.basis ?? null;
  if (basis !== null && basis !== 'lifecycle' && basis !== 'direct') {
    throw new PlanCommandError('--basis', `"${basis}" is unknown`,
      'use lifecycle or direct');
  }
  if (flags.forecasts !== undefined) checkForecastDirectory(flags.forecasts);
  const power = flags.powerKw === undefined ? null : Number(flags.powerKw);
  if (power !== null && !(Number.isFinite(power) && power > 0)) {
    throw new PlanCommandError('--power-kw', `"${flags.powerKw}" is not a ` +
      'power', 'give kilowatts > 0, e.g. 0.7');
  }
  if (flags.home !== undefined &&
    loadRegionCatalog().get(flags.home) === undefined) {
    throw new PlanCommandError('--home', `"${flags.home}" is not a ` +
      'region in the catalog', 'name a Google Cloud region, e.g. us-east4 ' +
      '(`carbon-scheduler regions` lists them)');
  }
  return {
    job, regionIds,
    residency: flags.residency !== undefined ? list(flags.residency) :
      job?.constraints.residency ?? null,
    homeRegionId: flags.home ?? job?.homeRegion ?? regionIds?.[0] ?? null,
    durationMs, deadlineMs,
    earliestStartMs: earliestText === undefined ? null : parseInstant(
      flags.earliest !== undefined ? '--earliest' :
        'constraints.earliestStart', earliestText),
    interruptible: typeof flags.interruptible === 'boolean' ?
      flags.interruptible : job?.interruptible ?? false,
    nowMs: flags.now === undefined ? null : parseInstant('--now', flags.now),
    forecastDirectory: flags.forecasts ?? null,
    basis, itPowerKilowatts: power, pricesFile: flags.prices ?? null,
    quotasFile: flags.quotas ?? null,
  };
}

/**
 * Milliseconds of `8h`, `90m`, `1h30m` or ISO 8601 `PT6H`.
 *
 * @throws PlanCommandError for anything else
 */
export function parseDuration(text: string): number {
  const match = /^(?:PT)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?$/i
    .exec(text.trim());
  const hours = Number(match?.[1] ?? 0);
  const minutes = Number(match?.[2] ?? 0);
  const durationMs = hours * HOUR_MS + minutes * MINUTE_MS;
  if (!match || (match[1] === undefined && match[2] === undefined) ||
    !Number.isFinite(durationMs)) {
    throw new PlanCommandError('--duration', `"${text}" is not a duration`,
      'give hours and/or minutes, e.g. 8h, 90m, 1h30m or PT6H');
  }
  if (!(durationMs > 0)) {
    throw new PlanCommandError('--duration', `must be greater than 0, got ` +
      `"${text}"`, 'give the run time at full speed, e.g. 8h or 90m');
  }
  return durationMs;
}

// RFC 3339 with an offset; any offset is accepted and read as UTC.
function parseInstant(field: string, text: string): number {
  const instantMs = parseInstantWithOffset(text);
  if (instantMs === null) {
    throw new PlanCommandError(field, `"${text}" is not an instant with ` +
      'an offset', 'give RFC 3339, e.g. 2022-06-14T00:00:00Z or ' +
      '2022-06-14T02:00:00+02:00');
  }
  return instantMs;
}

function list(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}

function missing(field: string, example: string): never {
  throw new PlanCommandError(field, 'is missing', `give it (e.g. ${field} ` +
    `${example}) or a --job file that holds it`);
}

function readJob(file: string): JobRequest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new PlanCommandError('--job', `cannot read "${file}" (from ` +
      `${process.cwd()})`, 'give the path of a JSON or YAML job request');
  }
  // The intake's checks, bar the deadline against the clock (plans may
  // be made as of a past --now).
  const parsed = parseJobDocument(text, {
    regionIds: loadRegionCatalog().regions.map((region) => region.id),
    machineTypes: [...loadHardwareCatalog().machineTypes.keys()],
  });
  if (!parsed.ok) {
    const reasons = parsed.issues.map((issue) =>
      `${issue.field} ${issue.problem}`).join('; ');
    throw new PlanCommandError('--job', `${file} is not a valid job ` +
      `request: ${reasons}`, 'fix the fields named');
  }
  return parsed.request;
}
