/**
 * The job mix replayed by the evaluation, after Let's Wait Awhile's
 * study: durations from 1 to 90 h, deadlines at the next workday in the
 * home region's time zone or 24 h / 48 h after the earliest finish, jobs
 * that may pause or not, and residency EU, US, anywhere or home only.
 */
import {
  DEFAULT_REPLAN_LEAD_ERROR_FRACTION,
  DEFAULT_REPLAN_THRESHOLD_FRACTION,
} from '../planner/replan.js';
import type {
  DeadlineRule,
  EvaluationJob,
  EvaluationRegion,
  JobKind,
  JobMix,
  ResidencyRule,
} from './evaluation-types.js';
import {HOUR_MS, type HourlyValues} from './hourly-values.js';
import {nextWorkdayStartMs} from './workday-deadline.js';

/** The default mix. */
export const DEFAULT_JOB_MIX: JobMix = {
  kinds: ['contiguous', 'interruptible'],
  residencies: ['home', 'EU', 'US', 'any'],
  deadlines: ['next-workday', 'plus-24h', 'plus-48h'],
  durationsHours: [1, 4, 12, 36, 90],
  originStepHours: 131,
  itPowerKilowatts: 1,
  maxPauses: 4,
  checkpointsPerJob: 12,
  checkpointOverheadMinutes: 5,
  restartOverheadMinutes: 10,
  replanImprovementFraction: DEFAULT_REPLAN_THRESHOLD_FRACTION,
  replanLeadErrorFraction: DEFAULT_REPLAN_LEAD_ERROR_FRACTION,
};

/** History the forecaster needs before a job's submission. */
export const WARM_UP_MS = 7 * 24 * HOUR_MS;

/** The most slack any deadline rule gives (next workday, long weekend). */
const LONGEST_SLACK_MS = 4 * 24 * HOUR_MS;

/** One scenario: a kind, a residency and a deadline rule. */
export interface Scenario {
  readonly name: string;
  readonly kind: JobKind;
  readonly residency: ResidencyRule;
  readonly deadline: DeadlineRule;
}

/** Every scenario of the mix, in report order. */
export function scenariosOf(mix: JobMix): Scenario[] {
  return mix.kinds.flatMap((kind) => mix.residencies.flatMap((residency) =>
    mix.deadlines.map((deadline) => ({
      name: `${kind}/${residency}/${deadline}`, kind, residency, deadline}))));
}

/**
 * Submission instants on the hour, `originStepHours` apart, from a week
 * after the first recorded hour to where the longest job still ends
 * inside the traces; with `limit`, that many spread evenly.
 */
export function originsOf(
  observed: ReadonlyMap<string, HourlyValues>,
  mix: JobMix,
  limit?: number,
): number[] {
  const series = [...observed.values()].filter((v) => v.values.length > 0);
  if (series.length === 0) return [];
  const firstMs = Math.ceil((Math.min(...series.map((v) => v.firstStartMs)) +
    WARM_UP_MS) / HOUR_MS) * HOUR_MS;
  const longestMs = Math.max(...mix.durationsHours) * HOUR_MS +
    LONGEST_SLACK_MS;
  const lastMs = Math.max(...series.map((v) => v.endMs)) - longestMs;
  const origins: number[] = [];
  for (let ms = firstMs; ms <= lastMs; ms += mix.originStepHours * HOUR_MS) {
    origins.push(ms);
  }
  if (limit === undefined || limit >= origins.length) return origins;
  if (limit <= 1) return origins.slice(0, Math.max(0, limit));
  return Array.from({length: limit}, (_, index) =>
    origins[Math.round(index * (origins.length - 1) / (limit - 1))]!);
}

/** The deadline a rule gives a job of `workMs` submitted at `atMs`. */
export function deadlineFor(
  rule: DeadlineRule,
  submittedAtMs: number,
  workMs: number,
  timeZone: string | null,
): number {
  const earliestFinishMs = submittedAtMs + workMs;
  if (rule === 'plus-24h') return earliestFinishMs + 24 * HOUR_MS;
  if (rule === 'plus-48h') return earliestFinishMs + 48 * HOUR_MS;
  return nextWorkdayStartMs(earliestFinishMs, timeZone);
}

/** Whether a region may take a job under a residency rule. */
export function admits(
  rule: ResidencyRule,
  home: EvaluationRegion,
  region: EvaluationRegion,
): boolean {
  if (rule === 'home') return region.id === home.id;
  if (rule === 'any') return true;
  return region.residencyGroups.includes(rule);
}

/**
 * The jobs of one scenario at one submission instant: one per duration,
 * the home region rotating over the regions the rule allows as homes, so
 * every home appears across the origins. A home (or a region) whose
 * trace does not cover the warm-up week and the deadline is skipped.
 */
export function jobsAt(
  scenario: Scenario,
  originIndex: number,
  submittedAtMs: number,
  regions: readonly EvaluationRegion[],
  observed: ReadonlyMap<string, HourlyValues>,
  mix: JobMix,
): EvaluationJob[] {
  const homes = regions.filter((region) =>
    scenario.residency === 'home' || scenario.residency === 'any' ||
    region.residencyGroups.includes(scenario.residency));
  const covers = (region: EvaluationRegion, untilMs: number) => {
    const values = observed.get(region.zone);
    return values !== undefined &&
      values.integralHours(submittedAtMs - WARM_UP_MS, untilMs) !== null;
  };
  const jobs: EvaluationJob[] = [];
  mix.durationsHours.forEach((hours, durationIndex) => {
    const workMs = hours * HOUR_MS;
    for (let turn = 0; turn < homes.length; turn += 1) {
      const home = homes[(originIndex + durationIndex + turn) %
        homes.length]!;
      const deadlineMs = deadlineFor(scenario.deadline, submittedAtMs,
        workMs, home.timeZone);
      if (!covers(home, deadlineMs)) continue;
      const allowed = regions.filter((region) =>
        admits(scenario.residency, home, region) &&
        covers(region, deadlineMs));
      jobs.push(jobOf(scenario, home, allowed, submittedAtMs, workMs,
        deadlineMs, mix));
      break;
    }
  });
  return jobs;
}

function jobOf(
  scenario: Scenario,
  home: EvaluationRegion,
  allowed: readonly EvaluationRegion[],
  submittedAtMs: number,
  workMs: number,
  deadlineMs: number,
  mix: JobMix,
): EvaluationJob {
  const checkpointHours = Math.max(1,
    Math.ceil(workMs / HOUR_MS / mix.checkpointsPerJob));
  return {scenario: scenario.name, kind: scenario.kind,
    homeRegionId: home.id,
    allowedRegionIds: allowed.map((region) => region.id),
    submittedAtMs, workMs, deadlineMs,
    checkpointEveryMs: checkpointHours * HOUR_MS,
    maxPauses: scenario.kind === 'interruptible' ? mix.maxPauses : 0,
    minRunMs: HOUR_MS,
    checkpointOverheadMs: mix.checkpointOverheadMinutes * 60_000,
    restartOverheadMs: mix.restartOverheadMinutes * 60_000};
}
